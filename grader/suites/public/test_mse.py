"""Testes públicos de `mse`."""
from grader.testing import close, close_all


def test_mse_example(student):
    got = student.run("from losses import mse\nresult = mse([1.0, 0.0, 2.0], [1.5, -0.5, 2.0])", what="mse")
    close(got, 1 / 6, "mse([1, 0, 2], [1.5, -0.5, 2])", "mse_mean")


def test_mse_gradient_example(student):
    got = student.run("from losses import mse_gradient\nresult = mse_gradient([1.0, 0.0], [2.0, 0.0])",
                      what="mse_gradient")
    close_all(got, [1.0, 0.0], "mse_gradient([1, 0], [2, 0])", "mse_gradient")
