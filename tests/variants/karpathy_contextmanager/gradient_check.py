"""Gradient check com um context manager que empurra o peso e sempre o devolve."""
import math
import random
from contextlib import contextmanager


@contextmanager
def _nudged(param, value):
    saved = param.data
    param.data = value
    try:
        yield
    finally:
        param.data = saved


def make_dataset(n=100, seed=0):
    # classe 0 no círculo de raio 1, classe 1 no de raio 2 (com ruído)
    rng = random.Random(seed)
    data = []
    for k in range(n):
        label = k & 1
        r = (1.0 if label == 0 else 2.0) + rng.uniform(-0.25, 0.25)
        a = rng.random() * 2 * math.pi
        data.append(([r * math.cos(a), r * math.sin(a)], label))
    rng.shuffle(data)
    X = [pt for pt, _ in data]
    y = [lab for _, lab in data]
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss == "mse":
        per = lambda p, t: (p - t) ** 2
    elif loss == "cross_entropy":
        per = lambda p, t: -(t * p.log() + (1 - t) * (1 - p).log())
    else:
        raise ValueError("unknown loss " + repr(loss))
    return sum(per(model(x).sigmoid(), t) for x, t in zip(X, y)) * (1.0 / len(X))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    w = param.data
    if method == "central":
        with _nudged(param, w + h):
            up = compute_loss().data
        with _nudged(param, w - h):
            down = compute_loss().data
        return (up - down) / (2 * h)
    if method == "forward":
        here = compute_loss().data
        with _nudged(param, w + h):
            up = compute_loss().data
        return (up - here) / h
    raise ValueError(f"unknown method {method!r}")


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0
    compute_loss().backward()
    snapshot = [p.grad for p in parameters]
    return [(g, numeric_gradient(compute_loss, p, h, method="central")) for g, p in zip(snapshot, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(analytic - numeric) < tol for analytic, numeric in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0
    L.backward()
    with _nudged(param, param.data + h):
        after = compute_loss().data
    return param.grad > 0 and after > L.data


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
