import numpy as np


def make_dataset(n=100, seed=0):
    """Gerado com numpy (Generator próprio), devolvido como listas Python."""
    rng = np.random.default_rng(seed)
    labels = np.resize([0, 1], n)
    rng.shuffle(labels)
    angle = rng.uniform(0, np.pi, size=n) + np.pi * labels      # classe 1 no semiplano de baixo
    radius = rng.uniform(0.3, 2.0, size=n)
    X = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return X.tolist(), [int(v) for v in labels]


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError("loss precisa ser 'mse' ou 'cross_entropy'")
    total = None
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        if loss == "mse":
            term = (p - yi) ** 2
        else:
            term = -(yi * p.log() + (1 - yi) * (1 - p).log())
        total = term if total is None else total + term
    return total * (1.0 / len(X))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    original = param.data
    try:
        if method == "central":
            param.data = original + h
            a = compute_loss().data
            param.data = original - h
            b = compute_loss().data
            return (a - b) / (2 * h)
        if method == "forward":
            b = compute_loss().data
            param.data = original + h
            a = compute_loss().data
            return (a - b) / h
        raise ValueError(f"method {method!r} desconhecido")
    finally:
        param.data = original


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    grads = [p.grad for p in parameters]
    return [(g, numeric_gradient(compute_loss, p, h)) for g, p in zip(grads, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(a - b) < tol for a, b in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    loss = compute_loss()
    param.grad = 0.0
    loss.backward()
    slope = param.grad
    original = param.data
    try:
        param.data = original + h
        delta = compute_loss().data - loss.data
    finally:
        param.data = original
    return bool(slope > 0) if (slope > 0) == (delta > 0) else bool(delta > 0)


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    params = model.parameters()
    for _ in range(steps):
        L = mlp_loss(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in params:
            p.data -= learning_rate * p.grad
        history.append(float(L.data))
    return history
