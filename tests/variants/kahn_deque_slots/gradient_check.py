"""Entregável: gradient check. Deixei as constantes dos meus testes no topo."""
import random

from mlp import MLP

h = 1e-3
method = "central"
seed = 0
n = 16
sizes = [2, 4, 1]
lr = 0.1
kind = "cross_entropy"


def make_dataset(n=100, seed=0):
    rng = random.Random(seed)
    X, y = [], []
    for k in range(n):
        c = k % 2
        # duas faixas verticais com um vão no meio
        a = rng.uniform(0.2, 2.0) * (1 if c else -1)
        b = rng.uniform(-2.0, 2.0)
        X.append([a, b])
        y.append(c)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss {loss!r}?")
    s = 0.0
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        s = s + ((p - yi) ** 2 if loss == "mse" else -(yi * p.log() + (1 - yi) * (1 - p).log()))
    return s / len(X)


def numeric_gradient(compute_loss, param, h=h, method=method):
    w = param.data
    if method == "central":
        param.data = w + h
        up = compute_loss().data
        param.data = w - h
        down = compute_loss().data
        param.data = w
        return (up - down) / (2 * h)
    if method == "forward":
        base = compute_loss().data
        param.data = w + h
        up = compute_loss().data
        param.data = w
        return (up - base) / h
    raise ValueError(f"method desconhecido: {method!r}")


def gradient_check(compute_loss, parameters, h=h):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    return [(a, numeric_gradient(compute_loss, p, h, "central")) for a, p in zip(analytic, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(a - b) < tol for a, b in pairs)


def loss_goes_up(compute_loss, param, h=h):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    w = param.data
    param.data = w + h
    up = compute_loss().data
    param.data = w
    return bool(param.grad > 0) and bool(up > L.data)


def train(model, X, y, steps=50, learning_rate=lr, loss=kind):
    history = []
    for _ in range(steps):
        L = mlp_loss(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append(float(L.data))
    return history


X, y = make_dataset(n, seed)
model = MLP(2, sizes[1:], seed=seed)
params = model.parameters()
result = train(model, X, y, steps=3, learning_rate=lr)
print("loss:", result)
