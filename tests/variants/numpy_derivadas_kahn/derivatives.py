"""Derivadas com numpy (vetorizei o que deu)."""
import numpy as np


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    point = np.array(args, dtype=float)          # cópia: quem chamou não vê mudança
    bumped = point.copy()
    bumped[index] += h
    return (f(*bumped.tolist()) - f(*point.tolist())) / h


def gradient(f, args, h=1e-5):
    point = np.asarray(args, dtype=float)
    steps = np.eye(len(point)) * h
    up = [f(*(point + s)) for s in steps]
    down = [f(*(point - s)) for s in steps]
    return (np.array(up) - np.array(down)) / (2 * h)


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return int(-np.sign(derivative))


def gradient_descent_step(params, grads, learning_rate):
    return np.asarray(params, dtype=float) - learning_rate * np.asarray(grads, dtype=float)


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    traj = [w0]
    w = w0
    for _ in range(iterations):
        w = w - learning_rate * grad_fn(w)
        traj.append(w)
    return traj
