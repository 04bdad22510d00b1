"""Derivadas numéricas - entrega da Ana.

Fiz tudo no estilo "passo a passo", com laços explícitos.
"""


def numeric_derivative(f, x, h=1e-4):
    # diferença para a frente
    y0 = f(x)
    y1 = f(x + h)
    return (y1 - y0) / h


def central_difference(f, x, h=1e-5):
    acima = f(x + h)
    abaixo = f(x - h)
    return (acima - abaixo) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    # copio a lista para não estragar a de quem chamou
    base = list(args)
    empurrado = list(args)
    empurrado[index] = empurrado[index] + h
    return (f(*empurrado) - f(*base)) / h


def gradient(f, args, h=1e-5):
    grads = []
    n = len(args)
    k = 0
    while k < n:
        mais = list(args)
        menos = list(args)
        mais[k] += h
        menos[k] -= h
        grads.append((f(*mais) - f(*menos)) / (2 * h))
        k += 1
    return grads


def chain_rule(f_prime, g_prime, g, x):
    u = g(x)
    return f_prime(u) * g_prime(x)


def descent_direction(derivative):
    if derivative > 0:
        return -1
    elif derivative < 0:
        return 1
    else:
        return 0


def gradient_descent_step(params, grads, learning_rate):
    novos = []
    for k in range(len(params)):
        novos.append(params[k] - learning_rate * grads[k])
    return novos


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    caminho = [w0]
    w = w0
    passo = 0
    while passo < iterations:
        w = w - learning_rate * grad_fn(w)
        caminho.append(w)
        passo += 1
    return caminho
