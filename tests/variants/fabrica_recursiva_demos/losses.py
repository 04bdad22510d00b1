import math

from value import Value


def _validate(a, b):
    if len(a) != len(b):
        raise ValueError("os dois lotes precisam ter o mesmo tamanho")
    if len(a) == 0:   # não `not a`: um array numpy com vários elementos não tem valor de verdade
        raise ValueError("lote vazio")


def _is_value(x):
    return isinstance(x, Value)


def mse(y_true, y_pred):
    _validate(y_true, y_pred)
    n = len(y_true)
    if any(_is_value(p) for p in y_pred):
        total = Value(0.0)
        for t, p in zip(y_true, y_pred):
            total = total + (p - t) ** 2
        return total / n
    return sum((p - t) ** 2 for t, p in zip(y_true, y_pred)) / n


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _validate(y_true, p_pred)
    n = len(y_true)
    total = 0.0
    for t, p in zip(y_true, p_pred):
        if _is_value(p):
            total = total + (-(t * p.log()) - (1 - t) * (1 - p).log())
        else:
            q = min(1 - eps, max(eps, p))
            total -= t * math.log(q) + (1 - t) * math.log(1 - q)
    return total / n


def softmax(logits):
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    s = sum(exps)
    return [e / s for e in exps]


def cross_entropy(logits_batch, labels):
    _validate(logits_batch, labels)
    total = 0.0
    for z, k in zip(logits_batch, labels):
        top = max(z)
        lse = top + math.log(sum(math.exp(v - top) for v in z))
        total += lse - z[k]
    return total / len(labels)


def mse_gradient(y_true, y_pred):
    _validate(y_true, y_pred)
    n = len(y_true)
    return [2 * (p - t) / n for t, p in zip(y_true, y_pred)]


def cross_entropy_gradient(logits_batch, labels):
    _validate(logits_batch, labels)
    n = len(labels)
    return [[(s - (1.0 if j == k else 0.0)) / n for j, s in enumerate(softmax(z))]
            for z, k in zip(logits_batch, labels)]


def sigmoid_output_gradients(z, y):
    p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return (2 * (p - y) * p * (1 - p), p - y)


def choose_loss(task):
    if task == "regression":
        return "mse"
    elif task == "classification":
        return "cross_entropy"
    else:
        raise ValueError("tarefa deve ser 'regression' ou 'classification'")


# testes que fiz
task = "regression"
result = mse([1.0, 0.0, 2.0], [1.5, -0.5, 2.0])
print(task, "->", choose_loss(task), result)
pairs = list(zip([1, 0], [0.0, 1.0]))
print("bce nos extremos:", binary_cross_entropy([a for a, _ in pairs], [b for _, b in pairs]))
