"""Perdas: numpy nas versões com floats (sempre sobre cópias), laço nas com Value."""
import math

import numpy as np


def _confere(a, b):
    if len(a) != len(b):
        raise ValueError("tamanhos diferentes")
    if len(a) == 0:
        raise ValueError("lote vazio")


def _tem_value(seq):
    return any(hasattr(v, "backward") for v in seq)


def mse(y_true, y_pred):
    _confere(y_true, y_pred)
    if _tem_value(y_pred):
        total = 0.0
        for y, p in zip(y_true, y_pred):
            total = total + (p - y) ** 2
        return total * (1.0 / len(y_true))
    erro = np.array(y_pred, dtype=float)
    erro -= np.asarray(y_true, dtype=float)   # erro é uma cópia: não mexe em y_pred
    return float(np.mean(erro ** 2))


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _confere(y_true, p_pred)
    if _tem_value(p_pred):
        total = 0.0
        for y, p in zip(y_true, p_pred):
            total = total - (y * p.log() + (1 - y) * (1 - p).log())
        return total * (1.0 / len(y_true))
    p = np.clip(np.array(p_pred, dtype=float), eps, 1 - eps)
    y = np.asarray(y_true, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def softmax(logits):
    z = np.array(logits, dtype=float)
    z -= z.max()
    e = np.exp(z)
    return (e / e.sum()).tolist()


def cross_entropy(logits_batch, labels):
    _confere(logits_batch, labels)
    total = 0.0
    for z, k in zip(logits_batch, labels):
        m = max(z)
        total += m + math.log(sum(math.exp(v - m) for v in z)) - z[k]
    return total / len(labels)


def mse_gradient(y_true, y_pred):
    _confere(y_true, y_pred)
    g = np.array(y_pred, dtype=float)
    g -= np.asarray(y_true, dtype=float)
    g *= 2.0 / len(g)
    return g.tolist()


def cross_entropy_gradient(logits_batch, labels):
    _confere(logits_batch, labels)
    n = len(labels)
    linhas = []
    for z, k in zip(logits_batch, labels):
        q = np.array(z, dtype=float)
        q -= q.max()
        np.exp(q, out=q)
        q /= q.sum()
        q[int(k)] -= 1.0
        linhas.append((q / n).tolist())
    return linhas


def sigmoid_output_gradients(z, y):
    p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    escolhas = {"regression": "mse", "classification": "cross_entropy"}
    if task not in escolhas:
        raise ValueError(f"tarefa desconhecida: {task!r}")
    return escolhas[task]
