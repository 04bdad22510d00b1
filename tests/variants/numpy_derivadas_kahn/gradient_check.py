import numpy as np


def make_dataset(n=100, seed=0):
    """Anel (classe 1) em volta de um disco (classe 0), com numpy e um Generator próprio."""
    rng = np.random.default_rng(seed)
    y = np.array([k % 2 for k in range(n)], dtype=np.int64)
    radius = np.where(y == 1, rng.uniform(1.6, 2.4, n), rng.uniform(0.0, 1.0, n))
    theta = rng.uniform(0.0, 2.0 * np.pi, n)
    X = np.column_stack([radius * np.cos(theta), radius * np.sin(theta)])
    order = rng.permutation(n)
    return X[order], y[order]


def mlp_loss(model, X, y, loss="mse"):
    if loss not in {"mse", "cross_entropy"}:
        raise ValueError(loss)
    total = 0.0
    for xi, yi in zip(X, y):
        t = float(yi)
        p = model([float(v) for v in xi]).sigmoid()
        total = total + ((p - t) ** 2 if loss == "mse" else -(p.log() * t + (1 - p).log() * (1 - t)))
    return total * (1.0 / len(X))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method != "central" and method != "forward":
        raise ValueError(f"method inválido: {method}")
    keep = param.data
    try:
        param.data = keep + h
        high = compute_loss().data
        param.data = (keep - h) if method == "central" else keep
        low = compute_loss().data
    finally:
        param.data = keep
    return (high - low) / (2 * h if method == "central" else h)


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    pairs = [(p.grad, None) for p in parameters]
    return [(g, numeric_gradient(compute_loss, p, h)) for (g, _), p in zip(pairs, parameters)]


def check_passes(pairs, tol=1e-5):
    return bool(all(abs(a - b) < tol for a, b in pairs))


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    keep = param.data
    param.data = keep + h
    try:
        delta = compute_loss().data - L.data
    finally:
        param.data = keep
    return bool(np.sign(param.grad) > 0 and np.sign(delta) > 0)


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
