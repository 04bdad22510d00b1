"""Item `mse`: mse on floats and on Values, mse_gradient, bad batches."""
from grader.testing import call, call_arrays, close, close_all, raised, raises, run, sequence


def batch(rng, n=None):
    n = n or rng.randint(3, 8)
    return [rng.uniform(-3, 3) for _ in range(n)], [rng.uniform(-3, 3) for _ in range(n)]


def test_mse_of_floats(student, rng):
    y, p = batch(rng)
    got = call(student, "losses", "mse", y, p, what="mse", hint="mse_mean")
    close(got, sum((b - a) ** 2 for a, b in zip(y, p)) / len(y), f"mse(y_true, y_pred) com {len(y)} pontos", "mse_mean")


def test_mse_course_example(student):
    got = call(student, "losses", "mse", [1.0, 0.0, 2.0], [1.5, -0.5, 2.0], what="mse", hint="mse_mean")
    close(got, (0.25 + 0.25 + 0.0) / 3, "mse([1, 0, 2], [1.5, -0.5, 2])", "mse_mean")


def test_mse_of_tuples_and_ints(student, rng):
    y = [rng.randint(-3, 3) for _ in range(4)]
    p = [rng.uniform(-3, 3) for _ in range(4)]
    got = run(student, "from losses import mse\nresult = mse(tuple(y), tuple(p))", "mse com tuplas", "mse_mean",
              y=y, p=p)
    close(got, sum((b - a) ** 2 for a, b in zip(y, p)) / 4, "mse com tuplas e rótulos inteiros", "mse_mean")


def test_mse_of_values_backpropagates(student, rng):
    y, p = batch(rng)
    code = ("from value import Value\nfrom losses import mse\n"
            "preds = [Value(v) for v in p]\nloss = mse(y, preds)\nloss.backward()\n"
            "result = [loss.data, [v.grad for v in preds]]")
    got = run(student, code, "mse com Values", "mse_mean", y=y, p=p)
    data, grads = sequence(got, "mse com Values", 2)
    n = len(y)
    close(data, sum((b - a) ** 2 for a, b in zip(y, p)) / n, "mse(y, [Value...]).data", "mse_mean")
    close_all(grads, [2 * (b - a) / n for a, b in zip(y, p)], "os grads das previsões depois de mse(...).backward()",
              "mse_gradient")


def test_mse_rejects_bad_batches(student, rng):
    y, p = batch(rng, 4)
    raises(raised(student, "losses", "mse", y, p[:3]), "ValueError", "mse com 4 rótulos e 3 previsões",
           "batch_errors")
    raises(raised(student, "losses", "mse", [], []), "ValueError", "mse([], [])", "batch_errors")
    raises(raised(student, "losses", "mse", y[:3], p), "ValueError", "mse com 3 rótulos e 4 previsões",
           "batch_errors")


def test_mse_of_a_long_batch(student, rng):
    # 300 points: lengths above 256 are not cached ints (a `len(a) is not len(b)` fails here)
    y, p = batch(rng, 300)
    got = call(student, "losses", "mse", y, p, what="mse com 300 pontos", hint="batch_errors")
    close(got, sum((b - a) ** 2 for a, b in zip(y, p)) / 300, "mse com 300 pontos", "mse_mean")


def test_mse_gradient(student, rng):
    y, p = batch(rng)
    got = call(student, "losses", "mse_gradient", y, p, what="mse_gradient", hint="mse_gradient")
    close_all(got, [2 * (b - a) / len(y) for a, b in zip(y, p)], f"mse_gradient com {len(y)} pontos", "mse_gradient")


def test_numpy_arrays_in_and_unchanged(student, rng):
    # SPEC section 4: numpy arrays as well as lists, and unchanged afterwards.
    y, p = batch(rng)
    n = len(y)
    close(call_arrays(student, "losses", "mse", y, p, what="mse com arrays numpy", hint="mse_mean"),
          sum((b - a) ** 2 for a, b in zip(y, p)) / n, "mse com arrays numpy", "mse_mean")
    close_all(call_arrays(student, "losses", "mse_gradient", y, p, what="mse_gradient com arrays numpy",
                          hint="mse_gradient"), [2 * (b - a) / n for a, b in zip(y, p)],
              "mse_gradient com arrays numpy", "mse_gradient")


def test_mse_gradient_rejects_bad_batches(student, rng):
    y, p = batch(rng, 3)
    raises(raised(student, "losses", "mse_gradient", y, p[:2]), "ValueError",
           "mse_gradient com 3 rótulos e 2 previsões", "batch_errors")
    raises(raised(student, "losses", "mse_gradient", [], []), "ValueError", "mse_gradient([], [])",
           "batch_errors")
