"""Item `loss-mlp`: make_dataset and mlp_loss on the kit's MLP."""
import pytest

from grader.checks import close, close_all, equal, raises, real, require, sequence
from grader import mlp_math

SIZES = [2, 3, 1]


def test_make_dataset_shape(student, rng):
    n, seed = rng.randint(5, 40), rng.randint(0, 10_000)
    got = student.run("from gradient_check import make_dataset\nresult = make_dataset(n, seed)",
                      what="make_dataset", n=n, seed=seed)
    what = f"make_dataset({n}, seed={seed})"
    X, y = sequence(got, what, 2)
    sequence(X, f"X de {what}", n)
    sequence(y, f"y de {what}", n)
    for i, point in enumerate(X):
        for v in sequence(point, f"X[{i}] de {what}", 2):
            real(v, f"X[{i}] de {what}")
    labels = {real(v, f"y de {what}") for v in y}
    require(labels == {0.0, 1.0}, f"{what}: os rótulos deveriam ser 0 e 1 (as duas classes), vieram {sorted(labels)}.",
            "dataset")


def test_make_dataset_small_and_default(student):
    got = student.run("from gradient_check import make_dataset\n"
                      "X2, y2 = make_dataset(2, 5)\nX, y = make_dataset()\n"
                      "result = [len(X), len(y), sorted(set(y2))]", what="make_dataset")
    n_x, n_y, labels = sequence(got, "make_dataset", 3)
    equal(n_x, 100, "len(X) de make_dataset()", "dataset")
    equal(n_y, 100, "len(y) de make_dataset()", "dataset")
    require(labels == [0, 1], f"make_dataset(2, seed=5) deveria ter as duas classes, veio {labels}.", "dataset")


def test_make_dataset_is_deterministic_and_leaves_global_random(student, rng):
    seed = rng.randint(0, 10_000)
    code = ("import random\nfrom gradient_check import make_dataset\n"
            "random.seed(1234)\nexpected_next = random.random()\nrandom.seed(1234)\n"
            "first = make_dataset(20, seed)\nafter = random.random()\nsecond = make_dataset(20, seed)\n"
            "result = [first == second, after == expected_next]")
    same, untouched = sequence(student.run(code, what="make_dataset", seed=seed), "make_dataset", 2)
    require(same is True, f"make_dataset(20, seed={seed}) chamado duas vezes deu resultados diferentes.", "dataset")
    require(untouched is True, "make_dataset mexeu no estado global do módulo random.", "dataset")


def data(rng, n):
    X = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]
    y = [i % 2 for i in range(n)]
    rng.shuffle(y)
    return X, y


MODEL = ("from mlp import MLP\nfrom gradient_check import mlp_loss\n"
         "model = MLP(2, [3, 1], seed=seed)\nparams = [p.data for p in model.parameters()]\n")


@pytest.mark.parametrize("kind", ["mse", "cross_entropy"])
def test_mlp_loss_value(student, rng, kind):
    X, y = data(rng, rng.randint(4, 10))
    got = student.run(MODEL + "loss = mlp_loss(model, X, y, kind)\n"
                      "result = [params, loss.data, hasattr(loss, 'backward')]",
                      what=f"mlp_loss(..., loss={kind!r})", X=X, y=y, kind=kind, seed=rng.randint(0, 999))
    params, data_, is_value = sequence(got, "mlp_loss", 3)
    what = f"mlp_loss(model, X, y, loss={kind!r}) com {len(X)} pontos"
    require(is_value is True, f"{what} deveria devolver um Value (com backward()).", "mlp_loss")
    close(data_, mlp_math.loss(params, SIZES, X, y, kind), f"{what}: .data", "mlp_loss")


def test_mlp_loss_default_is_mse(student, rng):
    X, y = data(rng, 5)
    got = student.run(MODEL + "result = [params, mlp_loss(model, X, y).data]", what="mlp_loss(model, X, y)",
                      X=X, y=y, seed=rng.randint(0, 999))
    params, data_ = sequence(got, "mlp_loss", 2)
    close(data_, mlp_math.loss(params, SIZES, X, y, "mse"), "mlp_loss(model, X, y) sem o argumento loss", "mlp_loss")


@pytest.mark.parametrize("kind", ["mse", "cross_entropy"])
def test_mlp_loss_backpropagates(student, rng, kind):
    X, y = data(rng, 4)
    got = student.run(MODEL + "loss = mlp_loss(model, X, y, kind)\nmodel.zero_grad()\nloss.backward()\n"
                      "result = [params, [p.grad for p in model.parameters()]]",
                      what=f"mlp_loss(..., loss={kind!r}).backward()", X=X, y=y, kind=kind, seed=rng.randint(0, 999))
    params, grads = sequence(got, "mlp_loss", 2)
    expected = mlp_math.central_gradient(lambda w: mlp_math.loss(w, SIZES, X, y, kind), params)
    close_all(grads, expected, f"os grads dos parâmetros depois de mlp_loss(..., loss={kind!r}).backward()",
              "mlp_loss", rel=1e-5, abs_tol=1e-7)


def test_mlp_loss_unknown_loss(student, rng):
    X, y = data(rng, 3)
    got = student.run(MODEL + "try:\n    mlp_loss(model, X, y, 'hinge')\n    result = None\n"
                      "except ValueError:\n    result = 'ValueError'\nexcept Exception as exc:\n"
                      "    result = type(exc).__name__", what="mlp_loss", X=X, y=y, seed=1)
    raises(got, "ValueError", "mlp_loss(model, X, y, loss='hinge')", "mlp_loss")
