# =============================================================
#  Revisão de derivadas  -  Trabalho 1 de Cálculo para DL
#  Aluno: Diego
# =============================================================

# constantes que uso nos exemplos lá embaixo
h = 0.0001
x = 3.0
args = [2.0, -3.0, 10.0]
point = (1.0, 2.0, 3.0)
n = 3


def f(x):
    # função do exemplo da aula
    return 3 * x ** 2 - 4 * x + 5


def numeric_derivative(f, x, h=1e-4):
    """Derivada para a frente: (f(x+h) - f(x)) / h."""
    valor_em_x = f(x)
    valor_empurrado = f(x + h)
    return (valor_empurrado - valor_em_x) / h


def central_difference(f, x, h=1e-5):
    """Diferença central: olha para os dois lados."""
    direita = f(x + h)
    esquerda = f(x - h)
    return (direita - esquerda) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    """Derivada parcial: só o argumento `index` anda."""
    copia = []
    for i in range(len(args)):
        copia.append(args[i])
    original = []
    for i in range(len(args)):
        original.append(args[i])
    copia[index] = copia[index] + h
    return (f(*copia) - f(*original)) / h


def gradient(f, args, h=1e-5):
    """Vetor de derivadas parciais (centrais)."""
    resultado = []
    for i in range(len(args)):
        mais = []
        menos = []
        for j in range(len(args)):
            if j == i:
                mais.append(args[j] + h)
                menos.append(args[j] - h)
            else:
                mais.append(args[j])
                menos.append(args[j])
        resultado.append((f(*mais) - f(*menos)) / (2 * h))
    return resultado


def chain_rule(f_prime, g_prime, g, x):
    """Regra da cadeia: f'(g(x)) * g'(x)."""
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    """Para onde mexer o peso para a loss cair."""
    if derivative > 0:
        return -1
    if derivative < 0:
        return 1
    return 0


def gradient_descent_step(params, grads, learning_rate):
    """Um passo: theta - eta * grad (lista nova)."""
    novos = []
    for i in range(len(params)):
        novos.append(params[i] - learning_rate * grads[i])
    return novos


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    """Repete o passo `iterations` vezes e guarda o caminho todo."""
    caminho = [w0]
    w = w0
    for i in range(iterations):
        w = w - learning_rate * grad_fn(w)
        caminho.append(w)
    return caminho


# ---------------- testando ----------------
result = numeric_derivative(f, x, h)
print("f'(3) aproximado:", result)
for i in range(n):
    print("parcial", i, partial_derivative(lambda a, b, c: a * b + c, args, i))
print("gradiente em", point, "=", gradient(lambda a, b, c: a * b * c, point))
