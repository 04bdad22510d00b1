import math
import random


def make_dataset(n=100, seed=0):
    """Classe 1 dentro de um losango |x| + |y| < 1, classe 0 fora (até 2)."""
    rng = random.Random(seed)
    X, y = [], []
    for k in range(n):
        label = (k + 1) % 2
        while True:
            a, b = rng.uniform(-2, 2), rng.uniform(-2, 2)
            inside = abs(a) + abs(b) < 1.0
            if inside == (label == 1):
                break
        X.append([a, b])
        y.append(label)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss {loss!r} desconhecida")
    soma = None
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        if loss == "mse":
            termo = (p - yi) ** 2
        else:
            termo = -(yi * p.log() + (1 - yi) * (1 - p).log())
        soma = termo if soma is None else soma + termo
    return soma * (1 / len(X))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method == "central":
        offsets, denom = (h, -h), 2 * h
    elif method == "forward":
        offsets, denom = (h, 0.0), h
    else:
        raise ValueError("method: 'central' ou 'forward'")
    w = param.data
    values = []
    for off in offsets:
        param.data = w + off if off else w
        values.append(compute_loss().data)
    param.data = w
    return (values[0] - values[1]) / denom


def gradient_check(compute_loss, parameters, h=1e-3):
    params = list(parameters)
    for p in params:
        p.grad = 0.0
    compute_loss().backward()
    analiticos = [p.grad for p in params]
    numericos = [numeric_gradient(compute_loss, p, h, "central") for p in params]
    return list(zip(analiticos, numericos))


def check_passes(pairs, tol=1e-5):
    return all(math.fabs(a - n) < tol for a, n in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    w = param.data
    param.data = w + h
    subiu = compute_loss().data > L.data
    param.data = w
    return (param.grad > 0) and subiu


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    hist = []
    for _ in range(steps):
        L = mlp_loss(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        hist.append(float(L.data))
    return hist
