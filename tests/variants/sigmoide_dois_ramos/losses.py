"""Perdas genéricas: a mesma conta serve para floats e para Values.

Só o log muda, e quem escolhe é functools.singledispatch.
"""
import math
from functools import singledispatch

from value import Value


@singledispatch
def _log(x):
    return math.log(x)


@_log.register
def _(x: Value):
    return x.log()


def _validate(a, b):
    if len(a) != len(b):
        raise ValueError("tamanhos diferentes")
    if len(a) == 0:
        raise ValueError("entrada vazia")


def _average(terms):
    terms = list(terms)
    acc = terms[0]
    for t in terms[1:]:
        acc = acc + t
    return acc / len(terms)


def mse(y_true, y_pred):
    _validate(y_true, y_pred)
    return _average((p - y) ** 2 for y, p in zip(y_true, y_pred))


def _clip(p, eps):
    return p if isinstance(p, Value) else min(max(p, eps), 1 - eps)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _validate(y_true, p_pred)
    terms = []
    for y, p in zip(y_true, p_pred):
        p = _clip(p, eps)
        terms.append(-(y * _log(p) + (1 - y) * _log(1 - p)))
    return _average(terms)


def _log_softmax(logits):
    m = max(logits)
    log_z = m + math.log(math.fsum(math.exp(v - m) for v in logits))
    return [v - log_z for v in logits]


def softmax(logits):
    m = max(logits)
    e = [math.exp(v - m) for v in logits]
    total = math.fsum(e)
    return [v / total for v in e]


def cross_entropy(logits_batch, labels):
    _validate(logits_batch, labels)
    return -math.fsum(_log_softmax(z)[k] for z, k in zip(logits_batch, labels)) / len(labels)


def mse_gradient(y_true, y_pred):
    _validate(y_true, y_pred)
    n = len(y_pred)
    return [2 * (p - y) / n for y, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _validate(logits_batch, labels)
    n = len(logits_batch)
    grads = []
    for z, k in zip(logits_batch, labels):
        row = softmax(z)
        grads.append([(row[j] - (j == k)) / n for j in range(len(row))])
    return grads


def sigmoid_output_gradients(z, y):
    p = Value(z).sigmoid().data
    return (2 * (p - y) * p * (1 - p), p - y)


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"{task!r}: esperava 'regression' ou 'classification'")
