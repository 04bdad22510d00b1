"""Item `quando-usar-loss`: saturation gradients and choosing a loss."""
import math

from grader.testing import call, close, equal, raised, raises, sequence


def expected_pair(z, y):
    p = 1 / (1 + math.exp(-z))
    return 2 * (p - y) * p * (1 - p), p - y


def test_sigmoid_output_gradients(student, rng):
    for y, sign in ((0, 1), (1, -1), (1, 1), (0, -1)):   # both labels, both signs of z, on every seed
        z = sign * rng.uniform(0.5, 4)
        got = call(student, "losses", "sigmoid_output_gradients", z, y, what="sigmoid_output_gradients",
                   hint="saturation")
        what = f"sigmoid_output_gradients({z:.4g}, {y})"
        d_mse, d_bce = sequence(got, what, 2)
        e_mse, e_bce = expected_pair(z, y)
        close(d_mse, e_mse, f"{what}[0] (dMSE/dz)", "saturation")
        close(d_bce, e_bce, f"{what}[1] (dBCE/dz)", "saturation")


def test_saturated_sigmoid(student, rng):
    # A confident wrong answer: MSE's gradient vanishes, cross-entropy's does not.
    z = rng.uniform(8, 12)
    got = call(student, "losses", "sigmoid_output_gradients", z, 0, what="sigmoid_output_gradients",
               hint="saturation")
    what = f"sigmoid_output_gradients({z:.4g}, 0)"
    d_mse, d_bce = sequence(got, what, 2)
    e_mse, e_bce = expected_pair(z, 0)
    close(d_mse, e_mse, f"{what}[0] (dMSE/dz)", "saturation", rel=1e-5, abs_tol=1e-12)
    close(d_bce, e_bce, f"{what}[1] (dBCE/dz)", "saturation")


def test_choose_loss(student):
    for task, expected in (("regression", "mse"), ("classification", "cross_entropy")):
        equal(call(student, "losses", "choose_loss", task, what="choose_loss", hint="choose"), expected,
              f"choose_loss({task!r})", "choose")


def test_choose_loss_unknown_task(student):
    # Every spelling on every seed: a choose_loss that lower-cases or strips must be caught.
    for task in ("clustering", "ranking", "segmentation", "zzz", "Regression", "CLASSIFICATION", " regression",
                 "classification ", "mse", "cross_entropy", ""):
        raises(raised(student, "losses", "choose_loss", task, hint="choose"), "ValueError", f"choose_loss({task!r})",
               "choose")
