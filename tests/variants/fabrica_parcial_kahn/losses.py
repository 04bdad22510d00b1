"""Perdas com numpy (expressões que sempre criam arrays novos) e um caminho para Value."""
import math

import numpy as np

from value import Value


def _confere(a, b):
    if len(a) != len(b) or len(a) == 0:
        raise ValueError("lote vazio ou com tamanhos diferentes")


def mse(y_true, y_pred):
    _confere(y_true, y_pred)
    if any(isinstance(p, Value) for p in y_pred):
        return sum(((p - y) ** 2 for y, p in zip(y_true, y_pred)), Value(0.0)) * (1 / len(y_pred))
    return float(np.mean((np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)) ** 2))


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _confere(y_true, p_pred)
    if any(isinstance(p, Value) for p in p_pred):
        termos = [-(y * p.log() + (1 - y) * (1 - p).log()) for y, p in zip(y_true, p_pred)]
        return sum(termos[1:], termos[0]) * (1 / len(termos))
    y = np.asarray(y_true, dtype=float)
    p = np.clip(np.asarray(p_pred, dtype=float), eps, 1 - eps)   # clip devolve um array novo
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log1p(-p))))


def softmax(logits):
    z = np.asarray(logits, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def cross_entropy(logits_batch, labels):
    _confere(logits_batch, labels)
    z = np.asarray(logits_batch, dtype=float)
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    return float(np.mean(lse - z[np.arange(len(z)), np.asarray(labels)]))


def mse_gradient(y_true, y_pred):
    _confere(y_true, y_pred)
    return 2 * (np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)) / len(y_true)


def cross_entropy_gradient(logits_batch, labels):
    _confere(logits_batch, labels)
    z = np.asarray(logits_batch, dtype=float)
    q = np.exp(z - z.max(axis=1, keepdims=True))
    q = q / q.sum(axis=1, keepdims=True)
    um = np.zeros_like(q)
    um[np.arange(len(z)), np.asarray(labels)] = 1.0
    return (q - um) / len(z)


def sigmoid_output_gradients(z, y):
    p = 0.5 * (1 + math.tanh(z / 2))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(task)
