"""The `grader` command."""
import argparse
import json
import os
import signal
import sys

from . import __version__
from .platforms import gradescope
from .grade import grade
from .manifest import SUITES
from .show.render import FORMATS
from .errors import GraderError
from .sandbox.confine import ALLOW_WEAK_ENV
from .judge.student_process import Limits

EXIT_GRADED, EXIT_BELOW, EXIT_CANNOT, EXIT_INTERRUPTED = 0, 1, 2, 130


SANDBOXES = ["auto", "bwrap", "landlock", "process"]


def _add_limits(p):
    p.add_argument("--timeout", type=float, default=Limits.total_timeout,
                   help="seconds for one whole submission (default %(default)s)")
    p.add_argument("--call-timeout", type=float, default=Limits.call_timeout,
                   help="seconds for one call into student code (default %(default)s)")
    p.add_argument("--sandbox", choices=SANDBOXES, default="auto",
                   help="how student code is confined; auto picks the strongest available")
    p.add_argument("--allow-weak-sandbox", action="store_true",
                   help="run the hidden tests in the process sandbox even where its child could read them and "
                        "change the grader's outputs (see docs/security.md); same as GRADER_ALLOW_WEAK_SANDBOX=1")


def _parser():
    parser = argparse.ArgumentParser(prog="grader", description="Grade the deep-learning calculus module.")
    parser.add_argument("--version", action="version", version=f"grader {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, suite, help_text in (("grade", "hidden", "grade a submission with the hidden tests"),
                                   ("check", "public", "roda os testes públicos (a autoavaliação dos alunos)")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("submission", nargs="?" if name == "check" else None, default=".",
                       help="folder holding derivatives.py, value.py, losses.py, gradient_check.py")
        p.add_argument("--format", choices=sorted([*FORMATS, "gradescope"]), default="table",
                       help="gradescope: the results.json that Gradescope's autograder reads")
        p.add_argument("--fail-under", type=float, metavar="N",
                       help="exit 1 when the score is below N (for CI)")
        p.add_argument("--seed", type=int, help="seed for the random test inputs (default: new each run)")
        _add_limits(p)
        p.add_argument("--feedback", choices=["full", "hint", "none"],
                       help="how much a failing test shows (default: each item's level in the manifest)")
        p.set_defaults(suite=suite)
    p = sub.add_parser("batch", help="grade a whole class: gradebook, feedback and class report")
    p.add_argument("submissions", help="folder with one entry per student: a folder, a .zip or a .ipynb "
                                       "(or an LMS download, with --ids)")
    p.add_argument("--out", required=True, help="output folder; a rerun into it grades only what changed")
    p.add_argument("--jobs", type=int, default=os.cpu_count(),
                   help="submissions graded at once (default: the number of cores, %(default)s)")
    p.add_argument("--seed", type=int, default=0,
                   help="base seed; each student's inputs derive from it and their id (default %(default)s)")
    p.add_argument("--feedback", choices=["full", "hint", "none"],
                   help="how much a failing test shows (default: each item's level in the manifest)")
    p.add_argument("--ids", metavar="moodle|canvas|REGEX",
                   help="SUBMISSIONS is an LMS download (a zip or its folder): map its names to student ids with "
                        "a preset (moodle, canvas: the grades also come back in the files that LMS imports) or a "
                        "regex with a group named student (and file, for one file per entry)")
    p.add_argument("--assignment", metavar="HEADER",
                   help="with --ids canvas: the assignment's column as Canvas's gradebook export heads it, "
                        "e.g. 'Lista 3 (4567)', so the import updates it instead of creating a new one")
    p.add_argument("--overrides", metavar="CSV",
                   help="the instructor's adjustments, student,item,score,reason; applied on every run")
    p.add_argument("--roster", metavar="CSV",
                   help="the class list, student[,name] with a header line: the class report names who is "
                        "missing and shows names beside ids")
    p.add_argument("--similarity", type=float, default=0.8, metavar="SHARE",
                   help="flag pairs of submissions sharing this share of their code (default %(default)s; 0: off)")
    p.add_argument("--lang", choices=["pt", "en"], default="pt", help="language of the class report")
    p.add_argument("--csv", choices=["comma", "semicolon"], default="comma",
                   help="gradebook cells: comma and decimal point, or semicolon and decimal comma (a spreadsheet "
                        "in Brazilian Portuguese)")
    _add_limits(p)
    ci = sub.add_parser("ci", help="grade a pull request in GitHub Actions (summary, annotations, outputs)")
    ci.add_argument("submission", help="folder holding the pull request's files")
    ci.add_argument("--comment-file", help="write the pull-request comment here")
    ci.add_argument("--sandbox", choices=SANDBOXES, default="auto")
    ci.add_argument("--seed", type=int)
    ci.add_argument("--fail-under", type=float, metavar="N")
    pulls = sub.add_parser("pulls", help="grade a class's open pull requests (run from the grading repository)")
    # shared with the gate
    from .platforms.github_classroom import add_arguments as add_class_arguments, add_retry_argument
    add_class_arguments(pulls)
    pulls.add_argument("--limit", type=int, default=50, help="pull requests graded in one run (default %(default)s)")
    pulls.add_argument("--sandbox", choices=SANDBOXES, default="auto")
    pulls.add_argument("--seed", type=int, default=0,
                       help="base seed; each student's inputs derive from it and their login (default %(default)s)")
    pulls.add_argument("--bot-login", help="the login the token acts as, for a GitHub App's installation token "
                       "(APP-SLUG[bot]), which may not call GET /user")
    pulls.add_argument("--gradebook", metavar="OUT", help="write the grades of record: OUT/gradebook.csv (as batch "
                       "writes it) and OUT/reports/STUDENT.json")
    pulls.add_argument("--csv", choices=["comma", "semicolon"], default="comma", help="gradebook cells, as for batch")
    add_retry_argument(pulls)
    zipped = sub.add_parser("gradescope", help="build the autograder zip for Gradescope (hidden suite included)")
    zipped.add_argument("out", help="the zip to write, e.g. autograder.zip")
    release = sub.add_parser("release", help="build the student repository and the grading repository")
    release.add_argument("out", help="new or empty folder: OUT/student and OUT/grading are written")
    release.add_argument("--repo", help="where the student template will live: owner/name on GitHub (make it "
                         "public: it holds no secret), or a git URL; gives the notebooks their install cell "
                         "and the README its Colab links")
    release.add_argument("--schedule", metavar="CRON", help="when the grading workflow looks for new pull "
                         "requests (cron, UTC; default: every two hours)")
    release.add_argument("--deadline", metavar="ISO", help="the assignment's deadline with its UTC offset, e.g. "
                         "2026-12-20T23:59-03:00: the grading workflow's scheduled runs stop a day after it")
    serve = sub.add_parser("serve", help="the course service: students submit from the browser or a notebook, "
                                         "the instructor watches the class (README: Course service)")
    serve.add_argument("--data", default="grader-data", help="folder for the database, files and course rules "
                       "(default %(default)s)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2, help="grading worker processes (default %(default)s)")
    serve.add_argument("--role", choices=["all", "web", "worker"], default="all",
                       help="all: web and workers (default); web or worker alone, for the scale mode")
    serve.add_argument("--database", help="SQLAlchemy URL, e.g. postgresql+psycopg://... (default: SQLite in --data)")
    serve.add_argument("--queue", help="redis://... or redis+unix:///path (default: SQLite in --data)")
    serve.add_argument("--sandbox", choices=[s for s in SANDBOXES if s != "process"], default="auto")
    return parser


def main(argv=None):
    """Run one command; every GraderError ends here, as one line and exit 2."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except GraderError as err:
        print(f"grader: {err}", file=sys.stderr)
        if getattr(args, "format", None) == "gradescope":   # Gradescope still needs a results.json to show
            print(json.dumps(gradescope.cannot_grade(str(err)), ensure_ascii=False, indent=2))
        return EXIT_CANNOT
    except Exception:
        # grade() turns its own failures into reports; this is a bug past it (rendering, say).
        if getattr(args, "format", None) == "gradescope":
            print(json.dumps(gradescope.cannot_grade("erro interno do avaliador; avise o professor"),
                             ensure_ascii=False, indent=2))
        raise


def _limits(args):
    return Limits(call_timeout=args.call_timeout, total_timeout=args.timeout,
                  import_timeout=min(Limits.import_timeout, args.timeout))


def _grade(args):
    if args.suite == "hidden" and not (SUITES / "hidden").is_dir():
        # The student kit: the hidden tests stay with the instructor.
        print("grader: os testes ocultos não estão neste kit (eles ficam com o professor); rodando os testes "
              "públicos, como o `grader check`", file=sys.stderr)
        args.suite = "public"
    report = grade(args.submission, suite=args.suite, seed=args.seed, limits=_limits(args), sandbox=args.sandbox,
                   feedback=args.feedback, allow_weak_sandbox=args.allow_weak_sandbox or None)
    if report.get("sandbox_note"):  # a weaker sandbox than asked for is never silent
        print(f"grader: warning: graded with the '{report['sandbox']}' sandbox ({report['sandbox_note']})",
              file=sys.stderr)
    print(gradescope.as_json(report) if args.format == "gradescope" else FORMATS[args.format](report))
    return _verdict(report, args.fail_under)


def _verdict(report, fail_under):
    return EXIT_BELOW if fail_under is not None and report["score"] < fail_under else EXIT_GRADED


def _batch(args):
    from .classroom import batch  # pulls in the class report's plotting only when needed
    view = batch.View(lang=args.lang, csv=args.csv, similarity=args.similarity or None, overrides=args.overrides,
                      assignment=args.assignment, roster=args.roster)
    if args.allow_weak_sandbox:   # read by every grade of the batch, in its worker processes too
        os.environ[ALLOW_WEAK_ENV] = "1"
    summary = batch.run(args.submissions, args.out, jobs=args.jobs, seed=args.seed, limits=_limits(args),
                        sandbox=args.sandbox, feedback=args.feedback, view=view, ids=args.ids)
    print(batch.describe(summary))
    return EXIT_INTERRUPTED if summary.interrupted else EXIT_GRADED


def _ci(args):
    from .platforms.ci import run_ci
    report = run_ci(args.submission, comment_file=args.comment_file, sandbox=args.sandbox, seed=args.seed)
    return _verdict(report, args.fail_under)


def _release(args):
    from .platforms.release import build_release
    student, grading = build_release(args.out, args.repo, args.schedule, args.deadline)
    print(f"student repository (the assignment's template) in {student}; grading repository (private, no student "
          f"may read it) in {grading}: its README.md says how to set both up")
    return EXIT_GRADED


def _pulls(args):
    from .platforms.pulls import main as grade_pulls
    return grade_pulls(args)


def _gradescope(args):
    path = gradescope.build_zip(args.out)
    print(f"{path}: upload it in Gradescope (Configure Autograder > Zip file upload, Ubuntu 22.04 or 24.04)")
    return EXIT_GRADED


def _serve(args):
    from .service.server import serve
    return serve(args.data, args.host, args.port, args.workers, args.role, args.database, args.queue, args.sandbox)


COMMANDS = {"grade": _grade, "check": _grade, "batch": _batch, "ci": _ci, "release": _release, "pulls": _pulls,
            "gradescope": _gradescope, "serve": _serve}


def _terminate(signum, frame):
    raise KeyboardInterrupt   # pytest stops on it, and every `with` on the way out cleans up


def run():
    """The console script: main(), then exit without tearing the interpreter
    down. Every file is closed and the child killed by then; unloading pytest's
    modules would only add ~30 ms to each command. SIGTERM (a CI job cancelled,
    a timeout) unwinds like Ctrl-C: no report, and the temporary folders are
    removed on that path too."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = main()
    except KeyboardInterrupt:
        print("grader: interrupted; nothing was graded", file=sys.stderr)
        code = EXIT_INTERRUPTED
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that went away (`| head`) loses only what it left
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
