"""Funções de perda, escritas com laços e acumuladores."""
import math


def _confere(a, b):
    if len(a) != len(b):
        raise ValueError(f"tamanhos diferentes: {len(a)} e {len(b)}")
    if len(a) == 0:
        raise ValueError("lote vazio")


def _eh_value(p):
    # "duck typing": se sabe fazer backward, trato como Value
    return hasattr(p, "backward")


def mse(y_true, y_pred):
    _confere(y_true, y_pred)
    n = len(y_true)
    soma = 0.0
    for k in range(n):
        erro = y_pred[k] - y_true[k]
        soma = soma + erro * erro
    return soma * (1.0 / n) if _eh_value(soma) else soma / n


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    _confere(y_true, p_pred)
    n = len(y_true)
    soma = 0.0
    for y, p in zip(y_true, p_pred):
        if _eh_value(p):
            termo = -(y * p.log() + (1 - y) * (1 - p).log())
        else:
            if p < eps:
                p = eps
            if p > 1 - eps:
                p = 1 - eps
            termo = -(y * math.log(p) + (1 - y) * math.log(1 - p))
        soma = soma + termo
    if _eh_value(soma):
        return soma * (1.0 / n)
    return soma / n


def softmax(logits):
    maior = logits[0]
    for z in logits:
        if z > maior:
            maior = z
    exps = []
    total = 0.0
    for z in logits:
        e = math.exp(z - maior)
        exps.append(e)
        total += e
    saida = []
    for e in exps:
        saida.append(e / total)
    return saida


def cross_entropy(logits_batch, labels):
    _confere(logits_batch, labels)
    soma = 0.0
    for z, k in zip(logits_batch, labels):
        m = max(z)
        acc = 0.0
        for v in z:
            acc += math.exp(v - m)
        soma += (m + math.log(acc)) - z[k]
    return soma / len(labels)


def mse_gradient(y_true, y_pred):
    _confere(y_true, y_pred)
    n = len(y_true)
    grads = []
    for y, p in zip(y_true, y_pred):
        grads.append(2 * (p - y) / n)
    return grads


def cross_entropy_gradient(logits_batch, labels):
    _confere(logits_batch, labels)
    n = len(labels)
    linhas = []
    for z, k in zip(logits_batch, labels):
        s = softmax(z)
        linha = []
        for j in range(len(z)):
            alvo = 1.0 if j == k else 0.0
            linha.append((s[j] - alvo) / n)
        linhas.append(linha)
    return linhas


def _sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoid_output_gradients(z, y):
    p = _sigmoid(z)
    d_mse = 2 * (p - y) * p * (1 - p)
    d_bce = p - y
    return d_mse, d_bce


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError(f"tarefa desconhecida: {task!r}")
