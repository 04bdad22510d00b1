import math

from value import Value


def _check_lengths(a, b):
    if len(a) == 0 or len(a) != len(b):
        raise ValueError(f"lotes inválidos: {len(a)} x {len(b)}")


def mse(y_true, y_pred):
    _check_lengths(y_true, y_pred)
    if isinstance(y_pred[0], Value):
        losses = [(yout - ygt) ** 2 for ygt, yout in zip(y_true, y_pred)]
        return sum(losses) * (1 / len(losses))
    return sum((yout - ygt) ** 2 for ygt, yout in zip(y_true, y_pred)) / len(y_true)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _check_lengths(y_true, p_pred)
    losses = []
    for y, p in zip(y_true, p_pred):
        if isinstance(p, Value):
            losses.append(-(y * p.log() + (1 - y) * (1 - p).log()))
        else:
            p = min(max(p, eps), 1 - eps)
            losses.append(-(y * math.log(p) + (1 - y) * math.log(1 - p)))
    return sum(losses) * (1 / len(losses))


def softmax(logits):
    m = max(logits)
    counts = [math.exp(l - m) for l in logits]
    denom = sum(counts)
    return [c / denom for c in counts]


def cross_entropy(logits_batch, labels):
    _check_lengths(logits_batch, labels)
    nll = 0.0
    for logits, label in zip(logits_batch, labels):
        m = max(logits)
        logsumexp = m + math.log(sum(math.exp(l - m) for l in logits))
        nll += logsumexp - logits[label]
    return nll / len(labels)


def mse_gradient(y_true, y_pred):
    _check_lengths(y_true, y_pred)
    return [2 * (yout - ygt) / len(y_true) for ygt, yout in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _check_lengths(logits_batch, labels)
    n = len(labels)
    grads = []
    for logits, label in zip(logits_batch, labels):
        probs = softmax(logits)
        grads.append([(pr - (1 if j == label else 0)) / n for j, pr in enumerate(probs)])
    return grads


def sigmoid_output_gradients(z, y):
    p = Value(z).sigmoid().data
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(task)
