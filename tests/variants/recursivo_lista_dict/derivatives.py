"""derivadas.py -> derivatives.py (renomeei para o nome pedido)"""


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    antes = args[:index]
    depois = args[index + 1:]
    empurrado = list(antes) + [args[index] + h] + list(depois)
    return (f(*empurrado) - f(*args)) / h


def gradient(f, args, h=1e-5):
    g = []
    k = 0
    while k < len(args):
        cima = list(args[:k]) + [args[k] + h] + list(args[k + 1:])
        baixo = list(args[:k]) + [args[k] - h] + list(args[k + 1:])
        g.append((f(*cima) - f(*baixo)) / (2 * h))
        k += 1
    return g


def chain_rule(f_prime, g_prime, g, x):
    return g_prime(x) * f_prime(g(x))


def descent_direction(derivative):
    if derivative:
        return 1 if derivative < 0 else -1
    return 0


def gradient_descent_step(params, grads, learning_rate):
    k, novo = 0, []
    while k < len(params):
        novo.append(params[k] - learning_rate * grads[k])
        k += 1
    return novo


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    ws = [w0]
    while len(ws) < iterations + 1:
        w = ws[-1]
        ws.append(w - learning_rate * grad_fn(w))
    return ws
