# Derivadas numéricas (com exemplos rodando no fim do arquivo, do jeito que testei na aula)


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    nudged = [*args]
    nudged[index] = nudged[index] + h
    return (f(*nudged) - f(*args)) / h


def gradient(f, args, h=1e-5):
    out = []
    for i in range(len(args)):
        up, down = [*args], [*args]
        up[i] = up[i] + h
        down[i] = down[i] - h
        out.append((f(*up) - f(*down)) / (2 * h))
    return out


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    if derivative == 0:
        return 0
    return -1 if derivative > 0 else 1


def gradient_descent_step(params, grads, learning_rate):
    return [p - learning_rate * g for p, g in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    ws = [w0]
    for _ in range(iterations):
        ws.append(ws[-1] - learning_rate * grad_fn(ws[-1]))
    return ws


# ---- testes rápidos ----
f = lambda x: 3 * x ** 2 - 4 * x + 5
x = 3.0
h = 1e-4
print("f'(3) ~", numeric_derivative(f, x, h))
args = [2.0, -3.0, 10.0]
point = args
n = len(args)
for i in range(n):
    print("d/d", i, "=", partial_derivative(lambda a, b, c: a * b + c, point, i))
result = gradient_descent(lambda w: 2 * (w - 2), 5.0, 0.1, 30)
print("termina em", result[-1])
