import math
import random


def _points(rng):
    """Gerador infinito de pontos alternando as classes: duas meias-luas."""
    label = 0
    while True:
        t = rng.uniform(0, math.pi)
        if label == 0:
            yield [math.cos(t) + rng.gauss(0, 0.08), math.sin(t) + rng.gauss(0, 0.08)], 0
        else:
            yield [1 - math.cos(t) + rng.gauss(0, 0.08), 0.4 - math.sin(t) + rng.gauss(0, 0.08)], 1
        label = 1 - label


def make_dataset(n=100, seed=0):
    gen = _points(random.Random(seed))
    pairs = [next(gen) for _ in range(n)]
    return [p for p, _ in pairs], [c for _, c in pairs]


def mlp_loss(model, X, y, loss="mse"):
    if loss == "mse":
        terms = ((model(x).sigmoid() - t) ** 2 for x, t in zip(X, y))
    elif loss == "cross_entropy":
        def bce(x, t):
            p = model(x).sigmoid()
            return -(t * p.log() + (1 - t) * (1 - p).log())
        terms = (bce(x, t) for x, t in zip(X, y))
    else:
        raise ValueError(f"loss inválida: {loss!r}")
    total = 0.0
    for term in terms:
        total = total + term
    return total / len(X)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method == "central":
        shifts = (+h, -h)
    elif method == "forward":
        shifts = (+h, None)
    else:
        raise ValueError(f"método desconhecido {method!r}")
    w = param.data
    losses = []
    try:
        for s in shifts:
            param.data = w if s is None else w + s
            losses.append(compute_loss().data)
    finally:
        param.data = w
    return (losses[0] - losses[1]) / (2 * h if method == "central" else h)


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    return [(a, numeric_gradient(compute_loss, p, h)) for a, p in zip(analytic, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(a - b) < tol for a, b in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    w = param.data
    try:
        param.data = w + h
        bumped = compute_loss().data
    finally:
        param.data = w
    return (param.grad > 0) == (bumped > L.data) == True  # noqa: E712


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    def run():
        for _ in range(steps):
            L = mlp_loss(model, X, y, loss)
            model.zero_grad()
            L.backward()
            for p in model.parameters():
                p.data -= learning_rate * p.grad
            yield float(L.data)
    return list(run())
