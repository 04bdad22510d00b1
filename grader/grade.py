"""One submission in, one report out: prepare, run the suite, build the report."""
import secrets
import tempfile
import time

from . import __version__, manifest as manifest_module
from .notebooks import cell_errors, generated_modules
from .report import Report, build
from .run_suite import run_suite
from .sandbox import choose, for_hidden_tests
from .student_process import Limits, StudentProcess
from .submission import locate, prepare


def grade(submission, suite="hidden", seed: int | None = None, limits: Limits | None = None, sandbox: str = "auto",
          feedback: str | None = None, allow_weak_sandbox: bool | None = None) -> Report:
    """Grade one submission folder. `sandbox`: 'auto', 'bwrap', 'landlock' or
    'process' (for the hidden suite only where for_hidden_tests allows it, or
    with `allow_weak_sandbox`); `feedback`: 'full', 'hint' or 'none' overrides
    the manifest."""
    manifest = manifest_module.load()
    source = locate(submission)   # the folder itself, or the one folder it holds (a zip of the folder)
    hidden = manifest_module.suite_folder(suite).resolve() == manifest_module.suite_folder("hidden").resolve()
    confinement = for_hidden_tests(sandbox, allow_weak_sandbox) if hidden else choose(sandbox)
    seed = secrets.randbits(32) if seed is None else seed
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
