import math

from value import Value


def _check(a, b):
    if not len(a) or len(a) != len(b):
        raise ValueError("entradas de tamanhos diferentes ou vazias")


def mse(y_true, y_pred):
    _check(y_true, y_pred)
    if any(isinstance(p, Value) for p in y_pred):
        s = Value(0.0)
    else:
        s = 0.0
    for t, p in zip(y_true, y_pred):
        s += (p - t) ** 2
    return s / len(y_true)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _check(y_true, p_pred)
    s = 0.0
    for t, p in zip(y_true, p_pred):
        if isinstance(p, Value):
            s = s + -(t * p.log() + (1 - t) * (1 - p).log())
        else:
            p = max(eps, min(1 - eps, p))
            s += -(t * math.log(p) + (1 - t) * math.log(1 - p))
    return s / len(y_true)


def softmax(logits):
    m = max(logits)
    e = [math.exp(z - m) for z in logits]
    total = sum(e)
    return [v / total for v in e]


def cross_entropy(logits_batch, labels):
    _check(logits_batch, labels)
    s = 0.0
    for z, k in zip(logits_batch, labels):
        m = max(z)
        s += m + math.log(sum(math.exp(v - m) for v in z)) - z[k]
    return s / len(labels)


def mse_gradient(y_true, y_pred):
    _check(y_true, y_pred)
    n = len(y_true)
    return [2 * (p - t) / n for t, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _check(logits_batch, labels)
    n = len(labels)
    return [[(q - (j == k)) / n for j, q in enumerate(softmax(z))] for z, k in zip(logits_batch, labels)]


def sigmoid_output_gradients(z, y):
    p = Value(z).sigmoid().data
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa desconhecida: {task}")


task = "classification"
print(task, "usa", choose_loss(task))
