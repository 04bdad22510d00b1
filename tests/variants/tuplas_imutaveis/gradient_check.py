import math
import random


def make_dataset(n=100, seed=0):
    """Devolve tuplas: X = ((x1, x2), ...), y = (0, 1, ...). Faixas diagonais alternadas."""
    rng = random.Random(seed)
    X, y = (), ()
    for k in range(n):
        c = k % 2
        t = rng.uniform(-2, 2)
        off = (0.8 if c else -0.8) + rng.uniform(-0.3, 0.3)
        X += ((t + off / math.sqrt(2), t - off / math.sqrt(2)),)
        y += (c,)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss {loss!r}")
    total = 0.0
    for x, t in zip(X, y):
        p = model(x).sigmoid()
        total = total + ((p - t) ** 2 if loss == "mse" else -(t * p.log() + (1 - t) * (1 - p).log()))
    return total / len(X)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method not in ("central", "forward"):
        raise ValueError(method)
    w = param.data
    param.data = w + h
    up = compute_loss().data
    param.data = w - h if method == "central" else w
    other = compute_loss().data
    param.data = w
    return (up - other) / ((2 * h) if method == "central" else h)


def gradient_check(compute_loss, parameters, h=1e-3):
    parameters = tuple(parameters)
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = tuple(p.grad for p in parameters)
    return tuple((a, numeric_gradient(compute_loss, p, h, "central")) for a, p in zip(analytic, parameters))


def check_passes(pairs, tol=1e-5):
    return all(abs(a - n) < tol for a, n in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    w = param.data
    param.data = w + h
    delta = compute_loss().data - L.data
    param.data = w
    return bool((param.grad > 0) and (delta > 0))


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = ()
    for _ in range(steps):
        L = mlp_loss(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history += (float(L.data),)
    return list(history)
