"""Perdas com numpy. Com Values (qualquer coisa com .backward) o caminho é em Python puro."""
import math

import numpy as np


def _check(a, b):
    if len(a) != len(b):
        raise ValueError("y_true e y_pred têm tamanhos diferentes")
    if len(a) == 0:
        raise ValueError("entrada vazia")


def _has_values(seq):
    return any(hasattr(p, "backward") for p in seq)


def _mean(terms):
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total * (1.0 / len(terms))


def mse(y_true, y_pred):
    _check(y_true, y_pred)
    if _has_values(y_pred):
        return _mean([(p - float(y)) ** 2 for y, p in zip(y_true, y_pred)])
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    return np.mean((p - y) ** 2)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _check(y_true, p_pred)
    if _has_values(p_pred):
        terms = []
        for y, p in zip(y_true, p_pred):
            y = float(y)
            terms.append(-(p.log() * y + (1.0 - p).log() * (1.0 - y)))
        return _mean(terms)
    y = np.asarray(y_true, dtype=float)
    p = np.clip(np.asarray(p_pred, dtype=float), eps, 1 - eps)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def softmax(logits):
    z = np.asarray(logits, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def cross_entropy(logits_batch, labels):
    _check(logits_batch, labels)
    total = 0.0
    for z, k in zip(logits_batch, labels):
        z = np.asarray(z, dtype=float)
        m = z.max()
        total += m + np.log(np.sum(np.exp(z - m))) - z[int(k)]
    return total / len(labels)


def mse_gradient(y_true, y_pred):
    _check(y_true, y_pred)
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    return 2 * (p - y) / len(y)


def cross_entropy_gradient(logits_batch, labels):
    _check(logits_batch, labels)
    n = len(labels)
    rows = []
    for z, k in zip(logits_batch, labels):
        g = softmax(z)
        g[int(k)] -= 1.0
        rows.append(g / n)
    return np.array(rows)


def sigmoid_output_gradients(z, y):
    p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    table = {"regression": "mse", "classification": "cross_entropy"}
    if isinstance(task, str) and task in table:
        return table[task]
    raise ValueError(f"não sei que loss usar para {task!r}")
