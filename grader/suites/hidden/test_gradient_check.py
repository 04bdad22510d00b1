"""Item `gradient-check`: the deliverable.

Judged on its own logic (SPEC section 2): most tests use hand-made parameter
and loss objects, the MLP tests run on the judge's Value, and `train` calls
the judge's own `mlp_loss`, so a Value, `mlp_loss` or `make_dataset` bug is
charged in its own item, not here. Every expected value is computed by the
judge from inputs it chose (the MLP's parameters from the seed).
"""
import pytest

from grader.judge import mlp_math
from grader.suites.hidden.judge_losses import JUDGE_LOSSES, REFERENCE_LOSSES
from grader.testing import (RAISED, Shared, close, close_all, drifting, equal, fail, keyed, labels, number_is,
                            points, raises, real, rebound, require, run, sequence, truth)

# L(w) = Σ c_i w_i³ + w0 w1 (+ Σ cosh(k w_i) when k != 0), with a backward that
# adds `scale` times the true gradient to each .grad (scale != 1 is a wrong
# backward pass). The cosh term makes finite differences tell h apart by their
# value: the central one is off by (kh)²/6 of the slope (1.7e-5 at k = 10 and
# h = 1e-3, 1.7e-7 at h = 1e-4), the forward one by about kh/2.
HAND_MADE = Shared('''
    import math

    class Param:
        def __init__(self, data):
            self.data = data
            self.grad = 0.0

    class Loss:
        def __init__(self, data, backward):
            self.data = data
            self.backward = backward

    def loss_of(w, coeffs, k=0.0):
        steep = sum(math.cosh(k * wi) for wi in w) if k else 0.0
        return sum(c * wi ** 3 for c, wi in zip(coeffs, w)) + w[0] * w[1] + steep

    def gradient_of(w, coeffs, k=0.0):
        return [3 * c * wi ** 2 + (w[1] if i == 0 else w[0] if i == 1 else 0.0) + (k * math.sinh(k * wi) if k else 0.0)
                for i, (c, wi) in enumerate(zip(coeffs, w))]

    calls = {"backward": 0, "points": []}

    def make_problem(params, coeffs, scale=1.0, k=0.0):
        def compute_loss():
            w = [p.data for p in params]
            calls["points"].append(list(w))   # where the loss was evaluated
            def backward():
                calls["backward"] += 1
                for p, g in zip(params, gradient_of(w, coeffs, k)):
                    p.grad += scale * g
            return Loss(loss_of(w, coeffs, k), backward)
        return compute_loss
''')
loss, true_gradient = HAND_MADE["loss_of"], HAND_MADE["gradient_of"]
SETUP = HAND_MADE.source + ("params = [Param(v) for v in weights]\n"
                             "compute_loss = make_problem(params, coeffs, scale, k)\n")
STEEP = 10.0   # k of the cosh term, where a test must tell h (or the method) by the value alone
# A step other than every default (numeric_gradient's and gradient_check's 1e-3,
# the derivatives' 1e-4 and 1e-5), on every seed: an ignored `h` is caught.
OTHER_STEPS = (2e-4, 2e-3, 5e-3, 1e-2)


def problem(rng, h=1e-3):
    """Three weights, the first two of the kinds a careless restore changes
    (see drifting), and a gradient with both signs, each clearly non-zero and
    agreeing with a nudge of +h (SPEC section 4), one of them in (0, 1)."""
    weights = drifting(rng, h) + [rng.uniform(0.3, 2) * rng.choice([-1, 1])]
    for _ in range(1_000_000):
        coeffs = [rng.uniform(0.05, 2) * rng.choice([-1, 1]) for _ in weights]
        grads = true_gradient(weights, coeffs)
        up = [loss(nudged(weights, i, h), coeffs) > loss(weights, coeffs) for i in range(len(weights))]
        if (all(abs(g) > 0.05 and (g > 0) == u for g, u in zip(grads, up)) and any(g < 0 for g in grads)
                and any(0 < g < 0.9 for g in grads)):
            return weights, coeffs
    raise AssertionError("no problem found")   # never reached: a few percent of draws fit


def nudged_up(got_points, weights, i, h, what, hint):
    """loss_goes_up's bool cannot show its nudge, so this looks at the calls,
    and asks only what SPEC does: to confirm a "yes", the loss was computed
    at least once with weight i at w + h and the others as they were. Any
    other evaluation (at w, at w - h, twice) is the student's choice."""
    target = weights[i] + h
    for point in sequence(got_points, what, None, hint):
        point = sequence(point, what, len(weights), hint)
        if (abs(point[i] - target) <= 1e-12 * max(1.0, abs(target))
                and all(v == w for j, (v, w) in enumerate(zip(point, weights)) if j != i)):
            return
    fail(f"{what}: a loss nunca foi calculada com o peso {i} empurrado para w + h = {target!r} (h = {h}).", hint)


def nudged(w, i, h):
    out = list(w)
    out[i] += h
    return out


def central(weights, coeffs, i, h, k=0.0):
    return (loss(nudged(weights, i, h), coeffs, k) - loss(nudged(weights, i, -h), coeffs, k)) / (2 * h)


def run_hand_made(student, imports, code, what, hint, weights, coeffs, scale=1.0, k=0.0, **extra):
    return run(student, f"from gradient_check import {imports}\n" + SETUP + code, what, hint,
               weights=weights, coeffs=coeffs, scale=scale, k=k, **extra)


# numeric_gradient is graded on its value and on the weight it leaves: how
# often it calls compute_loss, and where, is not graded (SPEC section 4), so
# one that computes L(w+h), L(w-h) and L(w) and then picks the formula is right.
@pytest.mark.parametrize("method", ["central", "forward"])
def test_numeric_gradient(student, rng, method):
    h = rng.choice(OTHER_STEPS)
    weights, coeffs = problem(rng, h)
    for i in range(3):   # the two kinds of drifting weight, and both signs of the gradient
        got = run_hand_made(student, "numeric_gradient", "g = numeric_gradient(compute_loss, params[i], h, method)\n"
                            "result = [g, params[i].data]", "numeric_gradient", "numeric_central",
                            weights, coeffs, k=STEEP, i=i, h=h, method=method)
        g, after = sequence(got, "numeric_gradient", 2)
        what = f"numeric_gradient(compute_loss, param, h={h}, method={method!r})"
        if method == "central":
            expected = central(weights, coeffs, i, h, STEEP)
        else:
            expected = (loss(nudged(weights, i, h), coeffs, STEEP) - loss(weights, coeffs, STEEP)) / h
        close(g, expected, what, "numeric_central")
        equal(after, weights[i], f"param.data depois de {what} (valor original {weights[i]!r})", "restore")


def test_numeric_gradient_keywords(student, rng):
    # h and method by name, as SPEC names them
    h = rng.choice(OTHER_STEPS)
    weights, coeffs = problem(rng, h)
    got = run_hand_made(student, "numeric_gradient", "result = [numeric_gradient(compute_loss, params[2], "
                        "method='forward', h=h), params[2].data]", "numeric_gradient", "numeric_central",
                        weights, coeffs, k=STEEP, h=h)
    g, after = sequence(got, "numeric_gradient", 2)
    what = f"numeric_gradient(compute_loss, param, method='forward', h={h})"
    close(g, (loss(nudged(weights, 2, h), coeffs, STEEP) - loss(weights, coeffs, STEEP)) / h, what, "numeric_central")
    equal(after, weights[2], f"param.data depois de {what} (valor original {weights[2]!r})", "restore")


def test_numeric_gradient_defaults(student, rng):
    # The value tells the default h (1e-3) and method (central) apart from any other.
    weights, coeffs = problem(rng)
    for i in (0, 1):
        got = run_hand_made(student, "numeric_gradient", "result = [numeric_gradient(compute_loss, params[i]), "
                            "params[i].data]", "numeric_gradient", "numeric_central", weights, coeffs, k=STEEP, i=i)
        g, after = sequence(got, "numeric_gradient", 2)
        what = "numeric_gradient(compute_loss, param) com h e method padrão (h=1e-3, method='central')"
        close(g, central(weights, coeffs, i, 1e-3, STEEP), what, "numeric_central")
        equal(after, weights[i], f"param.data depois de {what} (valor original {weights[i]!r})", "restore")


def test_numeric_gradient_unknown_method(student, rng):
    weights, coeffs = problem(rng)
    got = run_hand_made(student, "numeric_gradient", "def attempt():\n"
                        "    numeric_gradient(compute_loss, params[0], 1e-3, 'backward')\n" + RAISED,
                        "numeric_gradient", "numeric_central", weights, coeffs)
    raises(got, "ValueError", "numeric_gradient(..., method='backward')", "numeric_central")


def gradient_check_pairs(student, rng, h=None):
    """gradient_check on the steep problem (its numeric values tell h apart),
    grads starting stale; with `h`, passed by name."""
    step = h or 1e-3
    weights, coeffs = problem(rng, step)
    call = "gradient_check(compute_loss, params" + ("" if h is None else f", h={h}") + ")"
    code = ("for p in params:\n    p.grad = 7.5\n"  # stale grads: gradient_check must zero them
            + ("pairs = gradient_check(compute_loss, params)\n" if h is None else
               "pairs = gradient_check(compute_loss, params, h=h)\n")
            + "result = [[list(pair) for pair in pairs], [p.data for p in params], calls['backward']]")
    got = run_hand_made(student, "gradient_check", code, call, "gradient_check", weights, coeffs, k=STEEP, h=h)
    pairs, after, backward_calls = sequence(got, call, 3)
    sequence(pairs, call, 3, "gradient_check")
    # A weight left nudged shifts every later evaluation: that is the restore's fault.
    hint = keyed("gradient_check", restore=after != weights)
    truth_ = true_gradient(weights, coeffs, STEEP)
    for i, pair in enumerate(pairs):
        analytic, numeric = sequence(pair, f"{call}[{i}]", 2, "gradient_check")
        close(analytic, truth_[i], f"o gradiente analítico do parâmetro {i} em {call} (grads começavam em 7.5)",
              hint)
        close(numeric, central(weights, coeffs, i, step, STEEP),
              f"o gradiente numérico do parâmetro {i} em {call} (diferença central com h = {step})", hint)
    equal(after, weights, f"os parâmetros depois de {call}", "restore")
    require(real(backward_calls, "backward") == 1,
            f"{call} chamou backward() {backward_calls} vezes; esperava 1.", "gradient_check")


def test_gradient_check_pairs(student, rng):
    gradient_check_pairs(student, rng)


def test_gradient_check_passes_h_on(student, rng):
    gradient_check_pairs(student, rng, rng.choice(OTHER_STEPS))


def test_gradient_check_exposes_wrong_backward(student, rng):
    weights, coeffs = problem(rng)
    got = run_hand_made(student, "gradient_check", "result = [list(p) for p in gradient_check(compute_loss, params)]",
                        "gradient_check com um backward errado", "gradient_check", weights, coeffs, scale=1.3)
    pairs = sequence(got, "gradient_check com um backward errado", 3, "gradient_check")
    truth_ = true_gradient(weights, coeffs)
    for i, pair in enumerate(pairs):
        analytic, numeric = sequence(pair, f"gradient_check(...)[{i}]", 2, "gradient_check")
        what = f"gradient_check com um backward que erra por 30%: parâmetro {i}"
        close(analytic, 1.3 * truth_[i], f"{what}, analítico", "gradient_check")
        close(numeric, truth_[i], f"{what}, numérico", "gradient_check", rel=1e-4, abs_tol=1e-4)


def test_check_passes(student, rng):
    base = rng.uniform(-2, 2)
    cases = [([[base, base + 5e-6]], {}, True),
             ([[base, base + 2e-5]], {}, False),
             ([[base, base], [0.0, 1e-5]], {}, False),          # strict: equal to tol fails
             ([[base, base + 5e-4], [1.0, 1.0]], {"tol": 1e-3}, True),
             ([[base, base + 5e-4]], {"tol": 1e-4}, False),
             ([[base + 3e-5, base]], {}, False),                 # the difference is taken in absolute value
             ([[1.0, 1.0], [base, base + 3e-5]], {}, False),     # every pair, not only the first
             ([], {}, True)]
    for pairs, kwargs, expected in cases:
        shown = ", ".join(f"({a!r}, {b!r})" for a, b in pairs)
        what = f"check_passes([{shown}]{', tol=' + str(kwargs['tol']) if kwargs else ''})"
        got = run(student, "from gradient_check import check_passes\n"
                  "result = check_passes([tuple(p) for p in pairs], **kwargs)", what, "strict",
                  pairs=pairs, kwargs=kwargs)
        equal(truth(got, what, "strict"), expected, what, "strict")


def test_check_passes_is_absolute(student, rng):
    # On every seed, pairs where an absolute and a relative tolerance disagree:
    # large numbers 3e-5 apart (relatively close), small ones 5e-6 apart
    # (relatively far), both signs.
    big, small = rng.uniform(50, 100) * rng.choice([-1, 1]), rng.uniform(1e-4, 1e-3) * rng.choice([-1, 1])
    cases = [([[big, big + 3e-5]], {}, False),
             ([[small, small + 5e-6]], {}, True),
             ([[small, small + 5e-6], [big, big + 3e-6]], {}, True),
             ([[big, big + 5e-3]], {"tol": 1e-3}, False),
             ([[small, -small]], {"tol": 1e-2}, True)]
    for pairs, kwargs, expected in cases:
        shown = ", ".join(f"({a!r}, {b!r})" for a, b in pairs)
        what = f"check_passes([{shown}]{', tol=' + str(kwargs['tol']) if kwargs else ''}) (tolerância absoluta)"
        got = run(student, "from gradient_check import check_passes\n"
                  "result = check_passes([tuple(p) for p in pairs], **kwargs)", what, "strict",
                  pairs=pairs, kwargs=kwargs)
        equal(truth(got, what, "strict"), expected, what, "strict")
    # and the pairs as one numpy array (SPEC section 4), left as it was
    pairs = [[big, big + 3e-5], [small, small + 5e-6]]
    what = f"check_passes(np.array([[{big!r}, {big + 3e-5!r}], [{small!r}, {small + 5e-6!r}]]))"
    got = run(student, "import numpy as np\nfrom gradient_check import check_passes\narray = np.array(pairs)\n"
              "result = [check_passes(array), array.tolist()]", what, "strict", pairs=pairs)
    answer, after = sequence(got, what, 2)
    equal(truth(answer, what, "strict"), False, what, "strict")
    equal(after, pairs, f"o array depois de {what}", "no_mutation_array")


def loss_goes_up(student, rng, h=None):
    step = h or 1e-3
    weights, coeffs = problem(rng, step)
    call = "loss_goes_up(compute_loss, param" + ("" if h is None else ", h=h") + ")"
    for i, g in enumerate(true_gradient(weights, coeffs)):   # both signs, and one in (0, 1), on every seed
        what = (f"loss_goes_up{'' if h is None else f' com h={h}'} para um peso com gradiente {g!r} "
                "(o .grad chegou com um valor velho de sinal contrário)")
        # A stale .grad of the other sign: the analytic answer needs grads zeroed first.
        code = ("param = params[i]\nparam.grad = stale\n"
                f"result = [{call}, params[i].data, calls['points']]")
        got = run_hand_made(student, "loss_goes_up", code, what, "goes_up", weights, coeffs, i=i, h=h,
                            stale=-100.0 if g > 0 else 100.0)
        answer, after, seen = sequence(got, "loss_goes_up", 3)
        if truth(answer, what, "goes_up") != (g > 0):
            # Wrong: with the stale grad only (right once grads start at 0), or with any grad (the comparison).
            fresh = sequence(run_hand_made(student, "loss_goes_up", code, what, "goes_up", weights, coeffs, i=i, h=h,
                                           stale=0.0), "loss_goes_up", 3)[0]
            if fresh == (g > 0):
                equal(answer, g > 0, what, "goes_up_stale")
            equal(answer, g > 0, f"loss_goes_up{'' if h is None else f' com h={h}'} para um peso com gradiente {g!r}",
                  "goes_up")
        if g > 0:   # "yes" is the answer a nudge confirms; a "no" may stop at the gradient
            nudged_up(seen, weights, i, step, what, "goes_up")
        equal(after, weights[i], f"param.data depois de {what} (valor original {weights[i]!r})", "restore")


def test_loss_goes_up(student, rng):
    loss_goes_up(student, rng)


def test_loss_goes_up_nudges_by_h(student, rng):
    loss_goes_up(student, rng, rng.choice(OTHER_STEPS))


# The judge's mlp_loss and losses: `train` runs them instead of the student's,
# however train reaches them (see `rebound`: the code runs with the student's
# module globals, so it reads no global name), and an mlp_loss or losses.py
# bug costs only its own item.
REFERENCE_MLP_LOSS = Shared('''
    def reference_mlp_loss(model, X, y, loss="mse", *, _zip=zip, _len=len, _error=ValueError):
        if loss not in ("mse", "cross_entropy"):
            raise _error(f"loss desconhecida: {loss!r}")
        total = 0.0
        for xi, yi in _zip(X, y):
            p = model(xi).sigmoid()
            total = total + ((p - yi) ** 2 if loss == "mse" else -(yi * p.log() + (1 - yi) * (1 - p).log()))
        return total * (1 / _len(X))
''')
MLP_SETUP = "from mlp import MLP\nmodel = MLP(2, sizes[1:], seed=seed)\nparams = model.parameters()\n"


def on_judge_loss(body):
    """`body` run with the judge's mlp_loss, mse and binary_cross_entropy in
    place of the student's."""
    losses = rebound("losses", JUDGE_LOSSES, body)
    return (REFERENCE_MLP_LOSS.source + REFERENCE_LOSSES.source
            + rebound("gradient_check", {"mlp_loss": "reference_mlp_loss"}, losses))


def test_gradient_check_on_mlp(student, rng):
    sizes, seed = [2, 3, 1], rng.randint(0, 999)
    X, y = points(rng, 4), labels(rng, 4)
    code = MLP_SETUP + (
        "from gradient_check import gradient_check\n"
        "def compute_loss():\n"
        "    total = 0.0\n"
        "    for xi, yi in zip(X, y):\n"
        "        d = model(xi) - yi\n"
        "        total = total + d * d\n"
        "    return total * (1.0 / len(X))\n"
        "pairs = gradient_check(compute_loss, params)\n"
        "result = [[list(p) for p in pairs], [p.data for p in params]]")
    got = run(student, code, "gradient_check no MLP", "gradient_check", sizes=sizes, X=X, y=y, seed=seed)
    pairs, after = sequence(got, "gradient_check no MLP", 2)
    start = mlp_math.parameters(sizes, seed)
    restored = isinstance(after, list) and len(after) == len(start) and all(map(number_is, after, start))
    sequence(pairs, "gradient_check(compute_loss, model.parameters())", len(start), "gradient_check")
    loss_ = lambda w: mlp_math.loss(w, sizes, X, y, "logit")  # noqa: E731
    truth_ = mlp_math.gradient(start, sizes, X, y, "logit")
    for i, pair in enumerate(pairs):
        analytic, numeric = sequence(pair, f"gradient_check(...)[{i}]", 2, "gradient_check")
        expected = (loss_(nudged(start, i, 1e-3)) - loss_(nudged(start, i, -1e-3))) / 2e-3
        close(analytic, truth_[i], f"o gradiente analítico do parâmetro {i} do MLP",
              keyed("gradient_check", restore=not restored))
        close(numeric, expected, f"o gradiente numérico do parâmetro {i} do MLP",
              keyed("numeric_central", restore=not restored), rel=1e-6, abs_tol=1e-8)
    equal(after, start, "os parâmetros do MLP depois de gradient_check", "restore")


@pytest.mark.parametrize("kind", [None, "mse"])
def test_train_update_rule(student, rng, kind):
    # Three steps of plain gradient descent, computed by the judge from its own
    # parameters: the history, and where the parameters end.
    sizes, seed, steps = [2, 3, 1], rng.randint(0, 999), 3
    X, y = points(rng, 6), labels(rng, 6)
    lr = rng.uniform(0.05, 0.5)
    code = MLP_SETUP + on_judge_loss(
        "from gradient_check import train\n"
        "history = train(model, X, y, steps, lr) if kind is None else train(model, X, y, steps, lr, kind)\n"
        "result = [list(history), [p.data for p in params]]")
    call = f"train(model, X, y, steps={steps}, learning_rate={lr!r}{'' if kind is None else ', loss=' + repr(kind)})"
    got = run(student, code, call, "train", sizes=sizes, X=X, y=y, lr=lr, kind=kind, seed=seed, steps=steps)
    history, final = sequence(got, call, 2)
    expected_history, expected_final = mlp_math.train(mlp_math.parameters(sizes, seed), sizes, X, y, steps, lr,
                                                      kind or "cross_entropy")
    sequence(history, f"o histórico de {call}", steps, "train")
    for i, (got_loss, want) in enumerate(zip(history, expected_history)):
        close(got_loss, want, f"o elemento {i} do histórico de {call} (a loss calculada no passo {i}, antes "
              "de atualizar)", "train")
    close_all(final, expected_final, f"os parâmetros depois de {call}", "train")


def test_train_defaults(student, rng):
    # train(model, X, y): 50 steps at learning_rate 0.1 with cross-entropy.
    sizes, seed = [2, 1], rng.randint(0, 999)   # one neuron: 50 steps stay cheap
    X, y = points(rng, 3), labels(rng, 3)
    code = MLP_SETUP + on_judge_loss("from gradient_check import train\n"
                                     "result = [list(train(model, X, y)), [p.data for p in params]]")
    got = run(student, code, "train(model, X, y)", "train", sizes=sizes, X=X, y=y, seed=seed)
    history, final = sequence(got, "train(model, X, y)", 2)
    expected_history, expected_final = mlp_math.train(mlp_math.parameters(sizes, seed), sizes, X, y, 50, 0.1,
                                                      "cross_entropy")
    close_all(history, expected_history, "o histórico de train(model, X, y) com os valores padrão (steps=50, "
              "learning_rate=0.1, loss='cross_entropy')", "train")
    close_all(final, expected_final, "os parâmetros depois de train(model, X, y) com os valores padrão", "train")


def test_train_loss_falls(student, rng):
    X, y = [], []
    for i in range(8):
        c = 1.0 if i % 2 else -1.0
        X.append([c + rng.gauss(0, 0.4), c + rng.gauss(0, 0.4)])
        y.append(i % 2)
    code = MLP_SETUP + on_judge_loss("from gradient_check import train\n"
                                     "result = list(train(model, X, y, steps=12, learning_rate=0.5))")
    got = run(student, code, "train", "train", sizes=[2, 3, 1], X=X, y=y, seed=rng.randint(0, 999))
    history = sequence(got, "train(..., steps=12)", 12, "train")
    values = [real(v, "um elemento do histórico de train", "train") for v in history]
    if not values[-1] < values[0]:
        fail(f"train(..., steps=12, learning_rate=0.5): a loss deveria cair, foi de {values[0]!r} para "
             f"{values[-1]!r}.", "train")
