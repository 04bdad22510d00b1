"""Perdas com numpy; se np.asarray(..., dtype=float) não aceitar (são Values), faço em Python."""
import math

import numpy as np


def _check(a, b):
    if len(a) != len(b):
        raise ValueError("comprimentos diferentes")
    if len(a) == 0:
        raise ValueError("vazio")


def _floats(xs):
    try:
        return np.asarray(xs, dtype=float)
    except TypeError:
        return None


def mse(y_true, y_pred):
    _check(y_true, y_pred)
    p = _floats(y_pred)
    if p is None:
        total = sum(((q - float(t)) ** 2 for t, q in zip(y_true, y_pred)), 0.0)
        return total / len(y_pred)
    return np.mean((p - np.asarray(y_true, dtype=float)) ** 2)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _check(y_true, p_pred)
    p = _floats(p_pred)
    if p is None:
        total = 0.0
        for t, q in zip(y_true, p_pred):
            t = float(t)
            total = total + (q.log() * -t - (1 - q).log() * (1 - t))
        return total / len(p_pred)
    y = np.asarray(y_true, dtype=float)
    p = np.clip(p, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def softmax(logits):
    z = np.asarray(logits, dtype=float)
    z = z - np.max(z)
    e = np.exp(z)
    return e / np.sum(e)


def cross_entropy(logits_batch, labels):
    _check(logits_batch, labels)
    losses = []
    for z, k in zip(logits_batch, labels):
        z = np.asarray(z, dtype=float)
        m = np.max(z)
        losses.append(m + np.log(np.exp(z - m).sum()) - z[k])
    return np.mean(losses)


def mse_gradient(y_true, y_pred):
    _check(y_true, y_pred)
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_pred, dtype=float)
    return 2.0 * (p - y) / y.size


def cross_entropy_gradient(logits_batch, labels):
    _check(logits_batch, labels)
    n = len(labels)
    out = []
    for z, k in zip(logits_batch, labels):
        onehot = np.zeros(len(z))
        onehot[k] = 1.0
        out.append((softmax(z) - onehot) / n)
    return np.stack(out)


def sigmoid_output_gradients(z, y):
    p = float(np.exp(-np.logaddexp(0.0, -z)))     # sigmoid estável: 1 / (1 + e^-z)
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError("tarefa desconhecida: " + repr(task))
