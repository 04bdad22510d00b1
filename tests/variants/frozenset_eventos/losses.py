"""Perdas que devolvem tuplas (imutáveis)."""
import math


def _check(a, b):
    if len(a) != len(b):
        raise ValueError("len(y_true) != len(y_pred)")
    if len(a) == 0:
        raise ValueError("nada para calcular")


def _is_value(x):
    return hasattr(x, "backward") and hasattr(x, "data")


def mse(y_true, y_pred):
    _check(y_true, y_pred)
    terms = tuple((p - t) ** 2 for t, p in zip(y_true, y_pred))
    if any(map(_is_value, terms)):
        acc = terms[0]
        for term in terms[1:]:
            acc = acc + term
        return acc / len(terms)
    return math.fsum(terms) / len(terms)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _check(y_true, p_pred)
    acc = 0.0
    for t, p in zip(y_true, p_pred):
        if _is_value(p):
            acc = acc - (t * p.log() + (1 - t) * (1 - p).log())
        else:
            q = min(max(float(p), eps), 1.0 - eps)
            acc = acc - (t * math.log(q) + (1 - t) * math.log1p(-q))
    return acc / len(p_pred)


def softmax(logits):
    top = max(logits)
    e = tuple(math.exp(v - top) for v in logits)
    z = sum(e)
    return tuple(v / z for v in e)


def cross_entropy(logits_batch, labels):
    _check(logits_batch, labels)
    total = 0.0
    for z, k in zip(logits_batch, labels):
        top = max(z)
        total += top + math.log(sum(math.exp(v - top) for v in z)) - z[k]
    return total / len(labels)


def mse_gradient(y_true, y_pred):
    _check(y_true, y_pred)
    n = len(y_true)
    return tuple(2 * (p - t) / n for t, p in zip(y_true, y_pred))


def cross_entropy_gradient(logits_batch, labels):
    _check(logits_batch, labels)
    n = len(labels)
    return tuple(tuple((q - (1.0 if j == k else 0.0)) / n for j, q in enumerate(softmax(z)))
                 for z, k in zip(logits_batch, labels))


def sigmoid_output_gradients(z, y):
    e = math.exp(-abs(z))
    p = 1 / (1 + e) if z >= 0 else e / (1 + e)
    return (2 * (p - y) * p * (1 - p), p - y)


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"não conheço a tarefa {task!r}")
