"""Perdas com numpy; Values (isinstance) seguem pelo grafo do autograd."""
import numpy as np

from value import Value


def _validate(y_true, y_pred):
    if len(y_true) != len(y_pred):
        raise ValueError(f"tamanhos diferentes: {len(y_true)} != {len(y_pred)}")
    if len(y_true) == 0:
        raise ValueError("entrada vazia")


def _values(seq):
    return any(isinstance(v, Value) for v in seq)


def _value_mean(terms):
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total * (1.0 / len(terms))


def mse(y_true, y_pred):
    _validate(y_true, y_pred)
    if _values(y_pred):
        return _value_mean([(p - float(t)) ** 2 for t, p in zip(y_true, y_pred)])
    diff = np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)
    return np.mean(diff * diff)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _validate(y_true, p_pred)
    if _values(p_pred):
        return _value_mean([-(float(t) * p.log() + (1.0 - float(t)) * (1.0 - p).log())
                            for t, p in zip(y_true, p_pred)])
    t = np.asarray(y_true, dtype=np.float64)
    p = np.clip(np.asarray(p_pred, dtype=np.float64), eps, 1.0 - eps)
    return np.mean(-(t * np.log(p) + (1.0 - t) * np.log(1.0 - p)))


def softmax(logits):
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - np.max(z))
    return e / e.sum()


def _log_softmax(z):
    z = np.asarray(z, dtype=np.float64)
    m = np.max(z)
    return z - (m + np.log(np.sum(np.exp(z - m))))


def cross_entropy(logits_batch, labels):
    _validate(logits_batch, labels)
    return -np.mean([_log_softmax(z)[k] for z, k in zip(logits_batch, labels)])


def mse_gradient(y_true, y_pred):
    _validate(y_true, y_pred)
    return 2.0 * (np.asarray(y_pred, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)) / len(y_true)


def cross_entropy_gradient(logits_batch, labels):
    _validate(logits_batch, labels)
    n = len(labels)
    rows = [softmax(z) - np.eye(len(z))[k] for z, k in zip(logits_batch, labels)]
    return [row / n for row in rows]


def sigmoid_output_gradients(z, y):
    p = 0.5 * (1.0 + np.tanh(0.5 * z))
    return float(2 * (p - y) * p * (1 - p)), float(p - y)


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa {task!r} não é 'regression' nem 'classification'")
