# =============================================================
#  Funções de perda  -  Diego
# =============================================================
import math

eps = 1e-12
task = "regression"
pairs = [(1.0, 1.5), (0.0, -0.5), (2.0, 2.0)]


def _confere_tamanhos(a, b):
    if len(a) != len(b):
        raise ValueError("os tamanhos não batem")
    if len(a) == 0:
        raise ValueError("lista vazia")


def mse(y_true, y_pred):
    """Média dos erros ao quadrado."""
    _confere_tamanhos(y_true, y_pred)
    soma = 0.0
    for i in range(len(y_true)):
        erro = y_pred[i] - y_true[i]
        soma = soma + erro ** 2
    return soma / len(y_true)


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    """Média de -(y log p + (1-y) log(1-p)); p recortado se for número."""
    _confere_tamanhos(y_true, p_pred)
    soma = 0.0
    for i in range(len(y_true)):
        y = y_true[i]
        p = p_pred[i]
        if hasattr(p, "backward"):
            soma = soma + (-(y * p.log() + (1 - y) * (1 - p).log()))
        else:
            if p < eps:
                p = eps
            elif p > 1 - eps:
                p = 1 - eps
            soma = soma + (-(y * math.log(p) + (1 - y) * math.log(1 - p)))
    return soma / len(y_true)


def softmax(logits):
    """Softmax estável (subtrai o maior)."""
    maior = max(logits)
    exps = []
    for i in range(len(logits)):
        exps.append(math.exp(logits[i] - maior))
    soma = 0.0
    for i in range(len(exps)):
        soma = soma + exps[i]
    resultado = []
    for i in range(len(exps)):
        resultado.append(exps[i] / soma)
    return resultado


def cross_entropy(logits_batch, labels):
    """Cross-entropy multiclasse com log-sum-exp."""
    _confere_tamanhos(logits_batch, labels)
    soma = 0.0
    for i in range(len(labels)):
        z = logits_batch[i]
        maior = max(z)
        s = 0.0
        for j in range(len(z)):
            s = s + math.exp(z[j] - maior)
        soma = soma + (maior + math.log(s) - z[labels[i]])
    return soma / len(labels)


def mse_gradient(y_true, y_pred):
    _confere_tamanhos(y_true, y_pred)
    n = len(y_true)
    g = []
    for i in range(n):
        g.append(2 * (y_pred[i] - y_true[i]) / n)
    return g


def cross_entropy_gradient(logits_batch, labels):
    _confere_tamanhos(logits_batch, labels)
    n = len(labels)
    g = []
    for i in range(n):
        s = softmax(logits_batch[i])
        linha = []
        for j in range(len(s)):
            if j == labels[i]:
                linha.append((s[j] - 1) / n)
            else:
                linha.append(s[j] / n)
        g.append(linha)
    return g


def sigmoid_output_gradients(z, y):
    if z >= 0:
        p = 1 / (1 + math.exp(-z))
    else:
        p = math.exp(z) / (1 + math.exp(z))
    return (2 * (p - y) * p * (1 - p), p - y)


def choose_loss(task):
    if task == "regression":
        return "mse"
    if task == "classification":
        return "cross_entropy"
    raise ValueError("tarefa desconhecida: " + str(task))


# ---------------- testando ----------------
result = mse([a for a, _ in pairs], [b for _, b in pairs])
print("mse do exemplo:", result, "| tarefa", task, "->", choose_loss(task))
