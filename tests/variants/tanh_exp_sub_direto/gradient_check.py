"""Gradient check. Cada empurrão parte do valor original salvo (nada de -= h acumulando erro)."""
import random


def make_dataset(n=100, seed=0):
    # duas nuvens gaussianas, centros (-1, -1) e (1, 1)
    gen = random.Random(seed)
    labels = [k % 2 for k in range(n)]
    gen.shuffle(labels)
    X = []
    for label in labels:
        c = 1.0 if label else -1.0
        X.append([c + gen.gauss(0, 0.5), c + gen.gauss(0, 0.5)])
    return X, labels


def mlp_loss(model, X, y, loss="mse"):
    if loss == "mse":
        def per_point(p, t):
            return (p - t) ** 2
    elif loss == "cross_entropy":
        def per_point(p, t):
            return -(t * p.log() + (1 - t) * (1 - p).log())
    else:
        raise ValueError(f"loss {loss!r} não existe")
    total = 0.0
    for xi, yi in zip(X, y):
        total = total + per_point(model(xi).sigmoid(), yi)
    return total / len(X)


def _loss_at(compute_loss, param, value):
    param.data = value
    return compute_loss().data


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method not in ("central", "forward"):
        raise ValueError(f"method precisa ser 'central' ou 'forward', veio {method!r}")
    w0 = param.data
    try:
        up = _loss_at(compute_loss, param, w0 + h)
        if method == "central":
            down = _loss_at(compute_loss, param, w0 - h)
            return (up - down) / (2 * h)
        here = _loss_at(compute_loss, param, w0)
        return (up - here) / h
    finally:
        param.data = w0


def gradient_check(compute_loss, parameters, h=1e-3):
    parameters = list(parameters)
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    numeric = [numeric_gradient(compute_loss, p, h=h, method="central") for p in parameters]
    return [(a, n) for a, n in zip(analytic, numeric)]


def check_passes(pairs, tol=1e-5):
    diffs = [abs(a - n) for a, n in pairs]
    return all(d < tol for d in diffs)      # estrito; um nan também reprova


def loss_goes_up(compute_loss, param, h=1e-3):
    base = compute_loss()
    param.grad = 0.0
    base.backward()
    expected_up = param.grad > 0
    w0 = param.data
    try:
        measured_up = _loss_at(compute_loss, param, w0 + h) > base.data
    finally:
        param.data = w0
    if expected_up != measured_up:
        return bool(measured_up)   # não deveria acontecer com |grad| grande
    return bool(expected_up)


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    params = model.parameters()
    for _ in range(steps):
        L = mlp_loss(model, X, y, loss=loss)
        model.zero_grad()
        L.backward()
        for p in params:
            p.data -= learning_rate * p.grad
        history.append(float(L.data))
    return history
