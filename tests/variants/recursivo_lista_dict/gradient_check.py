import random


def make_dataset(n=100, seed=0):
    """Amostragem por rejeição: ponto no quadrado, classe pelo raio.

    Sorteio até ter metade de cada classe (a classe 1 fica com a sobra se n for ímpar).
    """
    rng = random.Random(seed)
    quota = {0: n // 2, 1: n - n // 2}
    X, y = [], []
    while quota[0] or quota[1]:
        a, b = rng.uniform(-2, 2), rng.uniform(-2, 2)
        r2 = a * a + b * b
        label = 0 if r2 < 1.0 else (1 if r2 > 1.44 else None)
        if label is None or quota[label] == 0:
            continue
        quota[label] -= 1
        X.append([a, b])
        y.append(label)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss desconhecida: {loss!r}")
    acc = 0.0
    k = 0
    while k < len(X):
        p = model(X[k]).sigmoid()
        t = y[k]
        if loss == "mse":
            acc = acc + (p - t) * (p - t)
        else:
            acc = acc - t * p.log() - (1 - t) * (1 - p).log()
        k += 1
    return acc / len(X)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method not in ("central", "forward"):
        raise ValueError(f"method: {method!r}")
    w = param.data
    try:
        param.data = w + h
        mais = compute_loss().data
        if method == "forward":
            param.data = w
            return (mais - compute_loss().data) / h
        param.data = w - h
        menos = compute_loss().data
        return (mais - menos) / (2 * h)
    finally:
        param.data = w


def gradient_check(compute_loss, parameters, h=1e-3):
    ps = list(parameters)
    for p in ps:
        p.grad = 0.0
    compute_loss().backward()
    grads = [p.grad for p in ps]
    out = []
    for g, p in zip(grads, ps):
        out.append((g, numeric_gradient(compute_loss, p, h)))
    return out


def check_passes(pairs, tol=1e-5):
    ok = True
    for a, b in pairs:
        if not (abs(a - b) < tol):
            ok = False
    return ok


def loss_goes_up(compute_loss, param, h=1e-3):
    L = compute_loss()
    param.grad = 0.0
    L.backward()
    pelo_grad = param.grad > 0
    medido = numeric_gradient(compute_loss, param, h, "forward") > 0
    return bool(pelo_grad and medido)


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    hist = []
    k = 0
    while k < steps:
        L = mlp_loss(model, X, y, loss)
        model.zero_grad()
        L.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        hist.append(float(L.data))
        k += 1
    return hist
