import math
import random


def make_dataset(n=100, seed=0):
    """Duas espirais entrelaçadas."""
    r = random.Random(seed)
    X, y = [], []
    for k in range(n):
        c = k % 2
        t = r.uniform(0.25, 3.0)
        ang = t * 2.0 + c * math.pi
        X.append([t * math.cos(ang) + r.gauss(0, 0.05), t * math.sin(ang) + r.gauss(0, 0.05)])
        y.append(c)
    return X, y


def _mse_term(p, t):
    return (p - t) ** 2


def _bce_term(p, t):
    return -(t * p.log() + (1 - t) * (1 - p).log())


_TERMS = {"mse": _mse_term, "cross_entropy": _bce_term}


def mlp_loss(model, X, y, loss="mse"):
    if loss not in _TERMS:
        raise ValueError(f"loss desconhecida {loss!r}; opções: {sorted(_TERMS)}")
    term = _TERMS[loss]
    values = [term(model(x).sigmoid(), t) for x, t in zip(X, y)]
    return sum(values[1:], values[0]) * (1.0 / len(values))


def _central(compute_loss, param, h, w):
    param.data = w + h
    a = compute_loss().data
    param.data = w - h
    b = compute_loss().data
    return (a - b) / (2 * h)


def _forward(compute_loss, param, h, w):
    base = compute_loss().data
    param.data = w + h
    return (compute_loss().data - base) / h


_METHODS = {"central": _central, "forward": _forward}


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    try:
        rule = _METHODS[method]
    except KeyError:
        raise ValueError(f"method desconhecido: {method!r}") from None
    w = param.data
    try:
        return rule(compute_loss, param, h, w)
    finally:
        param.data = w


def gradient_check(compute_loss, parameters, h=1e-3):
    ps = list(parameters)
    for p in ps:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in ps]
    return [[a, numeric_gradient(compute_loss, p, h, "central")] for a, p in zip(analytic, ps)]


def check_passes(pairs, tol=1e-5):
    return not any(not abs(a - n) < tol for a, n in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    w = param.data
    try:
        param.data = w + h
        measured = compute_loss().data - L.data
    finally:
        param.data = w
    return bool(param.grad > 0 and measured > 0) or bool(param.grad > 0 and measured == 0)


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    step = 0
    while step < steps:
        L = mlp_loss(model, X, y, loss)
        for p in model.parameters():
            p.grad = 0.0
        L.backward()
        for p in model.parameters():
            p.data = p.data - learning_rate * p.grad
        history.append(float(L.data))
        step += 1
    return history
