"""The kit's MLP in plain floats, on the judge's side.

Given the parameters a model reports (in `MLP.parameters()` order: per layer,
per neuron, the weights then the bias), it recomputes outputs and losses so
the judge never trusts the child's arithmetic.
"""
import math


def forward(params, sizes, x):
    """Logit z of the MLP with layer sizes [nin, h1, ..., 1] at input x."""
    it = iter(params)
    for i in range(1, len(sizes)):
        last = i == len(sizes) - 1
        out = []
        for _ in range(sizes[i]):
            w = [next(it) for _ in range(sizes[i - 1])]
            act = next(it) + sum(wi * xi for wi, xi in zip(w, x))
            out.append(act if last else math.tanh(act))
        x = out
    return x[0]


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def loss(params, sizes, X, y, kind):
    total = 0.0
    for xi, yi in zip(X, y):
        p = sigmoid(forward(params, sizes, xi))
        total += (p - yi) ** 2 if kind == "mse" else -(yi * math.log(p) + (1 - yi) * math.log(1 - p))
    return total / len(X)


def squared_logit_error(params, sizes, X, y):
    """The loss the gradient-check tests build by hand (no sigmoid needed)."""
    return sum((forward(params, sizes, xi) - yi) ** 2 for xi, yi in zip(X, y)) / len(X)


def central_gradient(fn, params, h=1e-6):
    grads = []
    for i in range(len(params)):
        up, down = list(params), list(params)
        up[i] += h
        down[i] -= h
        grads.append((fn(up) - fn(down)) / (2 * h))
    return grads


def parameter_count(sizes):
    return sum((sizes[i - 1] + 1) * sizes[i] for i in range(1, len(sizes)))
