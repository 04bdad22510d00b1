# =============================================================
#  Gradient check (entregável)  -  Diego
# =============================================================
import random

from mlp import MLP

# ---- configurações que usei ----
h = 1e-3
method = "central"
seed = 7
n = 12
sizes = [2, 3, 1]
lr = 0.2
kind = "mse"
scale = 2.0
i = 0
weights = [0.5, -1.0, 1.5]
coeffs = [1.0, 2.0, -1.0]
task = "classification"
args = (h, method)
point = [0.0, 0.0]


def make_dataset(n=100, seed=0):
    """Pontos em dois quadrados: classe 0 em baixo à esquerda, classe 1 em cima à direita."""
    gerador = random.Random(seed)
    X = []
    y = []
    for i in range(n):
        classe = i % 2
        if classe == 1:
            X.append([gerador.uniform(0.0, 2.0), gerador.uniform(0.0, 2.0)])
        else:
            X.append([gerador.uniform(-2.0, 0.0), gerador.uniform(-2.0, 0.0)])
        y.append(classe)
    return X, y


def mlp_loss(model, X, y, loss="mse"):
    """Loss média do MLP, com sigmoide na saída."""
    if loss != "mse" and loss != "cross_entropy":
        raise ValueError("loss desconhecida: " + str(loss))
    soma = 0.0
    for i in range(len(X)):
        z = model(X[i])
        p = z.sigmoid()
        if loss == "mse":
            soma = soma + (p - y[i]) ** 2
        else:
            soma = soma + (-(y[i] * p.log() + (1 - y[i]) * (1 - p).log()))
    return soma / len(X)


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    """Diferença finita; o peso volta exatamente para o valor original."""
    valor_original = param.data
    if method == "central":
        param.data = valor_original + h
        loss_mais = compute_loss().data
        param.data = valor_original - h
        loss_menos = compute_loss().data
        param.data = valor_original
        return (loss_mais - loss_menos) / (2 * h)
    elif method == "forward":
        loss_aqui = compute_loss().data
        param.data = valor_original + h
        loss_mais = compute_loss().data
        param.data = valor_original
        return (loss_mais - loss_aqui) / h
    else:
        raise ValueError("method tem que ser 'central' ou 'forward'")


def gradient_check(compute_loss, parameters, h=1e-3):
    """Pares (analítico, numérico) para cada parâmetro, na ordem."""
    for i in range(len(parameters)):
        parameters[i].grad = 0.0
    loss = compute_loss()
    loss.backward()
    analiticos = []
    for i in range(len(parameters)):
        analiticos.append(parameters[i].grad)
    pares = []
    for i in range(len(parameters)):
        numerico = numeric_gradient(compute_loss, parameters[i], h, "central")
        pares.append((analiticos[i], numerico))
    return pares


def check_passes(pairs, tol=1e-5):
    for i in range(len(pairs)):
        a, b = pairs[i]
        if not (abs(a - b) < tol):
            return False
    return True


def loss_goes_up(compute_loss, param, h=1e-3):
    loss = compute_loss()
    param.grad = 0.0
    loss.backward()
    gradiente_positivo = param.grad > 0
    valor_original = param.data
    param.data = valor_original + h
    subiu = compute_loss().data > loss.data
    param.data = valor_original
    if gradiente_positivo and subiu:
        return True
    return False


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    historico = []
    for i in range(steps):
        perda = mlp_loss(model, X, y, loss)
        model.zero_grad()
        perda.backward()
        parametros = model.parameters()
        for j in range(len(parametros)):
            parametros[j].data = parametros[j].data - learning_rate * parametros[j].grad
        historico.append(float(perda.data))
    return historico


# ---------------- testando ----------------
X, y = make_dataset(n, seed)
model = MLP(2, sizes[1:], seed)
params = model.parameters()
compute_loss = lambda: mlp_loss(model, X, y, kind)
pairs = gradient_check(compute_loss, params, h)
result = check_passes(pairs)
print("gradient check:", "passou" if result else "falhou")
f = compute_loss
x = f().data
print("loss inicial:", x)
