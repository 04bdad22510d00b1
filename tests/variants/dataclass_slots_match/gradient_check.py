from __future__ import annotations

import random


def make_dataset(n: int = 100, seed: int = 0):
    """Quadrados concêntricos: classe 0 com max(|x|, |y|) < 0.9, classe 1 entre 1.1 e 2."""
    rng = random.Random(seed)
    X: list[list[float]] = []
    y: list[int] = []
    while len(X) < n:
        label = len(X) % 2
        a, b = rng.uniform(-2, 2), rng.uniform(-2, 2)
        r = max(abs(a), abs(b))
        if (label == 0 and r < 0.9) or (label == 1 and r > 1.1):
            X.append([a, b])
            y.append(label)
    return X, y


def mlp_loss(model, X, y, loss: str = "mse"):
    match loss:
        case "mse":
            term = lambda p, t: (p - t) ** 2                                   # noqa: E731
        case "cross_entropy":
            term = lambda p, t: -(t * p.log() + (1 - t) * (1 - p).log())      # noqa: E731
        case _:
            raise ValueError(f"loss desconhecida: {loss!r}")
    total = 0.0
    for xi, yi in zip(X, y):
        total = term(model(xi).sigmoid(), yi) + total
    return total / len(X)


def numeric_gradient(compute_loss, param, h: float = 1e-3, method: str = "central") -> float:
    w = param.data
    match method:
        case "central":
            param.data = w + h
            up = compute_loss().data
            param.data = w - h
            down = compute_loss().data
            param.data = w
            return (up - down) / (2 * h)
        case "forward":
            base = compute_loss().data
            param.data = w + h
            up = compute_loss().data
            param.data = w
            return (up - base) / h
        case _:
            raise ValueError(f"method desconhecido: {method!r}")


def gradient_check(compute_loss, parameters, h: float = 1e-3):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    return [(a, numeric_gradient(compute_loss, p, h)) for a, p in zip(analytic, parameters)]


def check_passes(pairs, tol: float = 1e-5) -> bool:
    return all(abs(a - n) < tol for a, n in pairs)


def loss_goes_up(compute_loss, param, h: float = 1e-3) -> bool:
    (L := compute_loss())
    param.grad = 0.0
    L.backward()
    w = param.data
    param.data = w + h
    went_up = compute_loss().data > L.data
    param.data = w
    match (param.grad > 0, went_up):
        case (True, True):
            return True
        case (False, False):
            return False
        case (_, measured):
            return bool(measured)


def train(model, X, y, steps: int = 50, learning_rate: float = 0.1, loss: str = "cross_entropy") -> list[float]:
    history: list[float] = []
    for _ in range(steps):
        L = mlp_loss(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append(float(L.data))
    return history
