"""Módulo de derivadas.

Autor: Bruno. Usei desempacotamento [*args] para copiar os argumentos.
"""


def numeric_derivative(f, x, h=1e-4):
    """(f(x + h) - f(x)) / h"""
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    """(f(x + h) - f(x - h)) / 2h"""
    return (f(x + h) - f(x - h)) / (2 * h)


def _with(args, index, value):
    novo = [*args]
    novo[index] = value
    return novo


def partial_derivative(f, args, index, h=1e-4):
    return (f(*_with(args, index, args[index] + h)) - f(*args)) / h


def gradient(f, args, h=1e-5):
    return [
        (f(*_with(args, k, args[k] + h)) - f(*_with(args, k, args[k] - h))) / (2 * h)
        for k in range(len(args))
    ]


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    if derivative > 0:
        return -1
    if derivative < 0:
        return +1
    return 0


def gradient_descent_step(params, grads, learning_rate):
    if len(params) != len(grads):
        raise ValueError("params e grads com tamanhos diferentes")
    return [theta - learning_rate * g for theta, g in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    trajetoria = [w0]
    for _ in range(iterations):
        w = trajetoria[-1]
        trajetoria.append(w - learning_rate * grad_fn(w))
    return trajetoria
