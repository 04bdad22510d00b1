import math


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    args = tuple(args)                       # cópia imutável
    moved = args[:index] + (args[index] + h,) + args[index + 1:]
    return (f(*moved) - f(*args)) / h


def gradient(f, args, h=1e-5):
    args = tuple(args)
    result = []
    for i, a in enumerate(args):
        before, after = args[:i], args[i + 1:]
        result.append((f(*before, a + h, *after) - f(*before, a - h, *after)) / (2 * h))
    return result


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    if derivative == 0:
        return 0
    # anda no sentido contrário ao sinal da derivada
    return int(-math.copysign(1, derivative))


def gradient_descent_step(params, grads, learning_rate):
    params, grads = tuple(params), tuple(grads)
    return [params[i] - learning_rate * grads[i] for i in range(len(params))]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    path = [w0]
    while len(path) <= iterations:
        path.append(path[-1] - learning_rate * grad_fn(path[-1]))
    return path
