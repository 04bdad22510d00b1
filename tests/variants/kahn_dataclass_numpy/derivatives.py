"""Derivadas em estilo funcional: funções pequenas que devolvem funções."""
from functools import reduce


def _diff(f, x, left, right):
    return (f(x + right) - f(x + left)) / (right - left)


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def _replace(args, index, value):
    return [value if k == index else a for k, a in enumerate(args)]


def partial_derivative(f, args, index, h=1e-4):
    g = lambda t: f(*_replace(args, index, t))
    return numeric_derivative(g, args[index], h)


def gradient(f, args, h=1e-5):
    return list(map(lambda k: central_difference(lambda t: f(*_replace(args, k, t)), args[k], h),
                    range(len(args))))


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return -1 if derivative > 0 else (1 if derivative < 0 else 0)


def gradient_descent_step(params, grads, learning_rate):
    return [p - learning_rate * g for p, g in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    step = lambda path, _: path + [path[-1] - learning_rate * grad_fn(path[-1])]
    return reduce(step, range(iterations), [w0])
