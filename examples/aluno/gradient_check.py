"""Entregável: gradient check de um MLP pequeno (solução de referência).

Medido com `cd solutions && python gradient_check.py` (veja o fim do arquivo): na
receita do curso (empurrar +0.001, diferença para a frente, tolerância 1e-5),
a maioria dos parâmetros do MLP reprova, porque o erro da diferença para a
frente cresce com h (~ h/2 · f''); com diferenças centrais (erro ~ h²) todos
passam.
"""
import random


def make_dataset(n=100, seed=0):
    rng = random.Random(seed)
    X, y = [], []
    for i in range(n):
        label = i % 2
        center = 1.0 if label else -1.0
        X.append([center + rng.gauss(0, 0.7), center + rng.gauss(0, 0.7)])
        y.append(label)
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
    return total * (1 / len(X))


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    if method not in ("central", "forward"):
        raise ValueError(f"método desconhecido: {method!r}")
    original = param.data
    try:
        param.data = original + h
        up = compute_loss().data
        if method == "forward":
            param.data = original
            return (up - compute_loss().data) / h
        param.data = original - h
        down = compute_loss().data
        return (up - down) / (2 * h)
    finally:
        param.data = original


def gradient_check(compute_loss, parameters, h=1e-3):
    parameters = list(parameters)
    for p in parameters:
        p.grad = 0.0
    compute_loss().backward()
    analytic = [p.grad for p in parameters]
    return [(a, numeric_gradient(compute_loss, p, h)) for a, p in zip(analytic, parameters)]


def check_passes(pairs, tol=1e-5):
    return all(abs(a - n) <= tol for a, n in pairs)


def loss_goes_up(compute_loss, param, h=1e-3):
    param.grad = 0.0
    loss = compute_loss()
    loss.backward()
    analytic_up = param.grad > 0
    original = param.data
    try:
        param.data = original + h
        measured_up = compute_loss().data > loss.data
    finally:
        param.data = original
    return analytic_up and measured_up


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    history = []
    for _ in range(steps):
        current = mlp_loss(model, X, y, loss)
        model.zero_grad()
        current.backward()
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        history.append(current.data)
    return history


if __name__ == "__main__":
    from mlp import MLP

    X, y = make_dataset(20, seed=1)
    model = MLP(2, [4, 4, 1], seed=0)
    compute = lambda: mlp_loss(model, X, y, "cross_entropy")  # noqa: E731
    params = model.parameters()
    central = gradient_check(compute, params)
    forward = [(a, numeric_gradient(compute, p, 1e-3, "forward")) for (a, _), p in zip(central, params)]
    ok = lambda pairs: sum(abs(a - n) < 1e-5 for a, n in pairs)  # noqa: E731
    print(f"{len(params)} parâmetros: forward passa em {ok(forward)}, central passa em {ok(central)}")
