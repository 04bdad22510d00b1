"""The kit's MLP in plain floats, on the judge's side.

The judge builds the parameters itself from the seed, as grader/kit/mlp.py
does (per layer, per neuron: the weights from `random.Random(seed)`, then a
zero bias), and computes outputs, losses and exact gradients from them: it
never uses parameters or arithmetic the child reports.
"""
import math
import random


def parameters(sizes, seed):
    """MLP(sizes[0], sizes[1:], seed).parameters(), as floats."""
    rng = random.Random(seed)
    params = []
    for i in range(1, len(sizes)):
        for _ in range(sizes[i]):
            params += [rng.uniform(-1, 1) for _ in range(sizes[i - 1])] + [0.0]
    return params


def _layers(params, sizes):
    """[(weights, bias) per neuron] per layer, in parameters() order."""
    it, layers = iter(params), []
    for i in range(1, len(sizes)):
        layers.append([([next(it) for _ in range(sizes[i - 1])], next(it)) for _ in range(sizes[i])])
    return layers


def _forward(layers, x):
    """Activations of every layer (the input first); hidden layers tanh, last linear."""
    acts = [list(x)]
    for depth, layer in enumerate(layers):
        last = depth == len(layers) - 1
        out = [b + sum(wi * xi for wi, xi in zip(w, acts[-1])) for w, b in layer]
        acts.append(out if last else [math.tanh(v) for v in out])
    return acts


def forward(params, sizes, x):
    """Logit z of the MLP with layer sizes [nin, h1, ..., 1] at input x."""
    return _forward(_layers(params, sizes), x)[-1][0]


def sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _point_loss(z, y, kind):
    """(loss, dloss/dz) of one point; kind 'mse' or 'cross_entropy', after a sigmoid,
    or 'logit' for the squared error of z itself."""
    if kind == "logit":
        return (z - y) ** 2, 2 * (z - y)
    p = sigmoid(z)
    if kind == "mse":
        return (p - y) ** 2, 2 * (p - y) * p * (1 - p)
    return -(y * math.log(p) + (1 - y) * math.log(1 - p)), p - y


def loss(params, sizes, X, y, kind):
    return sum(_point_loss(forward(params, sizes, xi), yi, kind)[0] for xi, yi in zip(X, y)) / len(X)


def gradient(params, sizes, X, y, kind):
    """The exact gradient of loss() in parameters() order (backpropagation by hand)."""
    layers = _layers(params, sizes)
    grads = [[([0.0] * len(w), 0.0) for w, _ in layer] for layer in layers]
    for xi, yi in zip(X, y):
        acts = _forward(layers, xi)
        delta = [_point_loss(acts[-1][0], yi, kind)[1] / len(X)]
        for depth in range(len(layers) - 1, -1, -1):
            inputs = acts[depth]
            below = [0.0] * len(inputs)
            for j, ((w, _), d) in enumerate(zip(layers[depth], delta)):
                gw, gb = grads[depth][j]
                grads[depth][j] = ([g + d * v for g, v in zip(gw, inputs)], gb + d)
                for k, wk in enumerate(w):
                    below[k] += wk * d
            if depth:
                delta = [b * (1 - a * a) for b, a in zip(below, inputs)]   # through tanh
    return [g for layer in grads for gw, gb in layer for g in gw + [gb]]


def train(params, sizes, X, y, steps, learning_rate, kind):
    """What plain gradient descent gives: (history, final parameters)."""
    history = []
    for _ in range(steps):
        history.append(loss(params, sizes, X, y, kind))
        params = [p - learning_rate * g for p, g in zip(params, gradient(params, sizes, X, y, kind))]
    return history, params


def parameter_count(sizes):
    return sum((sizes[i - 1] + 1) * sizes[i] for i in range(1, len(sizes)))
