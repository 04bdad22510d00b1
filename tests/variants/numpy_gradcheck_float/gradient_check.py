"""Gradient check devolvendo um array numpy (n, 2) de pares (analítico, numérico)."""
import numpy as np


def make_dataset(n=100, seed=0):
    rng = np.random.default_rng(seed)
    y = np.tile(np.array([0, 1], dtype=np.int64), n // 2 + 1)[:n]
    theta = rng.uniform(0, 2 * np.pi, n)
    r = np.where(y == 0, 0.5, 1.5) + rng.normal(0, 0.15, n)
    X = np.column_stack((r * np.cos(theta), r * np.sin(theta)))
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss desconhecida: {loss!r}")
    terms = []
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        t = float(yi)
        terms.append((p - t) ** 2 if loss == "mse" else -(t * p.log() + (1 - t) * (1 - p).log()))
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total * (1.0 / len(terms))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method not in ("central", "forward"):
        raise ValueError(f"method desconhecido: {method!r}")
    w = param.data
    try:
        param.data = w + h
        up = np.float64(compute_loss().data)
        param.data = (w - h) if method == "central" else w
        down = np.float64(compute_loss().data)
    finally:
        param.data = w
    return (up - down) / (2 * h) if method == "central" else (up - down) / h


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = np.array([p.grad for p in parameters], dtype=float)
    numeric = np.array([numeric_gradient(compute_loss, p, h) for p in parameters], dtype=float)
    return np.column_stack((analytic, numeric))


def check_passes(pairs, tol=1e-5):
    pairs = np.asarray(pairs, dtype=float).reshape(-1, 2)
    return bool(np.all(np.abs(pairs[:, 0] - pairs[:, 1]) < tol))


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
    return bool(np.sign(param.grad) == np.sign(measured) == 1)


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    for _ in range(steps):
        L = mlp_loss(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append(float(L.data))
    return history
