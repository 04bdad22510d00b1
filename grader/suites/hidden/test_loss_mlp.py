"""Item `loss-mlp`: make_dataset and mlp_loss on the kit's MLP.

The model runs on the judge's Value, and the judge builds the same parameters
itself from the seed (grader/judge/mlp_math.py); where mlp_loss calls the student's
own `mse` or `binary_cross_entropy`, the judge's stand in for them however
mlp_loss reaches them (by name, an alias bound at import, a default argument,
a dict, a closure, functools.partial: see `rebound`), so only mlp_loss's own
logic is graded here (SPEC section 2).
"""
import pytest

from grader.judge import mlp_math
from grader.suites.hidden.judge_losses import JUDGE_LOSSES, REFERENCE_LOSSES
from grader.testing import (RAISED, close, close_all, equal, labels, patched, points, raises, real, rebound,
                            require, run, sequence)

SIZES = [2, 3, 1]


def make_dataset(student, what, n, seed):
    got = run(student, "from gradient_check import make_dataset\nresult = make_dataset(n, seed)", what, "dataset",
              n=n, seed=seed)
    X, y = sequence(got, what, 2, "dataset")
    sequence(X, f"X de {what}", n, "dataset")
    sequence(y, f"y de {what}", n, "dataset")
    for i, point in enumerate(X):
        for v in sequence(point, f"X[{i}] de {what}", 2, "dataset"):
            real(v, f"X[{i}] de {what}", "dataset")
    return X, [real(v, f"y de {what}", "dataset") for v in y]


def test_make_dataset_shape(student, rng):
    n, seed = rng.randint(5, 40), rng.randint(0, 10_000)
    what = f"make_dataset({n}, seed={seed})"
    _, y = make_dataset(student, what, n, seed)
    require(set(y) == {0.0, 1.0}, f"{what}: os rótulos deveriam ser 0 e 1 (as duas classes), vieram "
            f"{sorted(set(y))}.", "dataset")


def test_make_dataset_small_and_default(student, rng):
    seed = rng.randint(0, 10_000)
    for n in (2, 3):
        what = f"make_dataset({n}, seed={seed})"
        _, y = make_dataset(student, what, n, seed)
        require(set(y) == {0.0, 1.0}, f"{what} deveria ter as duas classes, veio {sorted(set(y))}.", "dataset")
    got = run(student, "from gradient_check import make_dataset\nresult = [make_dataset(), make_dataset(100, 0)]",
              "make_dataset()", "dataset")
    default, explicit = sequence(got, "make_dataset()", 2)
    X, y = sequence(default, "make_dataset()", 2, "dataset")
    equal([len(sequence(X, "X de make_dataset()")), len(sequence(y, "y de make_dataset()"))], [100, 100],
          "[len(X), len(y)] de make_dataset()", "dataset")
    require(default == explicit, "make_dataset() deveria ser igual a make_dataset(100, seed=0) (os valores padrão).",
            "dataset")


def test_make_dataset_has_both_classes_for_every_seed(student, rng):
    # Labels drawn at random would give a single class to 1 in 2 seeds at
    # n = 2 and 1 in 4 at n = 3: twenty seeds of each, from this test's own.
    seeds = [rng.randint(0, 10_000) for _ in range(20)]
    got = run(student, "from gradient_check import make_dataset\n"
              "result = [[list(make_dataset(n, s)[1]) for s in seeds] for n in (2, 3)]", "make_dataset", "dataset",
              seeds=seeds)
    for n, runs in zip((2, 3), sequence(got, "make_dataset", 2)):
        for seed, y in zip(seeds, sequence(runs, "make_dataset", len(seeds))):
            what = f"make_dataset({n}, seed={seed})"
            y = [real(v, f"y de {what}", "dataset") for v in sequence(y, f"y de {what}", n, "dataset")]
            require(set(y) == {0.0, 1.0}, f"{what} deveria ter as duas classes, veio y = {y}.", "dataset")


def test_make_dataset_is_deterministic_and_leaves_global_random(student, rng):
    seed = rng.randint(0, 10_000)
    # Compared on the judge's side: nothing the child says is "equal" is trusted.
    code = ("import random, sys\nfrom gradient_check import make_dataset\n"
            "np = sys.modules.get('numpy')\n"
            "def draws():\n    return [random.random()] + ([float(np.random.random())] if np else [])\n"
            "random.seed(1234)\nnp and np.random.seed(1234)\nexpected_next = draws()\n"
            "random.seed(1234)\nnp and np.random.seed(1234)\n"
            "first = make_dataset(20, seed)\nafter = draws()\nsecond = make_dataset(20, seed)\n"
            "result = [first, second, expected_next, after]")
    first, second, expected_next, after = sequence(run(student, code, "make_dataset", "dataset", seed=seed),
                                                   "make_dataset", 4)
    require(first == second, f"make_dataset(20, seed={seed}) chamado duas vezes deu resultados diferentes.", "dataset")
    require(expected_next == after, "make_dataset mexeu no estado global do gerador aleatório (random ou "
            "numpy.random): use um gerador próprio, como random.Random(seed).", "dataset")


MODEL = "from mlp import MLP\nmodel = MLP(2, [3, 1], seed=seed)\n"


def on_judge_losses(body):
    # The name patch of gradient_check comes first, while `losses` still holds
    # the student's functions (`same_as` compares with those).
    inner = rebound("losses", JUDGE_LOSSES, body)
    return MODEL + REFERENCE_LOSSES.source + patched("gradient_check", JUDGE_LOSSES, inner, same_as="losses")


@pytest.mark.parametrize("kind", ["mse", "cross_entropy"])
def test_mlp_loss_value(student, rng, kind):
    n, seed = rng.randint(4, 10), rng.randint(0, 999)
    X, y = points(rng, n), [float(v) for v in labels(rng, n)]   # labels are plain numbers: 1.0 counts
    what = f"mlp_loss(model, X, y, loss={kind!r}) com {n} pontos"
    got = run(student, on_judge_losses("from gradient_check import mlp_loss\nloss = mlp_loss(model, X, y, kind)\n"
                                       "result = [loss.data, hasattr(loss, 'backward')]"),
              what, "mlp_loss", X=X, y=y, kind=kind, seed=seed)
    data, is_value = sequence(got, what, 2)
    require(is_value is True, f"{what} deveria devolver um Value (com backward()).", "mlp_loss")
    close(data, mlp_math.loss(mlp_math.parameters(SIZES, seed), SIZES, X, y, kind), f"{what}: .data", "mlp_loss")


def test_mlp_loss_default_is_mse(student, rng):
    seed = rng.randint(0, 999)
    X, y = points(rng, 5), labels(rng, 5)
    got = run(student, on_judge_losses("from gradient_check import mlp_loss\nresult = mlp_loss(model, X, y).data"),
              "mlp_loss(model, X, y)", "mlp_loss", X=X, y=y, seed=seed)
    close(got, mlp_math.loss(mlp_math.parameters(SIZES, seed), SIZES, X, y, "mse"),
          "mlp_loss(model, X, y) sem o argumento loss", "mlp_loss")


@pytest.mark.parametrize("kind", ["mse", "cross_entropy"])
def test_mlp_loss_backpropagates(student, rng, kind):
    seed = rng.randint(0, 999)
    X, y = points(rng, 4), labels(rng, 4)
    what = f"mlp_loss(..., loss={kind!r}).backward()"
    got = run(student, on_judge_losses("from gradient_check import mlp_loss\nloss = mlp_loss(model, X, y, kind)\n"
                                       "model.zero_grad()\nloss.backward()\n"
                                       "result = [p.grad for p in model.parameters()]"),
              what, "mlp_loss", X=X, y=y, kind=kind, seed=seed)
    expected = mlp_math.gradient(mlp_math.parameters(SIZES, seed), SIZES, X, y, kind)
    close_all(got, expected, f"os grads dos parâmetros depois de {what}", "mlp_loss")


def test_mlp_loss_unknown_loss(student, rng):
    X, y = points(rng, 3), labels(rng, 3)
    for name in ("hinge", "MSE", "cross-entropy", ""):
        what = f"mlp_loss(model, X, y, loss={name!r})"
        got = run(student, MODEL + "from gradient_check import mlp_loss\n"
                  "def attempt():\n    mlp_loss(model, X, y, name)\n" + RAISED, what, "mlp_loss",
                  X=X, y=y, seed=1, name=name)
        raises(got, "ValueError", what, "mlp_loss")
