"""Derivadas (este módulo eu fiz em .py; o Value e o gradient check ficaram no Colab)."""


def _bump(args, i, delta):
    """Nova lista igual a args, com args[i] + delta."""
    return list(args[:i]) + [args[i] + delta] + list(args[i + 1:])


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    return (f(*_bump(args, index, h)) - f(*args)) / h


def gradient(f, args, h=1e-5):
    return [(f(*_bump(args, i, h)) - f(*_bump(args, i, -h))) / (2 * h) for i in range(len(args))]


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return (0, -1, 1)[(derivative > 0) | ((derivative < 0) << 1)]


def gradient_descent_step(params, grads, learning_rate):
    assert len(params) == len(grads), "um gradiente por parâmetro"
    return [p - learning_rate * g for p, g in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    ws = [w0]
    for _ in range(iterations):
        ws.append(gradient_descent_step([ws[-1]], [grad_fn(ws[-1])], learning_rate)[0])
    return ws
