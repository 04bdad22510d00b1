"""Tudo devolve tuplas: nada do que entra é alterado, e nada do que sai pode ser."""


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    args = tuple(args)
    return (f(*(args[:index] + (args[index] + h,) + args[index + 1:])) - f(*args)) / h


def gradient(f, args, h=1e-5):
    args = tuple(args)
    return tuple(
        (f(*(args[:i] + (args[i] + h,) + args[i + 1:])) - f(*(args[:i] + (args[i] - h,) + args[i + 1:]))) / (2 * h)
        for i in range(len(args))
    )


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    if derivative > 0:
        return -1
    if derivative < 0:
        return 1
    return 0


def gradient_descent_step(params, grads, learning_rate):
    return tuple(p - learning_rate * g for p, g in zip(params, grads))


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    path = (w0,)
    for _ in range(iterations):
        path = path + (path[-1] - learning_rate * grad_fn(path[-1]),)
    return path
