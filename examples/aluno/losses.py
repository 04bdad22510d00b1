"""Funções de perda e seus gradientes (solução de referência)."""
import math


def _check_batch(a, b):
    if len(a) != len(b):
        raise ValueError(f"tamanhos diferentes: {len(a)} e {len(b)}")
    if len(a) == 0:
        raise ValueError("entrada vazia")


def _is_value(x):
    return hasattr(x, "backward")


def mse(y_true, y_pred):
    _check_batch(y_true, y_pred)
    total = sum((p - y) ** 2 for y, p in zip(y_true, y_pred))
    return total * (1 / len(y_true))


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _check_batch(y_true, p_pred)
    total = 0.0
    for y, p in zip(y_true, p_pred):
        if _is_value(p):
            total = total + -(y * p.log() + (1 - y) * (1 - p).log())
        else:
            total = total - (y * math.log(p) + (1 - y) * math.log(1 - p))
    return total * (1 / len(y_true))


def softmax(logits):
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    s = sum(exps)
    return [e / s for e in exps]


def _log_sum_exp(logits):
    top = max(logits)
    return top + math.log(sum(math.exp(z - top) for z in logits))


def cross_entropy(logits_batch, labels):
    _check_batch(logits_batch, labels)
    total = sum(_log_sum_exp(z) - z[k] for z, k in zip(logits_batch, labels))
    return total / len(labels)


def mse_gradient(y_true, y_pred):
    _check_batch(y_true, y_pred)
    n = len(y_true)
    return [2 * (p - y) / n for y, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _check_batch(logits_batch, labels)
    n = len(labels)
    grads = []
    for z, k in zip(logits_batch, labels):
        probs = softmax(z)
        grads.append([(q - (1 if j == k else 0)) / n for j, q in enumerate(probs)])
    return grads


def _sigmoid(z):
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def sigmoid_output_gradients(z, y):
    p = _sigmoid(z)
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa desconhecida: {task!r}")
