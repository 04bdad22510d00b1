"""Grades a class: a folder of submissions in; reports, feedback, a gradebook
and a class report out.

    SUBMISSIONS/ana/            a folder           -> student "ana"
    SUBMISSIONS/bruno.zip       a zip              -> student "bruno"
    SUBMISSIONS/carla.ipynb     one notebook       -> student "carla"

The flow, one way: list the entries -> key each one (its content, the
grading inputs, the seed, the limits) -> keep the saved reports whose key
still matches -> grade the rest in a process pool, saving each report the
moment it arrives -> write the gradebook and the class report from all of
them. A report on disk is the proof a student is done, so a killed run
resumes where it stopped, and a rerun grades only new or changed entries.
"""
import concurrent.futures
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic
from . import class_report, gradebook, intake, lms_canvas, lms_moodle, overrides, similarity
from .. import manifest as manifest_module
from ..grade import grade
from ..judge.inputs import MAX_SOURCE
from ..show.render import format_score
from ..sandbox.confine import for_hidden_tests
from ..judge.student_process import Limits
from .safe_text import visible
from .student_ids import normal, same_key, unusable
from ..judge.submission import IGNORED_DIRS, SubmissionError, graded_folder
from ..judge.unpack import MAX_TOTAL, UnpackError, safe_extract
from ..errors import GraderError

GRADER = Path(__file__).parents[1]
# What decides a score besides the submission: the manifest, the hidden suite
# and the grader's own code (how values cross from the child, how tests are
# scored). A change to any of these regrades everyone on the next run. Only
# files known to merely present reports are left out; a new file counts.
GRADING_INPUTS = ("**/*.py", "**/*.toml", "**/*.ini")
NOT_GRADING_INPUTS = ("suites/public/", "classroom/batch.py", "classroom/gradebook.py", "classroom/class_report.py",
                      "platforms/gradescope.py", "show/render.py", "cli.py", "__main__.py", "classroom/similarity.py",
                      "classroom/intake.py", "classroom/overrides.py", "service/", "platforms/pulls",
                      "platforms/github_api.py", "platforms/github_classroom.py", "classroom/lms_moodle.py",
                      "classroom/lms_canvas.py", "platforms/release.py", "platforms/release_files/")
CACHE_VERSION = 1
MODULE_SUFFIXES = (b".py", b".ipynb")
HASHED_SUFFIXES = (*MODULE_SUFFIXES, b".zip")   # what grading reads from a folder (its zips are unpacked)
# A worker's address space: about 170 MB when grading, plus reading a notebook of
# up to inputs.MAX_NOTEBOOK (256 MB, parsed as JSON). Its resident size stays near 50 MB.
WORKER_MEMORY_MB = 1536

REPORTS, FEEDBACK, CODE, WORK, INTAKE = "reports", "feedback", "code", ".work", ".intake"
GRADEBOOK, CLASS_REPORT, RUN = "gradebook.csv", "class_report.html", "run.json"


class BatchError(GraderError):
    """The run cannot start at all (no such folder, output folder busy)."""


@dataclass
class Entry:
    """One student's submission as found in the submissions folder."""
    student: str
    name: str       # as listed, for messages
    path: bytes     # bytes, because a name need not be valid UTF-8
    kind: str       # 'folder', 'zip', 'notebook', or 'lms': `files` of the LMS download at `path`
    files: tuple = ()      # intake.File: what to extract from the download, for 'lms'
    left_out: tuple = ()   # files of an LMS download that hold nothing to grade (a PDF), for the message


@dataclass
class Outcome:
    """One row of the gradebook: a report, or why there is none."""
    student: str
    entry: str
    report: dict = None
    problem: str = ""       # for the instructor, when not graded
    feedback: str = ""      # for the student (pt-BR), when not graded
    cached: bool = False
    code: str = ""          # the student's code, for the similarity check
    fingerprint: bytes = b""   # its fingerprints (similarity.print_bytes), saved beside it


@dataclass
class Summary:
    out: Path
    seed: int
    outcomes: list = field(default_factory=list)
    problems: list = field(default_factory=list)   # (entry, message): not a student's submission
    seconds: float = 0.0
    interrupted: bool = False
    similar: object = None     # similarity.Result, when submissions were compared


@dataclass
class View:
    """How the run's results are presented: nothing here changes a score the
    grader computes (overrides change what is shown, beside the original)."""
    lang: str = "pt"                 # the class report's language: "pt" or "en"
    csv: str = "comma"               # gradebook.DIALECTS
    similarity: float = 0.8          # flag pairs sharing this share of their code; None: do not compare
    overrides: str = None            # CSV of the instructor's adjustments (grader/classroom/overrides.py)
    assignment: str = None           # the LMS's assignment column, e.g. Canvas's "Lista 3 (4567)"
    roster: str = None               # CSV of the class (student[,name]): the class report lists who is missing


# -- finding the entries --------------------------------------------------------

def discover(submissions, out):
    """([Entry], [Outcome for duplicated students], [(entry, message)]) in id order."""
    folder = os.fsencode(submissions)
    out_real = os.path.realpath(os.fsencode(out))
    found, problems = {}, []
    for raw in sorted(os.listdir(folder)):
        path = os.path.join(folder, raw)
        shown = raw.decode("utf-8", "backslashreplace")
        if os.path.realpath(path) == out_real:
            continue  # the output folder placed inside the submissions folder
        if raw.startswith(b".") or os.fsdecode(raw) in IGNORED_DIRS:
            problems.append((shown, "skipped: hidden or system entry"))
            continue
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append((shown, "skipped: the name is not valid UTF-8; rename it to the student's id"))
            continue
        kind, student = _classify(path, name)
        if kind is None:
            problems.append((name, student))
            continue
        student = normal(student)   # one id whatever its Unicode form or digits
        why = unusable(student)
        if why:
            problems.append((name, f"skipped: {why}"))
            continue
        found.setdefault(same_key(student), []).append(Entry(student, name, path, kind))
    entries, duplicated = [], []
    for _, group in sorted(found.items()):
        if len(group) == 1:
            entries.append(group[0])
            continue
        student, names = group[0].student, ", ".join(e.name for e in group)
        as_named = {_classify(e.path, e.name)[1] for e in group}
        alike = " (ids that differ only in case, Unicode form or digits are one student)" if len(as_named) > 1 else ""
        duplicated.append(Outcome(student, names, problem=f"{len(group)} entries for one student ({names}){alike}: "
                                  "none graded; keep one and rerun",
                                  feedback="Recebemos mais de uma entrega sua (" + names + "); "
                                  "nenhuma foi corrigida. Envie uma só."))
    return entries, duplicated, problems


def _classify(path, name):
    """(kind, student id) or (None, why it is skipped)."""
    if os.path.islink(path):
        return None, "skipped: a symbolic link (not followed)"
    lower = name.lower()
    if os.path.isdir(path):
        return "folder", name
    if os.path.isfile(path) and lower.endswith(".zip"):
        return "zip", name[:-4]
    if os.path.isfile(path) and lower.endswith(".ipynb"):
        return "notebook", name[:-6]
    return None, "skipped: not a submission (expected a folder, a .zip or a .ipynb)"


# -- keys: what a saved report was graded from -------------------------------------

def grading_inputs_digest():
    digest = hashlib.sha256()
    paths = {p for pattern in GRADING_INPUTS for p in GRADER.glob(pattern)}
    for path in sorted(paths):
        relative = path.relative_to(GRADER).as_posix()
        if not relative.startswith(NOT_GRADING_INPUTS):
            digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_digest(entry):
    """Hash of what the grader will read from the entry: for a folder, the names
    and bytes of its module files (nothing else in it is ever read); for a zip or
    a notebook, the file itself."""
    digest = hashlib.sha256(entry.kind.encode() + b"\0")
    if entry.kind == "lms":
        intake.digest(os.fsdecode(entry.path), entry.files, digest)
    elif entry.kind == "folder":
        root = graded_folder(entry.path)
        digest.update(os.path.relpath(root, entry.path) + b"\0")
        for name in sorted(os.listdir(root)):
            path = os.path.join(root, name)
            if not name.lower().endswith(HASHED_SUFFIXES):
                continue
            digest.update(name + b"\0")
            if os.path.islink(path):
                digest.update(b"link:" + os.readlink(path))
            elif os.path.isfile(path):
                _hash_file(digest, path)
    else:
        _hash_file(digest, entry.path)
    return digest.hexdigest()


def _hash_file(digest, path):
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    digest.update(b"\0")


def cache_key(entry_hash, inputs_hash, seed, limits, feedback=None):
    blob = json.dumps({"version": CACHE_VERSION, "entry": entry_hash, "grader": inputs_hash,
                       "seed": seed, "limits": dataclasses.asdict(limits), "feedback": feedback}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def student_seed(base_seed, student):
    """Each student gets their own inputs (hard-coding a classmate's answers does
    not help), yet the same seed and id always give the same inputs."""
    return int.from_bytes(hashlib.sha256(f"{base_seed}:{student}".encode()).digest()[:4], "big")


# -- grading one entry (in a worker process) ------------------------------------------

def _worker_init():
    # A worker must not outlive a run that was killed with SIGKILL (Linux only).
    from ..sandbox.linux import PR_SET_PDEATHSIG, libc
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # Its address space is bounded: what goes past it is a MemoryError, one student's
    # "internal error", not a machine out of memory. The soft limit only: the sandboxed
    # child it starts sets its own (Limits.memory_mb), which may be higher.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = WORKER_MEMORY_MB * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def grade_entry(entry, seed, limits, workroot, sandbox="auto", feedback=None):
    """Outcome for one entry; never raises (a worker must always answer)."""
    outcome = Outcome(entry.student, entry.name)
    try:
        with tempfile.TemporaryDirectory(prefix="entry-", dir=workroot) as scratch:
            source = _materialise(entry, os.fsencode(scratch))
            outcome.report = grade(os.fsdecode(source), seed=seed, limits=limits, sandbox=sandbox, feedback=feedback)
            modules = manifest_module.load().modules
            code = similarity.code_of(os.fsdecode(source), modules)
            # Past what grading reads of any module, the code is not kept in OUT/code nor compared.
            outcome.code = code if len(code) <= len(modules) * MAX_SOURCE else ""
            # Fingerprinted here, in parallel with the other workers, not all at the end.
            outcome.fingerprint = similarity.print_bytes(outcome.code, similarity.stub_code(modules))
    except UnpackError as err:
        outcome.problem = f"zip refused: {err}"
        outcome.feedback = f"O arquivo {entry.name} foi recusado: {err.reason}."
    except _Refused as err:
        outcome.problem, outcome.feedback = err.args
    except SubmissionError as err:
        outcome.problem = f"cannot grade: {err}"
        outcome.feedback = "A entrega não pôde ser lida pelo avaliador."
    except Exception as err:  # noqa: BLE001 - one broken entry must not stop the class
        outcome.problem = f"internal error while grading: {type(err).__name__}: {err}"
        outcome.feedback = "Um erro interno do avaliador impediu a correção; o professor foi avisado."
    return outcome


class _Refused(Exception):
    """(message for the instructor, feedback for the student)."""


def _materialise(entry, scratch):
    """A folder holding the entry's files, ready for grade()."""
    if entry.kind in ("folder", "lms"):
        if entry.kind == "lms":   # this student's files only, from the class's download
            root = os.path.join(scratch, b"entry")
            os.mkdir(root)
            intake.extract(os.fsdecode(entry.path), entry.files, os.fsdecode(root))
        root = graded_folder(entry.path if entry.kind == "folder" else root)
        if not _gradable(root) and _zips(root):   # the student's own zip inside an LMS entry
            unzipped = os.path.join(scratch, b"unzipped")
            os.mkdir(unzipped)
            for name in _zips(root):
                path = os.path.join(root, name)
                if os.path.islink(path) or os.path.getsize(path) > MAX_TOTAL:
                    raise UnpackError("bomb", f"zip file larger than {MAX_TOTAL} bytes")
                # Each with one student's caps, into one folder: a member in two zips is
                # refused as a duplicate rather than one silently winning.
                safe_extract(os.fsdecode(path), os.fsdecode(unzipped))
            root = graded_folder(unzipped)
    elif entry.kind == "zip":
        if os.path.getsize(entry.path) > MAX_TOTAL:
            raise UnpackError("bomb", f"zip file larger than {MAX_TOTAL} bytes")
        safe_extract(os.fsdecode(entry.path), os.fsdecode(scratch))
        root = graded_folder(scratch)
    else:  # a single notebook holding every function
        if os.path.getsize(entry.path) > MAX_TOTAL:
            raise _Refused(f"notebook larger than {MAX_TOTAL} bytes",
                           f"O notebook tem mais de {MAX_TOTAL // 2**20} MB.")
        shutil.copyfile(entry.path, os.path.join(scratch, os.path.basename(entry.path)))
        root = scratch
    if not _gradable(root):   # an empty or PDF-only hand-in: "not graded", never a row of zeros
        found = sorted({*(os.fsdecode(n) for n in _listing(root)), *entry.left_out})
        shown = ", ".join(visible(n) for n in found[:5]) + (", ..." if len(found) > 5 else "")
        raise _Refused("nothing to grade: no .py or .ipynb" + (f" (found: {shown})" if found else " (empty)"),
                       "Não encontramos nenhum arquivo .py ou .ipynb na sua entrega"
                       + (f" (recebemos: {shown})" if found else "") + ". Envie os arquivos do exercício.")
    return root


def _listing(folder):
    folder = os.fsencode(folder)
    return [n for n in os.listdir(folder) if not n.startswith(b".") and n != b"__MACOSX"]


def _gradable(folder):
    return any(n.lower().endswith(MODULE_SUFFIXES) for n in _listing(folder))


def _zips(folder):
    return sorted(n for n in _listing(folder) if n.lower().endswith(b".zip")
                  and os.path.isfile(os.path.join(os.fsencode(folder), n)))


# -- the run ------------------------------------------------------------------------

def run(submissions, out, jobs: int | None = None, seed: int = 0, limits: Limits | None = None, sandbox: str = "auto",
        stream=sys.stderr, feedback: str | None = None, view: "View | None" = None, ids: str | None = None) -> Summary:
    """Grade every entry of `submissions` into `out`; return a Summary. `ids`:
    an intake pattern (intake.PRESETS or a regex) for an LMS download."""
    started = time.monotonic()
    limits, view = limits or Limits(), view or View()
    submissions, out = Path(submissions), Path(out)
    _check_source(submissions, ids)
    for_hidden_tests(sandbox)  # a sandbox asked for and missing, or unfit for the hidden suite, stops the run here
    manifest = manifest_module.load()
    adjustments, adjustment_problems = overrides.load(view.overrides, manifest) if view.overrides else ({}, [])
    roster = class_report.read_roster(view.roster) if view.roster else None   # a bad roster stops the run now
    for sub in (REPORTS, FEEDBACK, CODE):
        (out / sub).mkdir(parents=True, exist_ok=True)
    lock = _lock(out)
    try:
        for folder in (out, out / REPORTS, out / FEEDBACK, out / CODE):
            atomic.remove_partials(folder)
        shutil.rmtree(out / WORK, ignore_errors=True)  # left by a killed run
        (out / WORK).mkdir()
        staged = None
        if ids:   # an LMS download: each student's files are extracted only when they are graded
            staged = intake.collect(submissions, out, ids)
            entries = [Entry(student, staged.names[student][1], os.fsencode(submissions), "lms", files,
                             tuple(staged.left_out.get(student, ())))
                       for student, files in sorted(staged.files.items())]
            duplicated = [Outcome(student, refusal.entry, problem=refusal.problem, feedback=refusal.feedback)
                          for student, refusal in sorted(staged.refused.items())]
            problems = staged.problems
        else:
            entries, duplicated, problems = discover(submissions, out)
        summary = Summary(out, seed, outcomes=list(duplicated), problems=problems)
        inputs = grading_inputs_digest()

        todo = []
        for entry in entries:
            try:
                key = cache_key(entry_digest(entry), inputs, student_seed(seed, entry.student), limits, feedback)
                saved = _saved_report(out, entry.student, key)
                code = out / CODE / f"{entry.student}.txt"
                if saved is not None and code.exists():   # the code stays on disk, for the similarity check
                    summary.outcomes.append(Outcome(entry.student, entry.name, report=saved, cached=True))
                else:
                    todo.append((entry, key))
            except Exception as err:  # noqa: BLE001 - one unreadable entry must not stop the class
                outcome = _internal_error(entry.student, entry.name, "reading the entry", err)
                duplicated.append(outcome)
                summary.outcomes.append(outcome)
        for outcome in duplicated:
            _save_safely(out, outcome, None, submissions, summary)

        progress = Progress(len(todo), len(entries) - len(todo), stream)
        try:
            with contextlib.closing(_grade_all(todo, seed, limits, jobs, sandbox, out / WORK, feedback)) as results:
                for outcome, key in results:
                    outcome = _save_safely(out, outcome, key, submissions, summary)
                    outcome.code, outcome.fingerprint = "", b""   # saved: the parent does not hold a class's code
                    summary.outcomes.append(outcome)
                    progress.update(outcome)
        except KeyboardInterrupt:
            progress.close()
            summary.interrupted = True
            summary.seconds = time.monotonic() - started
            return summary  # what was graded is saved; the old gradebook stays whole
        progress.close()

        summary.outcomes.sort(key=lambda o: o.student)
        summary.outcomes = _adjusted(summary, adjustments, adjustment_problems)
        for outcome in summary.outcomes:   # the saved report and feedback show what the instructor adjusted
            try:
                _refresh(out, outcome)
            except Exception as err:  # noqa: BLE001 - the rest of the class still gets its files
                summary.problems.append((outcome.student, f"feedback or report not rewritten: "
                                                          f"{type(err).__name__}: {err}"))
        compared = _similar(out, summary.outcomes, view.similarity)
        atomic.write_atomic(out / GRADEBOOK, gradebook.gradebook_csv(summary.outcomes, manifest, view.csv))
        if staged is not None:
            _write_lms_files(out, staged, summary.outcomes, manifest, view)
        atomic.write_atomic(out / CLASS_REPORT, class_report.build(
            summary.outcomes, summary.problems, manifest, seed, lang=view.lang, similar=compared,
            run=_class_run(out, view, roster, time.monotonic() - started)))
        summary.similar = compared
        summary.seconds = time.monotonic() - started
        atomic.write_json(out / RUN, _run_record(summary, limits, jobs))
        return summary
    finally:
        # The scratch folders are rebuilt by every run (.intake: a copy older versions staged).
        shutil.rmtree(out / WORK, ignore_errors=True)
        shutil.rmtree(out / INTAKE, ignore_errors=True)
        os.close(lock)


def _check_source(submissions, ids):
    """Stop before anything is written when SUBMISSIONS cannot be what was asked for."""
    if ids:
        intake.rule_for(ids)   # an unknown preset or a bad regex: say which modes there are
        if not submissions.exists():
            raise BatchError(f"submissions not found: {submissions}")
        return
    if submissions.is_dir():
        return
    if not submissions.exists():
        raise BatchError(f"submissions folder not found: {submissions}")
    hint = "unzip it and pass the folder of entries (one per student)"
    if zipfile.is_zipfile(submissions):
        try:
            with zipfile.ZipFile(submissions) as zf:
                tops = sorted({n.split("/", 1)[0] for n in zf.namelist()} - {"__MACOSX"})
        except (zipfile.BadZipFile, OSError):
            tops = []
        lms = intake.sniff(tops)
        if lms:
            hint = f"its names are a {lms.capitalize()} download: add --ids {lms}"
        else:
            hint = f"for an LMS download add --ids {'|'.join(intake.PRESETS)}|REGEX; otherwise {hint}"
    raise BatchError(f"{submissions.name} is a file, not a folder of submissions: {hint}")


def _internal_error(student, entry, stage, err):
    return Outcome(student, entry, problem=f"internal error while {stage}: {type(err).__name__}: {err}",
                   feedback="Um erro interno do avaliador impediu a correção; o professor foi avisado.")


def _save_safely(out, outcome, key, submissions, summary):
    """_save, and when it fails the student is not graded this run (and graded
    again next run), the others are saved as usual."""
    try:
        _save(out, outcome, key, submissions)
        return outcome
    except Exception as err:  # noqa: BLE001 - a failure of one student's files stops only that student
        failed = _internal_error(outcome.student, outcome.entry, "saving the report", err)
        with contextlib.suppress(Exception):
            (out / REPORTS / f"{outcome.student}.json").unlink(missing_ok=True)
        summary.problems.append((outcome.student, failed.problem))
        return failed


def _write_lms_files(out, staged, outcomes, manifest, view):
    """The files the LMS the download came from imports as they are."""
    if staged.lms == "moodle":
        atomic.write_atomic(out / lms_moodle.WORKSHEET, lms_moodle.worksheet(outcomes, staged.names, manifest))
        partial = out / (lms_moodle.FEEDBACK_ZIP + ".partial")
        lms_moodle.feedback_zip(outcomes, staged.names, out / FEEDBACK, partial)
        os.replace(partial, out / lms_moodle.FEEDBACK_ZIP)
    elif staged.lms == "canvas":
        atomic.write_atomic(out / lms_canvas.IMPORT, lms_canvas.import_csv(outcomes, staged.names, view.assignment))
def _class_run(out, view, roster, seconds):
    """What the class report says of this run: when, how long, and the names it knows."""
    return class_report.Run(date=time.strftime("%Y-%m-%d %H:%M %Z"), seconds=seconds,
                            names=class_report.read_names(out / intake.IDS), roster=roster,
                            roster_file=Path(view.roster).name if view.roster else "")


def _adjusted(summary, adjustments, problems):
    """The outcomes with the instructor's adjustments applied (a copy of each
    adjusted report), and a problem line for each adjustment that matched no one."""
    known = {o.student for o in summary.outcomes if o.report is not None}
    summary.problems += problems
    for student in sorted(set(adjustments) - known):
        summary.problems.append((student, "adjustment ignored: no graded student with this id"))
    return [dataclasses.replace(o, report=overrides.apply(o.report, adjustments.get(o.student)))
            if o.report is not None else o for o in summary.outcomes]


def _refresh(out, outcome):
    """Rewrite a student's report and feedback where they no longer say what
    this run shows (an adjustment added or taken back), or are missing."""
    path = out / REPORTS / f"{outcome.student}.json"
    if outcome.report is not None and _cacheable(outcome.report):
        text = json.dumps(outcome.report, ensure_ascii=False, indent=2) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _save_feedback(out, outcome)
            atomic.write_atomic(path, text)
            return
    if not (out / FEEDBACK / f"{outcome.student}.md").exists():
        _save_feedback(out, outcome)


def _originals(report):
    return {o["item"]: (o["was"], o["reason"]) for o in report.get("overrides", [])}


def _similar(out, outcomes, threshold):
    # In a child process under limits, from the code files saved beside the reports.
    if threshold is None:
        return None
    manifest = manifest_module.load()
    students = [o.student for o in outcomes if gradebook.status_of(o)[0] in (gradebook.OK, gradebook.WITH_ERRORS)]
    return similarity.compare_saved(out / CODE, students, threshold, similarity.stub_code(manifest.modules))


def _lock(out):
    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BatchError(f"another batch run is writing to {out}") from None
    return fd


def _grade_all(todo, seed, limits, jobs, sandbox, workroot, feedback=None):
    """Yield (Outcome, key) as each entry finishes, in whatever order."""
    if not todo:
        return
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    # Each worker runs grade(), which starts its own sandboxed child per submission.
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
        futures = {pool.submit(grade_entry, entry, student_seed(seed, entry.student), limits, workroot,
                               sandbox, feedback): (entry, key) for entry, key in todo}
        try:
            for future in concurrent.futures.as_completed(futures):
                entry, key = futures[future]
                try:
                    outcome = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    outcome = Outcome(entry.student, entry.name,
                                      problem="a grading worker died (out of memory?); rerun to retry",
                                      feedback="Um erro interno do avaliador impediu a correção; "
                                      "o professor foi avisado.")
                except Exception as err:  # noqa: BLE001 - an answer that cannot come back costs its student only
                    outcome = _internal_error(entry.student, entry.name, "grading", err)
                yield outcome, key
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _saved_report(out, student, key):
    """The saved report as graded (the adjustments it shows are undone: they
    are applied again, from the overrides file, on every run)."""
    try:
        report = json.loads((out / REPORTS / f"{student}.json").read_text(encoding="utf-8"))
        if report.get("batch", {}).get("key") != key:
            return None
        originals = _originals(report)
        report.pop("overrides", None)
        for item in report["items"]:
            if item["id"] in originals:
                item["score"] = originals[item["id"]][0]
        report["score"] = round(sum(i["score"] for i in report["items"]), 2)
        return report
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def _cacheable(report):
    # An internal failure may not happen again: grade that student again next run.
    return not any(e["message"].startswith("internal:") for e in report["errors"])


def _save(out, outcome, key, submissions):
    """Code and feedback first, then the report: a report on disk means the student is done."""
    report_path = out / REPORTS / f"{outcome.student}.json"
    if outcome.report is not None:
        outcome.report["submission"] = str(submissions / outcome.entry)
        outcome.report["batch"] = {"student": outcome.student, "entry": outcome.entry, "key": key}
    if outcome.report is not None:   # empty too: a cached report needs its code beside it
        if outcome.fingerprint:
            atomic.write_atomic(out / CODE / f"{outcome.student}.npz", outcome.fingerprint)
        atomic.write_atomic(out / CODE / f"{outcome.student}.txt", outcome.code)
    _save_feedback(out, outcome)
    if outcome.report is not None and _cacheable(outcome.report):
        atomic.write_json(report_path, outcome.report)
    elif report_path.exists():
        report_path.unlink()  # an older report would contradict this run's gradebook


def _save_feedback(out, outcome):
    """Markdown (GitHub), plain text (an LMS comment box) and the HTML page the class report links to."""
    atomic.write_atomic(out / FEEDBACK / f"{outcome.student}.md", gradebook.feedback(outcome))
    atomic.write_atomic(out / FEEDBACK / f"{outcome.student}.txt", gradebook.feedback_text(outcome))
    atomic.write_atomic(out / FEEDBACK / f"{outcome.student}.html", gradebook.feedback_html(outcome))


def _run_record(summary, limits, jobs):
    graded = [o for o in summary.outcomes if o.report is not None]
    return {"seed": summary.seed, "jobs": jobs or os.cpu_count(), "limits": dataclasses.asdict(limits),
            "students": len(summary.outcomes), "graded": len(graded),
            "from_cache": sum(o.cached for o in graded),
            "not_graded": [{"student": o.student, "entry": o.entry, "problem": o.problem}
                           for o in summary.outcomes if o.report is None],
            "skipped": [{"entry": e, "problem": m} for e, m in summary.problems],
            "seconds": round(summary.seconds, 1),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


# -- what the instructor sees while and after it runs --------------------------------

class Progress:
    """One line on stderr: done, remaining, elapsed; redrawn in place on a terminal."""

    def __init__(self, total, cached, stream):
        self.total, self.done, self.stream = total, 0, stream
        self.started = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        if cached or total:
            print(f"{cached} student(s) unchanged since the last run; {total} to grade.", file=stream)

    def update(self, outcome):
        self.done += 1
        elapsed = time.monotonic() - self.started
        result = (f"{format_score(outcome.report['score'])}/{format_score(outcome.report['max_score'])}"
                  if outcome.report else "not graded")
        line = (f"[{self.done}/{self.total}] {self.total - self.done} remaining, "
                f"{_clock(elapsed)} elapsed | {visible(outcome.student)}: {result}")
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self):
        if self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def describe(summary):
    """The end-of-run summary, for stdout."""
    outcomes = summary.outcomes
    graded = [o for o in outcomes if o.report is not None]
    lines = []
    if summary.interrupted:
        lines.append(f"Interrupted: {len(graded)} student(s) graded and saved in {summary.out}; "
                     "rerun the same command to grade the rest. The gradebook was not rewritten.")
        return "\n".join(lines)
    if not outcomes and not summary.problems:
        lines.append("No submissions found: nothing to grade. The gradebook is empty.")
    else:
        cached = sum(o.cached for o in graded)
        lines.append(f"{len(outcomes)} student(s): {len(graded)} graded ({len(graded) - cached} now, "
                     f"{cached} unchanged), {len(outcomes) - len(graded)} not graded, "
                     f"in {summary.seconds:.1f} s (seed {summary.seed}).")
        worked = [o for o in graded if gradebook.status_of(o)[0] != gradebook.NOT_ATTEMPTED]
        if worked:
            mean = sum(o.report["score"] for o in worked) / len(worked)
            lines.append(f"Mean total {mean:.1f} / {format_score(worked[0].report['max_score'])} "
                         f"(over the {len(worked)} who attempted it).")
    notes = sorted({(o.report["sandbox"], o.report["sandbox_note"]) for o in graded
                    if not o.cached and o.report.get("sandbox_note")})
    lines += [f"Warning: graded with the '{kind}' sandbox ({note})." for kind, note in notes]
    # Names and messages come from students: no escape code or direction mark reaches the terminal.
    issues = [f"  {visible(entry)}: {visible(message)}" for entry, message in summary.problems]
    for o in outcomes:
        status, message = gradebook.status_of(o)
        if status in (gradebook.NOT_GRADED, gradebook.WITH_ERRORS, gradebook.NOT_ATTEMPTED):
            issues.append(f"  {visible(o.student)} ({status}): {visible(message)}")
    if issues:
        lines.append(f"Problems ({len(issues)}):")
        lines += issues
    if summary.similar is not None and summary.similar.problem:
        lines.append(f"Similar submissions: not compared ({summary.similar.problem}).")
    if summary.similar is not None and summary.similar.pairs:
        more = (f", the {len(summary.similar.pairs)} most alike listed"
                if summary.similar.total > len(summary.similar.pairs) else "")
        lines.append(f"Similar submissions ({max(summary.similar.total, len(summary.similar.pairs))} pair(s) "
                     f"sharing {summary.similar.threshold:.0%} or more{more}; see the class report):")
        lines += [f"  {visible(p.first)} ~ {visible(p.second)}: {p.first_share:.0%} / {p.second_share:.0%}"
                  for p in summary.similar.pairs]
    lines.append(f"Wrote {summary.out / GRADEBOOK}, {summary.out / CLASS_REPORT}, "
                 f"{summary.out / REPORTS}/, {summary.out / FEEDBACK}/.")
    return "\n".join(lines)
