import math


def _check(a, b):
    if len(a) != len(b):
        raise ValueError("y_true e y_pred de tamanhos diferentes")
    if len(a) == 0:
        raise ValueError("y_true vazio")


def _log(p):
    log = getattr(p, "log", None)
    return log() if callable(log) else math.log(p)


def _is_number(p):
    return isinstance(p, (int, float)) and not isinstance(p, bool)


def _mean(terms):
    if all(_is_number(t) for t in terms):
        return math.fsum(terms) / len(terms)
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total / len(terms)


def mse(y_true, y_pred):
    _check(y_true, y_pred)
    return _mean([(p - t) ** 2 for t, p in zip(y_true, y_pred)])


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _check(y_true, p_pred)
    terms = []
    for t, p in zip(y_true, p_pred):
        if _is_number(p):
            p = min(max(p, eps), 1.0 - eps)
        terms.append(-(t * _log(p) + (1 - t) * _log(1 - p)))
    return _mean(terms)


def softmax(logits):
    m = max(logits)
    e = [math.exp(z - m) for z in logits]
    s = math.fsum(e)
    return [v / s for v in e]


def cross_entropy(logits_batch, labels):
    _check(logits_batch, labels)
    terms = []
    for z, k in zip(logits_batch, labels):
        m = max(z)
        terms.append(m + math.log(math.fsum(math.exp(v - m) for v in z)) - z[k])
    return _mean(terms)


def mse_gradient(y_true, y_pred):
    _check(y_true, y_pred)
    return [2 * (p - t) / len(y_true) for t, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _check(logits_batch, labels)
    n = len(labels)
    return [[(q - float(j == k)) / n for j, q in enumerate(softmax(z))] for z, k in zip(logits_batch, labels)]


def sigmoid_output_gradients(z, y):
    p = 0.5 * (1 + math.tanh(z / 2))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa {task!r} desconhecida")
