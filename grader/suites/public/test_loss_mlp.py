"""Testes públicos de `loss-mlp`."""
from grader.testing import require, run


def test_make_dataset_shape(student):
    got = run(student, "from gradient_check import make_dataset\nX, y = make_dataset(10, 0)\n"
              "result = [len(X), len(y), sorted(set(y)), make_dataset(10, 0) == (X, y)]", "make_dataset(10, 0)",
              "dataset")
    require(got == [10, 10, [0, 1], True],
            f"make_dataset(10, 0): esperava 10 pontos, 10 rótulos, classes [0, 1] e o mesmo resultado para a mesma "
            f"seed; veio {got}.", "dataset")


def test_mlp_loss_is_a_value(student):
    got = run(student, "from mlp import MLP\nfrom gradient_check import mlp_loss\n"
              "loss = mlp_loss(MLP(2, [3, 1]), [[1.0, 2.0], [-1.0, 0.5]], [1, 0])\n"
              "result = [hasattr(loss, 'backward'), 0 < loss.data < 1]", "mlp_loss", "mlp_loss")
    require(got == [True, True], f"mlp_loss com MSE deveria devolver um Value com data entre 0 e 1; veio {got}.",
            "mlp_loss")
