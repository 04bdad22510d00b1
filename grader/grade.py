"""One submission in, one report out: prepare, run the suite, build the report."""
import logging
import secrets
import tempfile
import time
import traceback

from . import __version__, manifest as manifest_module
from .errors import GraderError
from .judge.notebooks import cell_errors, generated_modules
from .judge.report import SCHEMA_VERSION, Report, build, inert
from .judge.run_suite import run_suite
from .judge.student_process import Limits, StudentProcess
from .judge.submission import locate, prepare
from .sandbox.confine import choose, for_hidden_tests


def grade(submission, suite="hidden", seed: int | None = None, limits: Limits | None = None, sandbox: str = "auto",
          feedback: str | None = None, allow_weak_sandbox: bool | None = None) -> Report:
    """Grade one submission folder. `sandbox`: 'auto', 'bwrap', 'landlock' or
    'process' (for the hidden suite only where for_hidden_tests allows it, or
    with `allow_weak_sandbox`); `feedback`: 'full', 'hint' or 'none' overrides
    the manifest.

    Always a report: a GraderError (the grader cannot grade at all: no such
    path, no sandbox) goes up, but any other failure of the grader on this
    submission becomes a report with what was graded and the error in `errors`."""
    seed = secrets.randbits(32) if seed is None else seed
    try:
        return _graded(submission, suite, seed, limits, sandbox, feedback, allow_weak_sandbox)
    except GraderError:
        raise
    except Exception as err:  # noqa: BLE001  (a bug of the grader costs this report its scores, never the report)
        logging.getLogger("grader").exception("internal error while grading %s", submission)
        manifest = manifest_module.load()
        extra = {"seed": seed, "suite": getattr(suite, "name", suite), "sandbox": sandbox, "sandbox_note": "",
                 "grader_version": __version__}
        try:
            return build(manifest, {"tests": []}, submission, [internal_error(err)], extra, feedback)
        except Exception:  # noqa: BLE001  (report building itself failed: the plainest report, by hand)
            items = [{"id": i.id, "title": i.title, "score": 0, "max_score": i.weight, "tests": []}
                     for i in manifest.items]
            return {"schema_version": SCHEMA_VERSION, "submission": inert(submission), "score": 0,
                    "max_score": sum(i["max_score"] for i in items), "items": items,
                    "errors": [{"module": "", "message": internal_error(err)["message"]}], **extra}


def internal_error(err):
    """The report error for a failure of the grader itself: for the student, and the place for the instructor."""
    where = traceback.extract_tb(err.__traceback__)[-1:] if err.__traceback__ else []
    place = f" ({where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno})" if where else ""
    return {"module": "", "message": "o avaliador teve um erro interno ao corrigir esta entrega (não é um erro do "
            "seu código): avise o professor. Os itens ficaram com 0", "detail": f"{type(err).__name__}: {err}{place}"}


def _graded(submission, suite, seed, limits, sandbox, feedback, allow_weak_sandbox) -> Report:
    manifest = manifest_module.load()
    source = locate(submission)   # the folder itself, or the one folder it holds (a zip of the folder)
    hidden = manifest_module.suite_folder(suite).resolve() == manifest_module.suite_folder("hidden").resolve()
    confinement = for_hidden_tests(sandbox, allow_weak_sandbox) if hidden else choose(sandbox)
    started = time.monotonic()
    # A stray file left in the copy must not cost the report.
    with tempfile.TemporaryDirectory(prefix="grader-", ignore_cleanup_errors=True) as workdir:
        errors = prepare(source, workdir, manifest.modules)
        notebooks = generated_modules(workdir, manifest.modules, source)   # before the child may touch the copy
        with StudentProcess(workdir, manifest.modules, limits or Limits(), confinement,
                            manifest_module.stand_in_source(suite)) as student:
            pytest_report = run_suite(suite, student, seed)
            student.settle()  # in case no test called the child
            errors += cell_errors(student, notebooks)  # notebook cells that raised
        errors += student.errors
    extra = {"seed": seed, "suite": getattr(suite, "name", suite), "sandbox": confinement.kind,
             "sandbox_note": confinement.note, "grader_version": __version__,
             "duration_seconds": round(time.monotonic() - started, 3)}
    return build(manifest, pytest_report, submission, errors, extra, feedback)
