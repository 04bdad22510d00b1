import random


def make_dataset(n=100, seed=0):
    """Quadrantes tipo XOR: classe 1 quando x e y têm o mesmo sinal."""
    rng = random.Random(seed)
    X, y = [], []
    for k in range(n):
        label = k % 2
        sx = rng.choice([-1, 1])
        sy = sx if label == 1 else -sx
        X.append([sx * rng.uniform(0.1, 1.0), sy * rng.uniform(0.1, 1.0)])
        y.append(label)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    if loss != "mse" and loss != "cross_entropy":
        raise ValueError("loss: use 'mse' ou 'cross_entropy'")
    probs = [model(x).sigmoid() for x in X]
    if loss == "mse":
        losses = [(p - t) ** 2 for t, p in zip(y, probs)]
    else:
        losses = [-(t * p.log() + (1 - t) * (1 - p).log()) for t, p in zip(y, probs)]
    return sum(losses) * (1.0 / len(losses))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    old = param.data
    if method == "forward":
        l0 = compute_loss().data
        param.data = old + h
        l1 = compute_loss().data
        param.data = old
        return (l1 - l0) / h
    if method == "central":
        param.data = old + h
        l1 = compute_loss().data
        param.data = old - h
        l2 = compute_loss().data
        param.data = old
        return (l1 - l2) / (2 * h)
    raise ValueError("method precisa ser 'central' ou 'forward'")


def gradient_check(compute_loss, parameters, h=1e-3):
    for p in parameters:
        p.grad = 0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    numeric = [numeric_gradient(compute_loss, p, h) for p in parameters]
    return list(zip(analytic, numeric))


def check_passes(pairs, tol=1e-5):
    ok = True
    for a, n in pairs:
        ok = ok and abs(a - n) < tol
    return ok


def loss_goes_up(compute_loss, param, h=1e-3):
    loss = compute_loss()
    param.grad = 0
    loss.backward()
    says_up = param.grad > 0
    old = param.data
    param.data = old + h
    went_up = compute_loss().data > loss.data
    param.data = old
    return says_up == went_up == True


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    for k in range(steps):
        # forward
        total = mlp_loss(model, X, y, loss)
        # backward
        model.zero_grad()
        total.backward()
        # update
        for p in model.parameters():
            p.data += -learning_rate * p.grad
        history.append(float(total.data))
    return history
