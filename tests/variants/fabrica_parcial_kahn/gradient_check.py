"""Gradient check: mlp_loss feito por uma fábrica (closure), perdas com apelidos
importados e functools.partial, train que guarda a função de perda na criação."""
import functools

import numpy as np

from losses import binary_cross_entropy as _bce
from losses import mse as _mse


def make_dataset(n=100, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % 2)
    X = rng.normal(0.0, 0.5, size=(n, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)
    return X, y


def _fabrica_de_perda():
    tabela = {"mse": _mse, "cross_entropy": functools.partial(_bce, eps=1e-12)}

    def mlp_loss(model, X, y, loss="mse"):
        if loss not in tabela:
            raise ValueError(f"loss desconhecida: {loss!r}")
        return tabela[loss]([float(v) for v in y], [model(list(x)).sigmoid() for x in X])
    return mlp_loss


mlp_loss = _fabrica_de_perda()


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method not in ("central", "forward"):
        raise ValueError(method)
    original = param.data
    valores = {}
    try:
        for nome, w in (("aqui", original), ("cima", original + h), ("baixo", original - h)):
            param.data = w
            valores[nome] = compute_loss().data
    finally:
        param.data = original
    if method == "forward":
        return (valores["cima"] - valores["aqui"]) / h
    return (valores["cima"] - valores["baixo"]) / (2 * h)


def gradient_check(compute_loss, parameters, h=1e-3):
    ps = list(parameters)
    for p in ps:
        p.grad = 0.0
    compute_loss().backward()
    return [(p.grad, g) for p, g in zip(ps, [numeric_gradient(compute_loss, p, h=h, method="central") for p in ps])]


def check_passes(pairs, tol=1e-5):
    d = np.asarray(pairs, dtype=float).reshape(-1, 2)
    return bool(np.all(np.abs(d[:, 0] - d[:, 1]) < tol))


def loss_goes_up(compute_loss, param, h=1e-3):
    w = param.data
    try:
        param.data = w + h
        depois = compute_loss().data
    finally:
        param.data = w
    antes = compute_loss()
    param.grad = 0.0
    antes.backward()
    return bool(depois > antes.data) and param.grad > 0


def _fabrica_de_treino(perda):
    def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
        historico = []
        for _ in range(steps):
            L = perda(model, X, y, loss)
            model.zero_grad()
            L.backward()
            for p in model.parameters():
                p.data = p.data - learning_rate * p.grad
            historico.append(float(L.data))
        return historico
    return train


train = _fabrica_de_treino(mlp_loss)
