"""Submissions that try to earn points from what the child reports
(known-attacks.md, "Found against this kit"): each scores nothing in the
tests it attacks."""
import pytest

from conftest import EXERCISES, SOLUTIONS, build_submission
from grader.sandbox.confine import PROBLEMS


def failed_tests(report, item):
    return {t["name"] for i in report["items"] if i["id"] == item for t in i["tests"] if not t["passed"]}


def test_nan_parameters_do_not_make_mlp_loss_right(tmp_path, graded):
    # mlp_loss turns the model's parameters to NaN and returns NaN: an
    # expectation computed from reported parameters would be NaN too.
    attack = ('\n\ndef mlp_loss(model, X, y, loss="mse"):\n'
              '    if loss not in ("mse", "cross_entropy"):\n        raise ValueError(loss)\n'
              '    for p in model.parameters():\n        p.data = float("nan")\n'
              '    out = model(X[0])\n    return out * 0.0 + float("nan")\n')
    folder = build_submission(tmp_path / "sub")
    with open(folder / "gradient_check.py", "a", encoding="utf-8") as f:
        f.write(attack)
    report = graded(folder, seed=8)
    assert {"test_mlp_loss_value[mse]", "test_mlp_loss_value[cross_entropy]", "test_mlp_loss_default_is_mse",
            "test_mlp_loss_backpropagates[mse]", "test_mlp_loss_backpropagates[cross_entropy]"} <= \
        failed_tests(report, "loss-mlp")


def test_jittered_backward_does_not_switch_off_the_train_checks(tmp_path, graded):
    # A backward that jitters by 1e-8 once switched off train's update checks;
    # this train does not train at all.
    jitter = ("    def backward(self):\n        import random as _r\n        _jitter = _r.uniform(-1e-8, 1e-8)\n")
    folder = build_submission(tmp_path / "sub", [
        ("value.py", "    def backward(self):\n", jitter),
        ("value.py", "        self.grad = 1.0\n        for v in reversed(topo):\n            v._backward()\n",
         "        self.grad = 1.0\n        for v in reversed(topo):\n            v._backward()\n"
         "            v.grad += _jitter\n"),
        ("gradient_check.py", "        for p in model.parameters():\n            p.data -= learning_rate * p.grad\n",
         "        pass\n")])
    report = graded(folder, seed=8)
    assert {"test_train_update_rule[None]", "test_train_update_rule[mse]", "test_train_loss_falls"} <= \
        failed_tests(report, "gradient-check")


def test_lying_eq_does_not_make_a_dataset_deterministic(tmp_path, graded):
    liar = ('\n\nclass _Always(list):\n    def __eq__(self, other):\n        return True\n    __hash__ = None\n\n'
            'def make_dataset(n=100, seed=0):\n    import random as _r\n'
            '    X = _Always([[_r.random(), _r.random()] for _ in range(n)])\n'
            '    y = _Always([i % 2 for i in range(n)])\n    return _Always([X, y])\n')
    folder = build_submission(tmp_path / "sub")
    with open(folder / "gradient_check.py", "a", encoding="utf-8") as f:
        f.write(liar)
    report = graded(folder, seed=8)
    assert "test_make_dataset_is_deterministic_and_leaves_global_random" in failed_tests(report, "loss-mlp")


# -- correct code placed beside the student's (known-attacks.md, second round) --
# A Value that implements nothing (the exercise's stub) but hands out, from
# __new__, an instance of whatever correct Value the child holds: the judge's
# stand-in, found through __subclasses__ (it subclasses the student's class),
# sys.modules or the garbage collector.
FORGED_NEW = {
    "subclasses": ("        for sub in cls.__subclasses__():\n"
                   "            return sub(*args, **kwargs)\n"),
    "sys_modules": ("        import sys\n"
                    "        for name in ('value', 'student_value'):\n"
                    "            other = getattr(sys.modules.get(name), 'Value', cls)\n"
                    "            if isinstance(other, type) and other is not cls and '_wrap' in vars(other):\n"
                    "                return other(*args, **kwargs)\n"),
    "gc": ("        import gc\n"
           "        for obj in gc.get_objects():\n"
           "            if isinstance(obj, type) and obj is not cls and '_wrap' in vars(obj):\n"
           "                return obj(*args, **kwargs)\n"),
}
SANDBOXES = [k for k in ("bwrap", "landlock", "process") if not PROBLEMS[k]()]


def forged_value(folder, finder):
    stub = (EXERCISES / "value.py").read_text(encoding="utf-8")
    new = ("    def __new__(cls, *args, **kwargs):\n"
           "        if '_wrap' in vars(cls):   # the judge's own, building itself\n"
           "            return object.__new__(cls)\n" + finder + "        return object.__new__(cls)\n\n")
    forged = stub.replace("    def __init__(self, data,", new + "    def __init__(self, data,", 1)
    assert forged != stub
    (folder / "value.py").write_text(forged, encoding="utf-8")


def value_backprop(report):
    return next(item for item in report["items"] if item["id"] == "value-backprop")


@pytest.mark.parametrize("kind", SANDBOXES)
@pytest.mark.parametrize("finder", sorted(FORGED_NEW))
def test_a_value_that_hands_out_the_judges_scores_nothing(tmp_path, graded, kind, finder):
    folder = build_submission(tmp_path / "sub")
    forged_value(folder, FORGED_NEW[finder])
    report = graded(folder, seed=8, sandbox=kind)
    assert value_backprop(report)["score"] == 0, value_backprop(report)
    # The other items still run on the judge's Value (SPEC section 2: one bug, one item).
    assert all(i["score"] == i["max_score"] for i in report["items"] if i["id"] != "value-backprop"), report


def test_the_unchanged_stub_scores_nothing_either(tmp_path, graded):
    folder = build_submission(tmp_path / "sub")
    (folder / "value.py").write_text((EXERCISES / "value.py").read_text(encoding="utf-8"), encoding="utf-8")
    assert value_backprop(graded(folder, seed=8))["score"] == 0


def test_objects_built_outside_value_py_are_refused(tmp_path, graded):
    # A correct Value written elsewhere (here in derivatives.py) that value.py's
    # class hands out: the tests of value-backprop grade value.py's own class.
    folder = build_submission(tmp_path / "sub")
    correct = (SOLUTIONS / "value.py").read_text(encoding="utf-8").replace("Value", "_Elsewhere")
    with open(folder / "derivatives.py", "a", encoding="utf-8") as f:
        f.write("\n\n" + correct)
    forged_value(folder, "        import derivatives\n        return derivatives._Elsewhere(*args, **kwargs)\n")
    report = graded(folder, seed=8)
    item = value_backprop(report)
    assert item["score"] == 0, item
    assert any("value.py" in t["message"] for t in item["tests"]), item


def test_value_is_graded_in_a_child_that_never_held_the_stand_in_whatever_the_order(tmp_path):
    # The judge plugin runs value-backprop first; asked for it after another
    # item, the student process starts a child that never held the stand-in.
    from grader.manifest import load, stand_in_source
    from grader.sandbox.confine import choose
    from grader.judge.student_process import Limits, StudentError, StudentProcess
    folder = build_submission(tmp_path / "sub")
    probe = ("import gc, sys\nresult = [bool(getattr(sys.modules.get('value'), '__stand_in__', False)),\n"
             "          any(isinstance(o, type) and '_wrap' in vars(o) for o in gc.get_objects())]")
    with StudentProcess(folder, load().modules, Limits(), choose("auto"), stand_in_source("hidden")) as student:
        student.begin_item("mse", 3, "losses")
        assert student.run(probe) == [True, True]
        student.begin_item("value-backprop", 2, "value")
        assert student.run(probe) == [False, False]
        assert student.run("from student_value import Value\na = Value(2.0)\nresult = a.data") == 2.0
        assert student.run("class Helper:\n    pass\nh = Helper()\nresult = 1") == 1   # the test's own class
        with pytest.raises(StudentError, match="value.py"):
            student.run("import fractions\nf = fractions.Fraction(1, 2)\nresult = 1")
        student.begin_item("cross-entropy", 1, "losses")
        assert student.run(probe) == [True, True]
