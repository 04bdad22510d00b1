"""Submissions that try to earn points from what the child reports
(known-attacks.md, "Found against this kit"): each scores nothing in the
tests it attacks."""
from conftest import build_submission


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
