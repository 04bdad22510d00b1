"""Derivadas em estilo funcional, com numpy onde há vetores."""
from functools import reduce

import numpy as np


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    empurrado = np.where(np.arange(len(args)) == index, np.add(args, h), args)   # um array novo
    return float(f(*empurrado) - f(*args)) / h


def gradient(f, args, h=1e-5):
    base = np.asarray(args, dtype=float)
    passo = np.eye(len(base)) * h          # linhas novas; base não muda
    return [float(f(*(base + e)) - f(*(base - e))) / (2 * h) for e in passo]


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return (derivative < 0) - (derivative > 0)


def gradient_descent_step(params, grads, learning_rate):
    return np.subtract(params, np.multiply(learning_rate, grads))


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    return reduce(lambda cam, _: cam + [cam[-1] - learning_rate * grad_fn(cam[-1])], range(iterations), [w0])
