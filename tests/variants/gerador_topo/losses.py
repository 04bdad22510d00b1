import math


def _guard(a, b):
    if len(a) != len(b):
        raise ValueError(f"{len(a)} rótulos para {len(b)} predições")
    if len(a) == 0:
        raise ValueError("lote vazio")


def _is_value(x):
    return hasattr(x, "backward")


def _mean(gen, n):
    total = 0.0
    for term in gen:
        total = total + term
    return total / n


def mse(y_true, y_pred):
    _guard(y_true, y_pred)
    return _mean(((p - t) ** 2 for t, p in zip(y_true, y_pred)), len(y_true))


def _bce_term(t, p, eps):
    if _is_value(p):
        return -(t * p.log() + (1 - t) * (1 - p).log())
    p = min(max(p, eps), 1 - eps)
    return -(t * math.log(p) + (1 - t) * math.log(1 - p))


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _guard(y_true, p_pred)
    return _mean((_bce_term(t, p, eps) for t, p in zip(y_true, p_pred)), len(y_true))


def softmax(logits):
    m = max(logits)
    e = [math.exp(z - m) for z in logits]
    s = sum(e)
    return [v / s for v in e]


def _logsumexp(z):
    m = max(z)
    return m + math.log(sum(math.exp(v - m) for v in z))


def cross_entropy(logits_batch, labels):
    _guard(logits_batch, labels)
    return _mean((_logsumexp(z) - z[k] for z, k in zip(logits_batch, labels)), len(labels))


def mse_gradient(y_true, y_pred):
    _guard(y_true, y_pred)
    return [2 * (p - t) / len(y_true) for t, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _guard(logits_batch, labels)
    n = len(labels)

    def row(z, k):
        for j, q in enumerate(softmax(z)):
            yield (q - 1.0) / n if j == k else q / n
    return [list(row(z, k)) for z, k in zip(logits_batch, labels)]


def sigmoid_output_gradients(z, y):
    p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"choose_loss({task!r}): use 'regression' ou 'classification'")
