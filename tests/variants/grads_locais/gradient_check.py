import random


def make_dataset(n=100, seed=0):
    """Pontos no quadrado [-2, 2]², separados pela reta x + y = 0 (com margem)."""
    rnd = random.Random(seed)
    X, y = [], []
    while len(X) < n:
        want = len(X) % 2                      # alterna as classes
        a, b = rnd.uniform(-2, 2), rnd.uniform(-2, 2)
        s = a + b
        if abs(s) < 0.3:
            continue                           # margem entre as classes
        if (s > 0) != bool(want):
            a, b = -a, -b                      # espelha para a classe que falta
        X.append([a, b])
        y.append(want)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss == "mse":
        f = lambda p, t: (p - t) ** 2
    elif loss == "cross_entropy":
        f = lambda p, t: -(t * p.log() + (1 - t) * (1 - p).log())
    else:
        raise ValueError("loss deve ser 'mse' ou 'cross_entropy'")
    losses = [f(model(xi).sigmoid(), yi) for xi, yi in zip(X, y)]
    return sum(losses, 0.0) / len(losses)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    original = param.data
    if method == "central":
        points = [(original + h, 1.0), (original - h, -1.0)]
        denom = 2 * h
    elif method == "forward":
        points = [(original + h, 1.0), (original, -1.0)]
        denom = h
    else:
        raise ValueError(method)
    diff = 0.0
    try:
        for value, sign in points:
            param.data = value
            diff += sign * compute_loss().data
    finally:
        param.data = original
    return diff / denom


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    return [[a, numeric_gradient(compute_loss, p, h)] for a, p in zip(analytic, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(pair[0] - pair[1]) < tol for pair in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    loss = compute_loss()
    param.grad = 0.0
    loss.backward()
    analytic = param.grad
    measured = numeric_gradient(compute_loss, param, h, "forward")
    return analytic > 0 and measured > 0


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
