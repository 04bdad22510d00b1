"""Perdas. A cross-entropy usa o meu log_softmax (log-sum-exp)."""
import math


def _same_size(a, b, what="entradas"):
    if len(a) != len(b):
        raise ValueError(f"{what} com tamanhos diferentes ({len(a)} e {len(b)})")
    if len(a) == 0:
        raise ValueError(f"{what} vazias")


def _mean(xs):
    total = 0
    for x in xs:
        total = x + total
    return total * (1.0 / len(xs))


def mse(y_true, y_pred):
    _same_size(y_true, y_pred)
    return _mean([(p - y) ** 2 for y, p in zip(y_true, y_pred)])


def _clip(p, eps):
    if isinstance(p, (int, float)):
        return min(max(p, eps), 1.0 - eps)
    return p


def _log(p):
    return p.log() if hasattr(p, "log") else math.log(p)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _same_size(y_true, p_pred)
    terms = []
    for y, p in zip(y_true, p_pred):
        p = _clip(p, eps)
        terms.append(-(y * _log(p) + (1 - y) * _log(1 - p)))
    return _mean(terms)


def log_softmax(logits):
    m = max(logits)
    lse = m + math.log(sum(math.exp(z - m) for z in logits))
    return [z - lse for z in logits]


def softmax(logits):
    return [math.exp(v) for v in log_softmax(logits)]


def cross_entropy(logits_batch, labels):
    _same_size(logits_batch, labels, "logits e rótulos")
    return -sum(log_softmax(z)[k] for z, k in zip(logits_batch, labels)) / len(labels)


def mse_gradient(y_true, y_pred):
    _same_size(y_true, y_pred)
    n = len(y_true)
    return [2.0 * (p - y) / n for y, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _same_size(logits_batch, labels, "logits e rótulos")
    n = len(labels)
    out = []
    for z, k in zip(logits_batch, labels):
        probs = softmax(z)
        probs[k] -= 1.0
        out.append([q / n for q in probs])
    return out


def sigmoid_output_gradients(z, y):
    p = 0.5 * (1.0 + math.tanh(z / 2.0))
    return 2.0 * (p - y) * p * (1.0 - p), p - y


def choose_loss(task):
    answers = {"regression": "mse", "classification": "cross_entropy"}
    try:
        return answers[task]
    except (KeyError, TypeError):
        raise ValueError(f"tarefa desconhecida: {task!r}") from None
