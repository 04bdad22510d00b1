import math


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    copy = list(args)
    copy[index] = args[index] + h
    return (f(*copy) - f(*args)) / h


def gradient(f, args, h=1e-5):
    result = []
    for i in range(len(args)):
        up = list(args)
        down = list(args)
        up[i] = args[i] + h
        down[i] = args[i] - h
        result.append((f(*up) - f(*down)) / (2 * h))
    return result


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    if derivative == 0:
        return 0
    return int(math.copysign(1, -derivative))


def gradient_descent_step(params, grads, learning_rate):
    return [float(p) - learning_rate * float(g) for p, g in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    ws = [w0]
    for _ in range(iterations):
        ws.append(ws[-1] - learning_rate * grad_fn(ws[-1]))
    return ws
