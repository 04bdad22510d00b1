"""Gradient check: numeric_gradient com um dicionário de lambdas sobre três avaliações,
e funções que guardam as perdas nos argumentos padrão (ligadas na importação)."""
import random

from losses import binary_cross_entropy, mse


def make_dataset(n=100, seed=0):
    rng = random.Random(seed)
    y = [i % 2 for i in range(n)]
    rng.shuffle(y)
    X = [[(1.0 if r else -1.0) + rng.gauss(0, 0.6), (1.0 if r else -1.0) + rng.gauss(0, 0.6)] for r in y]
    return X, y


def mlp_loss(model, X, y, loss="mse", _perdas={"mse": mse, "cross_entropy": binary_cross_entropy}):
    if loss not in _perdas:
        raise ValueError(f"loss desconhecida: {loss!r}")
    return _perdas[loss](y, [model(x).sigmoid() for x in X])


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    w = param.data

    def em(valor):
        param.data = valor
        return compute_loss().data

    try:
        cima, baixo, aqui = em(w + h), em(w - h), em(w)
    finally:
        param.data = w
    formulas = {
        "central": lambda: (cima - baixo) / (2 * h),
        "forward": lambda: (cima - aqui) / h,
    }
    if method not in formulas:
        raise ValueError(f"method desconhecido: {method!r}")
    return formulas[method]()


def gradient_check(compute_loss, parameters, h=1e-3):
    parameters = list(parameters)
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analiticos = [p.grad for p in parameters]
    return [(a, numeric_gradient(compute_loss, p, h=h)) for a, p in zip(analiticos, parameters)]


def check_passes(pairs, tol=1e-5):
    return max((abs(a - n) for a, n in pairs), default=0.0) < tol


def loss_goes_up(compute_loss, param, h=1e-3):
    param.grad = 0.0
    compute_loss().backward()
    # a medida: a diferença para a frente (ela avalia em w + h, w - h e w)
    return param.grad > 0 and numeric_gradient(compute_loss, param, h, "forward") > 0


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy", perda=mlp_loss):
    historico = []
    for _ in range(steps):
        L = perda(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        historico.append(L.data)
    return historico
