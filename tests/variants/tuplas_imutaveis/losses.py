import math


def _pair_up(a, b):
    if len(a) != len(b):
        raise ValueError("tamanhos diferentes")
    if len(a) == 0:
        raise ValueError("vazio")
    return tuple(zip(a, b))


def mse(y_true, y_pred):
    pairs = _pair_up(y_true, y_pred)
    total = 0.0
    for t, p in pairs:
        total = total + (p - t) ** 2
    return total / len(pairs)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    pairs = _pair_up(y_true, p_pred)
    total = 0.0
    for t, p in pairs:
        if hasattr(p, "backward"):
            total = total - (t * p.log() + (1 - t) * (1 - p).log())
        else:
            q = min(max(p, eps), 1 - eps)
            total = total - (t * math.log(q) + (1 - t) * math.log(1 - q))
    return total / len(pairs)


def softmax(logits):
    m = max(logits)
    e = tuple(math.exp(z - m) for z in logits)
    s = sum(e)
    return tuple(v / s for v in e)


def cross_entropy(logits_batch, labels):
    pairs = _pair_up(logits_batch, labels)
    total = 0.0
    for z, k in pairs:
        m = max(z)
        total += m + math.log(sum(math.exp(v - m) for v in z)) - z[k]
    return total / len(pairs)


def mse_gradient(y_true, y_pred):
    pairs = _pair_up(y_true, y_pred)
    return tuple(2 * (p - t) / len(pairs) for t, p in pairs)


def cross_entropy_gradient(logits_batch, labels):
    pairs = _pair_up(logits_batch, labels)
    n = len(pairs)
    return tuple(tuple((q - (j == k)) / n for j, q in enumerate(softmax(z))) for z, k in pairs)


def sigmoid_output_gradients(z, y):
    p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return (2 * (p - y) * p * (1 - p), p - y)


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa {task!r}")
