"""Derivadas com numpy: sempre uma CÓPIA do que veio (np.array copia, np.asarray não)."""
import numpy as np


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    ponto = np.array(args, dtype=float)   # cópia: posso mexer à vontade
    base = f(*ponto)
    ponto[index] += h
    return float((f(*ponto) - base) / h)


def gradient(f, args, h=1e-5):
    ponto = np.array(args, dtype=float)
    grads = []
    for i in range(len(ponto)):
        cima, baixo = ponto.copy(), ponto.copy()
        cima[i] += h
        baixo[i] -= h
        grads.append(float((f(*cima) - f(*baixo)) / (2 * h)))
    return grads


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return int(np.sign(derivative))  * -1 if derivative else 0


def gradient_descent_step(params, grads, learning_rate):
    theta = np.array(params, dtype=float)
    theta -= learning_rate * np.asarray(grads, dtype=float)
    return theta.tolist()


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    caminho = [w0]
    for _ in range(iterations):
        caminho.append(caminho[-1] - learning_rate * grad_fn(caminho[-1]))
    return caminho
