import math


def _pares(a, b):
    pares = list(zip(a, b, strict=True))     # strict: tamanhos diferentes -> ValueError
    if not pares:
        raise ValueError("entrada vazia")
    return pares


def _media(termos):
    total = termos[0]
    for t in termos[1:]:
        total = total + t
    return total / len(termos)


def mse(y_true, y_pred):
    return _media([(p - t) ** 2 for t, p in _pares(y_true, y_pred)])


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    termos = []
    for t, p in _pares(y_true, p_pred):
        if hasattr(p, "backward"):
            termos.append(-(t * p.log() + (1 - t) * (1 - p).log()))
        else:
            q = min(max(p, eps), 1 - eps)
            termos.append(-(t * math.log(q) + (1 - t) * math.log(1 - q)))
    return _media(termos)


def softmax(logits):
    m = max(logits)
    e = [math.exp(z - m) for z in logits]
    s = sum(e)
    return [v / s for v in e]


def cross_entropy(logits_batch, labels):
    termos = []
    for z, k in _pares(logits_batch, labels):
        m = max(z)
        termos.append(m + math.log(sum(math.exp(v - m) for v in z)) - z[k])
    return _media(termos)


def mse_gradient(y_true, y_pred):
    pares = _pares(y_true, y_pred)
    return [2 * (p - t) / len(pares) for t, p in pares]


def cross_entropy_gradient(logits_batch, labels):
    pares = _pares(logits_batch, labels)
    n = len(pares)
    return [[(q - (1 if j == k else 0)) / n for j, q in enumerate(softmax(z))] for z, k in pares]


def sigmoid_output_gradients(z, y):
    p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa desconhecida: {task!r}")
