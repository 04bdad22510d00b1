"""Runs one suite with pytest in the judging process, against a child."""
import contextlib
import io
import os

import pytest
from pytest_jsonreport.plugin import JSONReport

from .judge_plugin import JudgePlugin
from .manifest import SUITES


def run_suite(suite, student, seed):
    """Return pytest-json-report's report of `suite` ('hidden' or 'public')."""
    folder = SUITES / suite
    report = JSONReport()
    args = [str(folder), "-c", str(SUITES / "pytest.ini"), "--rootdir", str(SUITES),
            "-p", "no:cacheprovider", "--capture=sys", "--assert=plain",
            "--import-mode=importlib", "-p", "pytest_jsonreport.plugin", "--json-report-file=none",
            "--json-report-omit", "traceback", "streams", "log", "keywords", "-q"]
    with _no_plugin_autoload(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        pytest.main(args, plugins=[report, JudgePlugin(student, seed)])
    return report.report


@contextlib.contextmanager
def _no_plugin_autoload():
    # Only the plugins named in args load; no config but the suite's own is read.
    old = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        if old is None:
            del os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"]
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = old
