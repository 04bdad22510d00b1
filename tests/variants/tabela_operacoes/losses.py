import math

eps_padrao = 1e-12


def _valida(a, b):
    if len(a) != len(b):
        raise ValueError("tamanhos diferentes")
    if len(a) == 0:
        raise ValueError("lote vazio")


def _tem_backward(x):
    return hasattr(x, "backward")


def mse(y_true, y_pred):
    _valida(y_true, y_pred)
    erros = [(p - t) * (p - t) for t, p in zip(y_true, y_pred)]
    total = erros[0]
    for e in erros[1:]:
        total = total + e
    return total / len(erros)


def binary_cross_entropy(y_true, p_pred, eps=eps_padrao):
    _valida(y_true, p_pred)
    total = 0.0
    for t, p in zip(y_true, p_pred):
        if _tem_backward(p):
            total = total + (-t) * p.log() + (t - 1) * (1 - p).log()
        else:
            q = eps if p < eps else (1 - eps if p > 1 - eps else p)
            total = total - t * math.log(q) - (1 - t) * math.log(1 - q)
    return total / len(p_pred)


def softmax(logits):
    m = max(logits)
    exps = [math.exp(z - m) for z in logits]
    s = sum(exps)
    return [e / s for e in exps]


def cross_entropy(logits_batch, labels):
    _valida(logits_batch, labels)
    soma = 0.0
    for z, k in zip(logits_batch, labels):
        m = max(z)
        soma += -(z[k] - m) + math.log(sum(math.exp(v - m) for v in z))
    return soma / len(labels)


def mse_gradient(y_true, y_pred):
    _valida(y_true, y_pred)
    return [2 * (p - t) / len(y_true) for t, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _valida(logits_batch, labels)
    n = len(logits_batch)
    grad = []
    for z, k in zip(logits_batch, labels):
        s = softmax(z)
        grad.append([(sj - (1 if j == k else 0)) / n for j, sj in enumerate(s)])
    return grad


def sigmoid_output_gradients(z, y):
    p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    return 2 * (p - y) * p * (1 - p), p - y


def choose_loss(task):
    if type(task) is str and task == "regression":
        return "mse"
    if type(task) is str and task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa inválida: {task!r}")
