from __future__ import annotations

import math


def _check(a, b) -> None:
    match (len(a), len(b)):
        case (0, _) | (_, 0):
            raise ValueError("entrada vazia")
        case (m, k) if m != k:
            raise ValueError(f"tamanhos diferentes: {m} e {k}")


def _is_value(x) -> bool:
    return hasattr(x, "backward")


def mse(y_true, y_pred):
    _check(y_true, y_pred)
    total = 0.0
    for t, p in zip(y_true, y_pred):
        total = total + (p - t) ** 2
    return total / len(y_true)


def binary_cross_entropy(y_true, p_pred, eps: float = 1e-12):
    _check(y_true, p_pred)
    total = 0.0
    for t, p in zip(y_true, p_pred):
        if _is_value(p):
            total = total + -(t * p.log() + (1 - t) * (1 - p).log())
        else:
            q = min(max(p, eps), 1 - eps)
            total = total - (t * math.log(q) + (1 - t) * math.log(1 - q))
    return total / len(y_true)


def softmax(logits) -> list[float]:
    m = max(logits)
    exps = [math.exp(z - m) for z in logits]
    total = sum(exps)
    return [e / total for e in exps]


def cross_entropy(logits_batch, labels) -> float:
    _check(logits_batch, labels)
    total = 0.0
    for z, k in zip(logits_batch, labels):
        m = max(z)
        total += m + math.log(sum(math.exp(v - m) for v in z)) - z[k]
    return total / len(labels)


def mse_gradient(y_true, y_pred) -> list[float]:
    _check(y_true, y_pred)
    return [2 * (p - t) / len(y_true) for t, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels) -> list[list[float]]:
    _check(logits_batch, labels)
    n = len(labels)
    return [[(q - (j == k)) / n for j, q in enumerate(softmax(z))] for z, k in zip(logits_batch, labels)]


def sigmoid_output_gradients(z: float, y: float) -> tuple[float, float]:
    p = 1 / (1 + math.exp(-z)) if z >= 0 else (e := math.exp(z)) / (1 + e)
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task: str) -> str:
    match task:
        case "regression":
            return "mse"
        case "classification":
            return "cross_entropy"
        case _:
            raise ValueError(f"tarefa desconhecida: {task!r}")
