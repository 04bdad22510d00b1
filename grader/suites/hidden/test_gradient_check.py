"""Item `gradient-check`: the deliverable.

Most tests use hand-made parameter and loss objects instead of the student's
Value, so a Value bug is not charged here a second time. The MLP tests
compare the student's functions with the student's own backward pass, for
the same reason.
"""
import pytest

from grader.checks import close, close_all, equal, raises, real, require, sequence
from grader import mlp_math

# L(w) = Σ c_i w_i³ + w_0 w_1, with a backward that adds `scale` times the true
# gradient to each .grad (scale != 1 is a wrong backward pass).
HAND_MADE = '''
class Param:
    def __init__(self, data):
        self.data = data
        self.grad = 0.0

class Loss:
    def __init__(self, data, backward):
        self.data = data
        self.backward = backward

calls = {"backward": 0}

def make_problem(params, coeffs, scale=1.0):
    def compute_loss():
        w = [p.data for p in params]
        value = sum(c * wi ** 3 for c, wi in zip(coeffs, w)) + w[0] * w[1]
        def backward():
            calls["backward"] += 1
            for i, p in enumerate(params):
                extra = w[1] if i == 0 else w[0] if i == 1 else 0.0
                p.grad += scale * (3 * coeffs[i] * w[i] ** 2 + extra)
        return Loss(value, backward)
    return compute_loss

params = [Param(v) for v in weights]
compute_loss = make_problem(params, coeffs, scale)
'''


def loss(w, coeffs):
    return sum(c * wi ** 3 for c, wi in zip(coeffs, w)) + w[0] * w[1]


def true_gradient(w, coeffs):
    return [3 * c * wi ** 2 + (w[1] if i == 0 else w[0] if i == 1 else 0.0) for i, (c, wi) in enumerate(zip(coeffs, w))]


def problem(rng, n=3):
    weights = [rng.uniform(0.3, 2) * rng.choice([-1, 1]) for _ in range(n)]
    return weights, [rng.uniform(0.5, 2) * rng.choice([-1, 1]) for _ in range(n)]


def nudged(w, i, h):
    out = list(w)
    out[i] += h
    return out


def run_hand_made(student, code, what, weights, coeffs, scale=1.0, **extra):
    return student.run("from gradient_check import *\n" + HAND_MADE + code, what=what,
                       weights=weights, coeffs=coeffs, scale=scale, **extra)


@pytest.mark.parametrize("method", ["central", "forward"])
def test_numeric_gradient(student, rng, method):
    weights, coeffs = problem(rng)
    i, h = rng.randrange(3), rng.choice([1e-3, 1e-2])
    got = run_hand_made(student, "g = numeric_gradient(compute_loss, params[i], h, method)\n"
                        "result = [g, params[i].data]", "numeric_gradient", weights, coeffs, i=i, h=h, method=method)
    g, after = sequence(got, "numeric_gradient", 2)
    what = f"numeric_gradient(compute_loss, param, h={h}, method={method!r})"
    if method == "central":
        expected = (loss(nudged(weights, i, h), coeffs) - loss(nudged(weights, i, -h), coeffs)) / (2 * h)
    else:
        expected = (loss(nudged(weights, i, h), coeffs) - loss(weights, coeffs)) / h
    close(g, expected, what, "numeric_central")
    equal(after, weights[i], f"param.data depois de {what}", "restore")


def test_numeric_gradient_defaults(student, rng):
    weights, coeffs = problem(rng)
    got = run_hand_made(student, "result = numeric_gradient(compute_loss, params[0])", "numeric_gradient",
                        weights, coeffs)
    expected = (loss(nudged(weights, 0, 1e-3), coeffs) - loss(nudged(weights, 0, -1e-3), coeffs)) / 2e-3
    close(got, expected, "numeric_gradient(compute_loss, param) com h e method padrão", "numeric_central")


def test_numeric_gradient_unknown_method(student, rng):
    weights, coeffs = problem(rng)
    got = run_hand_made(student, "try:\n    numeric_gradient(compute_loss, params[0], 1e-3, 'backward')\n"
                        "    result = None\nexcept ValueError:\n    result = 'ValueError'\n"
                        "except Exception as exc:\n    result = type(exc).__name__\n"
                        "result = [result, params[0].data]", "numeric_gradient", weights, coeffs)
    outcome, after = sequence(got, "numeric_gradient", 2)
    raises(outcome, "ValueError", "numeric_gradient(..., method='backward')", "numeric_central")


def test_gradient_check_pairs(student, rng):
    weights, coeffs = problem(rng)
    code = ("for p in params:\n    p.grad = 7.5\n"  # stale grads: gradient_check must zero them
            "pairs = gradient_check(compute_loss, params)\n"
            "result = [[list(pair) for pair in pairs], [p.data for p in params], calls['backward']]")
    got = run_hand_made(student, code, "gradient_check", weights, coeffs)
    pairs, after, backward_calls = sequence(got, "gradient_check", 3)
    sequence(pairs, "gradient_check(compute_loss, params)", 3)
    truth = true_gradient(weights, coeffs)
    for i, pair in enumerate(pairs):
        analytic, numeric = sequence(pair, f"gradient_check(...)[{i}]", 2)
        central = (loss(nudged(weights, i, 1e-3), coeffs) - loss(nudged(weights, i, -1e-3), coeffs)) / 2e-3
        close(analytic, truth[i], f"o gradiente analítico do parâmetro {i} em gradient_check (grads começavam em 7.5)",
              "gradient_check")
        close(numeric, central, f"o gradiente numérico do parâmetro {i} em gradient_check", "gradient_check")
    equal(after, weights, "os parâmetros depois de gradient_check", "restore")
    require(real(backward_calls, "backward") == 1,
            f"gradient_check chamou backward() {backward_calls} vezes; esperava 1.", "gradient_check")


def test_gradient_check_exposes_wrong_backward(student, rng):
    weights, coeffs = problem(rng)
    got = run_hand_made(student, "result = [list(p) for p in gradient_check(compute_loss, params)]",
                        "gradient_check", weights, coeffs, scale=1.3)
    pairs = sequence(got, "gradient_check com um backward errado", 3)
    truth = true_gradient(weights, coeffs)
    for i, pair in enumerate(pairs):
        analytic, numeric = sequence(pair, f"gradient_check(...)[{i}]", 2)
        what = f"gradient_check com um backward que erra por 30%: parâmetro {i}"
        close(analytic, 1.3 * truth[i], f"{what}, analítico", "gradient_check")
        close(numeric, truth[i], f"{what}, numérico", "gradient_check", rel=1e-4, abs_tol=1e-4)


def test_check_passes(student, rng):
    base = rng.uniform(-2, 2)
    cases = [([[base, base + 5e-6]], {}, True),
             ([[base, base + 2e-5]], {}, False),
             ([[base, base], [0.0, 1e-5]], {}, False),          # strict: equal to tol fails
             ([[base, base + 5e-4], [1.0, 1.0]], {"tol": 1e-3}, True),
             ([[base, base + 5e-4]], {"tol": 1e-4}, False),
             ([], {}, True)]
    for pairs, kwargs, expected in cases:
        got = student.run("from gradient_check import check_passes\n"
                          "result = check_passes([tuple(p) for p in pairs], **kwargs)",
                          what="check_passes", pairs=pairs, kwargs=kwargs)
        shown = ", ".join(f"({a:.6g}, {b:.6g})" for a, b in pairs)
        equal(got, expected, f"check_passes([{shown}]{', tol=' + str(kwargs['tol']) if kwargs else ''})", "strict")


def test_loss_goes_up(student, rng):
    weights, coeffs = problem(rng)
    truth = true_gradient(weights, coeffs)
    for i in range(3):
        if abs(truth[i]) <= 1e-3:
            continue
        got = run_hand_made(student, "result = [loss_goes_up(compute_loss, params[i]), params[i].data]",
                            "loss_goes_up", weights, coeffs, i=i)
        answer, after = sequence(got, "loss_goes_up", 2)
        what = f"loss_goes_up para um peso com gradiente {truth[i]:.3g}"
        equal(answer, truth[i] > 0, what, "goes_up")
        equal(after, weights[i], f"param.data depois de {what}", "restore")


MLP_SETUP = ("from mlp import MLP\nfrom gradient_check import *\n"
             "model = MLP(2, sizes[1:], seed=seed)\nparams = model.parameters()\n"
             "start = [p.data for p in params]\n")


def data(rng, n):
    X = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]
    y = [i % 2 for i in range(n)]
    rng.shuffle(y)
    return X, y


def test_gradient_check_on_mlp(student, rng):
    sizes, (X, y) = [2, 3, 1], data(rng, 4)
    code = MLP_SETUP + (
        "def compute_loss():\n"
        "    total = 0.0\n"
        "    for xi, yi in zip(X, y):\n"
        "        d = model(xi) - yi\n"
        "        total = total + d * d\n"
        "    return total * (1.0 / len(X))\n"
        "model.zero_grad()\ncompute_loss().backward()\nown = [p.grad for p in params]\n"
        "pairs = gradient_check(compute_loss, params)\n"
        "result = [start, own, [list(p) for p in pairs], [p.data for p in params]]")
    got = student.run(code, what="gradient_check no MLP", sizes=sizes, X=X, y=y, seed=rng.randint(0, 999))
    start, own, pairs, after = sequence(got, "gradient_check no MLP", 4)
    count = mlp_math.parameter_count(sizes)
    sequence(pairs, "gradient_check(compute_loss, model.parameters())", count)
    loss = lambda w: mlp_math.squared_logit_error(w, sizes, X, y)  # noqa: E731
    truth = mlp_math.central_gradient(loss, start)
    # Only a correct Value has a backward pass to compare with; a wrong one
    # (graded in value-backprop) may even change from run to run.
    value_ok = all(isinstance(g, (int, float)) and abs(g - t) < 1e-6 for g, t in zip(own, truth))
    for i, pair in enumerate(pairs):
        analytic, numeric = sequence(pair, f"gradient_check(...)[{i}]", 2)
        expected = (loss(nudged(start, i, 1e-3)) - loss(nudged(start, i, -1e-3))) / 2e-3
        if value_ok:
            close(analytic, truth[i], f"o gradiente analítico do parâmetro {i} do MLP", "gradient_check",
                  rel=1e-5, abs_tol=1e-6)
        close(numeric, expected, f"o gradiente numérico do parâmetro {i} do MLP", "numeric_central",
              rel=1e-6, abs_tol=1e-8)
    equal(after, start, "os parâmetros do MLP depois de gradient_check", "restore")


@pytest.mark.parametrize("kind", [None, "mse"])
def test_train_update_rule(student, rng, kind):
    # Two steps, checked against the student's own mlp_loss and backward, so
    # only train's own logic (sign, rate, zeroing, order) is graded here.
    sizes, (X, y) = [2, 3, 1], data(rng, 6)
    lr = rng.uniform(0.05, 0.5)
    code = MLP_SETUP + (
        "name = kind or 'cross_entropy'\n"
        "def own_step():\n"
        "    loss = mlp_loss(model, X, y, name)\n"
        "    model.zero_grad()\n"
        "    loss.backward()\n"
        "    return loss.data, [p.grad for p in params]\n"
        "loss0, g0 = own_step()\n"
        "for p, g in zip(params, g0):\n    p.data = p.data - lr * g\n"
        "mid = [p.data for p in params]\n"
        "loss1, g1 = own_step()\n"
        "reruns = [own_step()[1] for _ in range(4)]\n"
        "for p, w in zip(params, start):\n    p.data = w\n"
        "model.zero_grad()\n"
        "history = train(model, X, y, 2, lr) if kind is None else train(model, X, y, 2, lr, kind)\n"
        "result = [[loss0, loss1], g1, reruns, mid, list(history), [p.data for p in params]]")
    got = student.run(code, what="train", sizes=sizes, X=X, y=y, lr=lr, kind=kind, seed=rng.randint(0, 999))
    losses, g1, reruns, mid, history, final = sequence(got, "train", 6)
    call = f"train(model, X, y, steps=2, learning_rate={lr:.3g}{'' if kind is None else ', loss=' + repr(kind)})"
    sequence(history, f"o histórico de {call}", 2)
    close(history[0], losses[0], f"o primeiro elemento do histórico de {call}", "train")
    if same_numbers(g1, *reruns):  # a Value whose backward changes from run to run is graded in value-backprop
        close(history[1], losses[1], f"o segundo elemento do histórico de {call}", "train")
        expected = [m - lr * g for m, g in zip(mid, g1)]
        close_all(final, expected, f"os parâmetros depois de {call}", "train")


def same_numbers(first, *others):
    """Whether every list in others equals first, up to summation order."""
    def number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return all(isinstance(o, list) and len(o) == len(first) and
               all(number(a) and number(b) and abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in zip(o, first))
               for o in others)


def test_train_loss_falls(student, rng):
    X, y = [], []
    for i in range(12):
        c = 1.0 if i % 2 else -1.0
        X.append([c + rng.gauss(0, 0.4), c + rng.gauss(0, 0.4)])
        y.append(i % 2)
    got = student.run("from mlp import MLP\nfrom gradient_check import train\n"
                      "result = list(train(MLP(2, [4, 1], seed=seed), X, y, steps=20, learning_rate=0.5))",
                      what="train", X=X, y=y, seed=rng.randint(0, 999))
    history = sequence(got, "train(..., steps=20)", 20)
    values = [real(v, "um elemento do histórico de train") for v in history]
    require(values[-1] < values[0], f"train(..., steps=20, learning_rate=0.5): a loss deveria cair, foi de "
            f"{values[0]:.4g} para {values[-1]:.4g}.", "train")
