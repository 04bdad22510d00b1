"""karpathy's own micrograd Value, graded as value.py (SPEC section 1 and 4)."""
import shutil
from pathlib import Path

import micrograd.engine
import pytest

from conftest import scores

LACKS = ("tanh", "exp", "log", "sigmoid")


@pytest.fixture
def report(submission, graded):
    folder = submission(files=("derivatives.py", "losses.py", "gradient_check.py"))
    shutil.copyfile(Path(micrograd.engine.__file__), folder / "value.py")
    return graded(folder)


def test_grades_without_errors(report):
    assert report["errors"] == []


def test_loses_only_the_operations_it_lacks(report):
    value = next(i for i in report["items"] if i["id"] == "value-backprop")
    failed = {t["name"] for t in value["tests"] if not t["passed"]}
    assert failed, "micrograd lacks tanh/exp/log/sigmoid and must lose those tests"
    for name in failed:
        assert any(op in name for op in LACKS + ("neuron", "accumulates[exp]")), name
    passed = {t["name"] for t in value["tests"] if t["passed"]}
    for op in ("add", "mul", "div", "pow_int", "rsub", "relu_positive", "relu_at_zero", "topological"):
        assert any(op in name for name in passed), op
    messages = " ".join(t["message"] for t in value["tests"] if not t["passed"])
    assert "AttributeError" in messages


def test_keeps_full_marks_outside_value_backprop(report):
    # SPEC section 4: it loses only the value-backprop tests of what it lacks;
    # the other items run on the judge's Value.
    got = scores(report)
    assert {item for item, (score, best) in got.items() if score < best} == {"value-backprop"}
