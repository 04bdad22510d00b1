"""The judge's mse and binary cross-entropy, for the hidden suites that grade
code calling the student's losses (mlp_loss, train): they run in place of the
student's (`testing.rebound`), so a losses.py bug costs only its own items.
They run as the student's own function objects, with the student's module
globals: they read no global name. Hidden only: never in a student's kit."""
from grader.testing import Shared

REFERENCE_LOSSES = Shared('''
    def reference_mse(y_true, y_pred, *, _zip=zip, _len=len):
        total = 0.0
        for y, p in _zip(y_true, y_pred):
            total = total + (p - y) ** 2
        return total * (1 / _len(y_true))

    def reference_bce(y_true, p_pred, eps=1e-12, *, _zip=zip, _len=len):
        total = 0.0
        for y, p in _zip(y_true, p_pred):
            total = total - (y * p.log() + (1 - y) * (1 - p).log())
        return total * (1 / _len(y_true))
''')
JUDGE_LOSSES = {"mse": "reference_mse", "binary_cross_entropy": "reference_bce"}
