"""Testes públicos de `mse`: o exemplo do curso, a média (não a soma) e lotes inválidos."""
from grader.testing import call, close, close_all, raised, raises


def test_mse_example(student):
    got = call(student, "losses", "mse", [1.0, 0.0, 2.0], [1.5, -0.5, 2.0], what="mse", hint="mse_mean")
    close(got, 1 / 6, "mse([1, 0, 2], [1.5, -0.5, 2])", "mse_mean")


def test_mse_gradient_example(student):
    got = call(student, "losses", "mse_gradient", [1.0, 0.0], [2.0, 0.0], what="mse_gradient", hint="mse_gradient")
    close_all(got, [1.0, 0.0], "mse_gradient([1, 0], [2, 0])", "mse_gradient")


def test_mse_rejects_bad_batches(student):
    raises(raised(student, "losses", "mse", [1.0, 2.0], [1.0]), "ValueError", "mse com 2 rótulos e 1 previsão",
           "batch_errors")
    raises(raised(student, "losses", "mse", [], []), "ValueError", "mse([], [])", "batch_errors")
