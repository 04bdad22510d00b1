"""Gradient check - o entregável."""
import math
import random


def make_dataset(n=100, seed=0):
    # dois círculos: classe 0 dentro, classe 1 num anel por fora
    rng = random.Random(seed)
    X, y = [], []
    for k in range(n):
        rotulo = k % 2          # alterna: as duas classes sempre aparecem
        raio = rng.uniform(0.0, 1.0) if rotulo == 0 else rng.uniform(1.5, 2.5)
        angulo = rng.uniform(0.0, 2 * math.pi)
        X.append([raio * math.cos(angulo), raio * math.sin(angulo)])
        y.append(rotulo)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss desconhecida: {loss!r}")
    total = 0.0
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        if loss == "mse":
            total = total + (p - yi) ** 2
        else:
            total = total - (yi * p.log() + (1 - yi) * (1 - p).log())
    return total * (1.0 / len(X))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method not in ("central", "forward"):
        raise ValueError(f"método desconhecido: {method!r}")
    original = param.data
    try:
        param.data = original + h
        acima = compute_loss().data
        if method == "central":
            param.data = original - h
            abaixo = compute_loss().data
            return (acima - abaixo) / (2 * h)
        param.data = original
        base = compute_loss().data
        return (acima - base) / h
    finally:
        param.data = original


def gradient_check(compute_loss, parameters, h=1e-3):
    parameters = list(parameters)
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analiticos = [p.grad for p in parameters]
    pares = []
    for p, a in zip(parameters, analiticos):
        pares.append((a, numeric_gradient(compute_loss, p, h, "central")))
    return pares


def check_passes(pairs, tol=1e-5):
    for analitico, numerico in pairs:
        if not abs(analitico - numerico) < tol:
            return False
    return True


def loss_goes_up(compute_loss, param, h=1e-3):
    original = param.data
    perda = compute_loss()
    param.grad = 0.0
    perda.backward()
    pelo_gradiente = param.grad > 0
    try:
        param.data = original + h
        medido = compute_loss().data > perda.data
    finally:
        param.data = original
    return bool(pelo_gradiente and medido)


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    historico = []
    for _ in range(steps):
        perda = mlp_loss(model, X, y, loss)
        model.zero_grad()
        perda.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        historico.append(float(perda.data))
    return historico
