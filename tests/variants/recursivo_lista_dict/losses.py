import math


def _confere(a, b):
    if len(a) != len(b):
        raise ValueError("tamanhos não conferem")
    if len(a) == 0:
        raise ValueError("nenhum exemplo")


def mse(y_true, y_pred):
    _confere(y_true, y_pred)
    k, acc = 0, 0.0
    while k < len(y_true):
        d = y_pred[k] - y_true[k]
        acc = acc + d * d
        k += 1
    return acc / len(y_true)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _confere(y_true, p_pred)
    acc = 0.0
    k = 0
    while k < len(y_true):
        y, p = y_true[k], p_pred[k]
        if hasattr(p, "backward"):
            acc = acc - y * p.log() - (1 - y) * (1 - p).log()
        else:
            p = min(max(p, eps), 1 - eps)
            acc = acc - y * math.log(p) - (1 - y) * math.log(1 - p)
        k += 1
    return acc / len(y_true)


def softmax(logits):
    m = max(logits)
    e = [math.exp(v - m) for v in logits]
    s = 0.0
    for v in e:
        s += v
    return [v / s for v in e]


def cross_entropy(logits_batch, labels):
    _confere(logits_batch, labels)
    acc = 0.0
    for z, k in zip(logits_batch, labels):
        m = max(z)
        s = 0.0
        for v in z:
            s += math.exp(v - m)
        acc += (m + math.log(s)) - z[k]
    return acc / len(labels)


def mse_gradient(y_true, y_pred):
    _confere(y_true, y_pred)
    n = len(y_true)
    return [2.0 * (y_pred[k] - y_true[k]) / n for k in range(n)]


def cross_entropy_gradient(logits_batch, labels):
    _confere(logits_batch, labels)
    n = len(labels)
    out = []
    for z, lab in zip(logits_batch, labels):
        s = softmax(z)
        s[lab] = s[lab] - 1.0
        out.append([v / n for v in s])
    return out


def sigmoid_output_gradients(z, y):
    p = math.exp(-math.log1p(math.exp(-z))) if z >= 0 else math.exp(z - math.log1p(math.exp(z)))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    elif task == "classification":
        return "cross_entropy"
    raise ValueError(f"{task!r} não é uma tarefa conhecida")
