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
    # Only the plugins named here load; no config but the suite's own is read.
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    report = JSONReport()
    args = [str(folder), "-c", str(SUITES / "pytest.ini"), "--rootdir", str(folder),
            "-p", "no:cacheprovider", "--capture=sys", "--assert=plain",
            "--import-mode=importlib", "-p", "pytest_jsonreport.plugin", "--json-report-file=none",
            "--json-report-omit", "traceback", "streams", "log", "keywords", "-q"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main(args, plugins=[report, JudgePlugin(student, seed)])
    return report.report
