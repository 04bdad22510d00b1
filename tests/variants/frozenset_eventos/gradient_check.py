import math
import random


def make_dataset(n=100, seed=0):
    """Fronteira senoidal: classe 1 acima de y = sin(2x), classe 0 abaixo."""
    rng = random.Random(seed)
    X, y = [], []
    for k in range(n):
        label = k % 2
        a = rng.uniform(-2.0, 2.0)
        gap = rng.uniform(0.2, 1.5)
        b = math.sin(2 * a) + (gap if label == 1 else -gap)
        X.append([a, b])
        y.append(label)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss == "mse":
        pass
    elif loss == "cross_entropy":
        pass
    else:
        raise ValueError(f"loss inválida: {loss!r}")
    total = 0
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        if loss == "mse":
            total = total + (p - yi) ** 2
        else:
            total = total + (-(p.log()) if yi == 1 else -((1 - p).log()))
    return total / len(X)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    saved = param.data
    if method == "central":
        param.data = saved + h
        f_plus = compute_loss().data
        param.data = saved - h
        f_minus = compute_loss().data
        param.data = saved
        return (f_plus - f_minus) / (2 * h)
    if method == "forward":
        f0 = compute_loss().data
        param.data = saved + h
        f_plus = compute_loss().data
        param.data = saved
        return (f_plus - f0) / h
    raise ValueError(f"método {method!r} não existe (use 'central' ou 'forward')")


def gradient_check(compute_loss, parameters, h=1e-3):
    parameters = list(parameters)
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = tuple(p.grad for p in parameters)
    return [[a, numeric_gradient(compute_loss, p, h)] for a, p in zip(analytic, parameters)]


def check_passes(pairs, tol=1e-5):
    for pair in pairs:
        if not abs(pair[0] - pair[1]) < tol:   # 'not <' e não '>=': nan reprova
            return False
    return True


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    analytic_says_up = param.grad > 0
    saved = param.data
    param.data = saved + h
    measured_up = compute_loss().data > L.data
    param.data = saved
    if analytic_says_up != measured_up:
        return measured_up          # discordam (curvatura grande demais para esse h): fico com a medida
    return analytic_says_up


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    for _ in range(steps):
        current = mlp_loss(model, X, y, loss)
        model.zero_grad()
        current.backward()
        for p in model.parameters():
            p.data = p.data - learning_rate * p.grad
        history.append(float(current.data))
    return history
