"""Perdas. Números (numbers.Real) vão pelo caminho rápido; o resto é tratado como Value."""
import math
import numbers
import statistics


def _lengths(a, b):
    if len(a) != len(b) or len(a) == 0:
        raise ValueError(f"lotes precisam ter o mesmo tamanho, não vazio (vieram {len(a)} e {len(b)})")


def _all_numbers(xs):
    return all(isinstance(x, numbers.Real) for x in xs)


def mse(y_true, y_pred):
    _lengths(y_true, y_pred)
    if _all_numbers(y_pred):
        return statistics.fmean((p - y) ** 2 for y, p in zip(y_true, y_pred))
    acc = None
    for y, p in zip(y_true, y_pred):
        term = (p - y) ** 2
        acc = term if acc is None else acc + term
    return acc / len(y_pred)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _lengths(y_true, p_pred)
    if _all_numbers(p_pred):
        clipped = [min(max(p, eps), 1 - eps) for p in p_pred]
        return statistics.fmean(-(y * math.log(p) + (1 - y) * math.log(1 - p))
                                for y, p in zip(y_true, clipped))
    acc = None
    for y, p in zip(y_true, p_pred):
        term = -(y * p.log() + (1 - y) * (1 - p).log())
        acc = term if acc is None else acc + term
    return acc / len(p_pred)


def softmax(logits):
    m = max(logits)
    ex = [math.exp(z - m) for z in logits]
    tot = sum(ex)
    return [e / tot for e in ex]


def cross_entropy(logits_batch, labels):
    _lengths(logits_batch, labels)
    per_sample = []
    for z, k in zip(logits_batch, labels):
        m = max(z)
        per_sample.append(m + math.log(sum(math.exp(v - m) for v in z)) - z[k])
    return statistics.fmean(per_sample)


def mse_gradient(y_true, y_pred):
    _lengths(y_true, y_pred)
    n = len(y_true)
    return [2 * (p - y) / n for y, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _lengths(logits_batch, labels)
    n = len(labels)
    result = []
    for z, k in zip(logits_batch, labels):
        s = softmax(z)
        result.append([(s[j] - (1.0 if j == k else 0.0)) / n for j in range(len(s))])
    return result


def sigmoid_output_gradients(z, y):
    if z >= 0:
        p = 1 / (1 + math.exp(-z))
    else:
        p = math.exp(z) / (1 + math.exp(z))
    return (2 * (p - y) * p * (1 - p), p - y)


def choose_loss(task):
    if task == "classification":
        return "cross_entropy"
    if task == "regression":
        return "mse"
    raise ValueError(f"choose_loss: tarefa {task!r} não reconhecida")
