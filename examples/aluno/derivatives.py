"""Derivadas numéricas, gradientes e descida do gradiente (solução de referência)."""


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    nudged = list(args)
    nudged[index] = nudged[index] + h
    return (f(*nudged) - f(*args)) / h


def gradient(f, args, h=1e-5):
    grads = []
    for i in range(len(args)):
        up, down = list(args), list(args)
        up[i] = up[i] + h
        down[i] = down[i] - h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    if derivative > 0:
        return -1
    if derivative < 0:
        return 1
    return 0


def gradient_descent_step(params, grads, learning_rate):
    return [p - learning_rate * g for p, g in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    trajectory = [w0]
    w = w0
    for _ in range(iterations):
        w = w - learning_rate * grad_fn(w)
        trajectory.append(w)
    return trajectory
