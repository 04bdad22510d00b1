"""GitHub Classroom's own reporter, run on `grader ci`'s outputs: the points it
shows are the report's (issue: "Points 0/100" for every submission)."""
import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SOLUTIONS
from grader.platforms.ci import _outputs
from grader.grade import grade

REPORTER = Path(__file__).parent / "vendor" / "autograding-grading-reporter" / "main.js"


def points(report):
    outputs = dict(line.split("=", 1) for line in _outputs(report).splitlines())
    runners = [key[: -len("_results")] for key in outputs if key.endswith("_results")]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INPUT_", "GITHUB_"))}
    env["INPUT_RUNNERS"] = ",".join(runners)
    env.update({f"{r.upper()}_RESULTS": outputs[f"{r}_results"] for r in runners})
    done = subprocess.run(["node", str(REPORTER)], capture_output=True, text=True, env=env, timeout=60)
    found = re.search(r"Points ([\d.]+)/([\d.]+)", done.stdout)
    assert found, done.stdout[-2000:] + done.stderr[-2000:]
    return float(found.group(1)), float(found.group(2)), runners


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("folder", [SOLUTIONS, ROOT / "examples" / "aluno"], ids=["reference", "aluno"])
def test_the_real_reporter_shows_the_reports_points(folder):
    report = grade(folder, seed=2026)
    got, best, runners = points(report)
    # The reporter adds the runners' points as floats: 18.79 + 13.0 + ... can print
    # 95.60999999999999 where the report says 95.61 (issue 21's report of examples/aluno).
    assert got == pytest.approx(report["score"], abs=1e-9) and best == report["max_score"]
    assert all(re.fullmatch(r"[a-zA-Z0-9]+", r) for r in runners)   # the reporter's own validation
    if folder == SOLUTIONS:
        assert got == 100


def test_each_runner_sums_to_its_items_score():
    report = grade(ROOT / "examples" / "aluno", seed=7)
    outputs = dict(line.split("=", 1) for line in _outputs(report).splitlines())
    from grader.platforms.ci import runner_id
    for item in report["items"]:
        payload = json.loads(base64.b64decode(outputs[f"{runner_id(item['id'])}_results"]))
        assert sum(t["score"] for t in payload["tests"]) == item["score"]
        assert payload["max_score"] == item["max_score"]
