"""Runs one suite with pytest in the judging process, against a child."""
import contextlib
import io
import os

import pytest
from pytest_jsonreport.plugin import JSONReport

from .judge_plugin import JudgePlugin
from ..manifest import SUITES, suite_folder


PYTEST_ENV = ("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")
# pytest's built-in plugins the suites never use (no tmp_path, monkeypatch, caplog,
# warnings marks, doctests, unittest classes, debugger...): each one left out is
# set-up work per pytest.main and hooks per test, paid on every grade of a class.
UNUSED_PLUGINS = ("cacheprovider", "unraisableexception", "debugging", "unittest", "tmpdir", "monkeypatch",
                  "recwarn", "pastebin", "junitxml", "doctest", "setuponly", "setupplan", "stepwise",
                  "threadexception", "warnings", "logging", "faulthandler", "subtests")


def run_suite(suite, student, seed):
    """Return pytest-json-report's report of `suite`: 'hidden', 'public', or
    the Path of a suite folder (a test's own suite, say)."""
    folder = suite_folder(suite)
    report = JSONReport()
    args = [str(folder), "-c", str(SUITES / "pytest.ini"), "--rootdir", str(folder.parent),
            # no:unraisableexception: its clean-up runs gc.collect() five times
            # (~30 ms a grade); student code never runs here, so it has nothing to report.
            *(arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")), "--capture=sys", "--assert=plain",
            "--import-mode=importlib", "-p", "pytest_jsonreport.plugin", "--json-report-file=none",
            "--json-report-omit", "traceback", "streams", "log", "keywords", "-q"]
    with _no_plugin_autoload(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        code = pytest.main(args, plugins=[report, JudgePlugin(student, seed)])
    if code == pytest.ExitCode.INTERRUPTED:   # Ctrl-C or SIGTERM: no report from half a run
        raise KeyboardInterrupt
    return report.report


@contextlib.contextmanager
def _no_plugin_autoload():
    # Only the plugins named in args load, and no option comes from the
    # environment: no config but the suite's own is read.
    saved = {name: os.environ.pop(name, None) for name in PYTEST_ENV}
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value
