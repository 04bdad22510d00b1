def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def _each_nudged(args, index, h):
    for k, a in enumerate(args):
        yield a + h if k == index else a


def partial_derivative(f, args, index, h=1e-4):
    return (f(*_each_nudged(args, index, h)) - f(*args)) / h


def gradient(f, args, h=1e-5):
    return [(f(*_each_nudged(args, k, h)) - f(*_each_nudged(args, k, -h))) / (2 * h)
            for k in range(len(args))]


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return [0, -1, 1][(derivative > 0) + 2 * (derivative < 0)]


def gradient_descent_step(params, grads, learning_rate):
    return [p - learning_rate * g for p, g in zip(params, grads)]


def _steps(grad_fn, w, learning_rate):
    while True:
        yield w
        w = w - learning_rate * grad_fn(w)


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    path = []
    for w in _steps(grad_fn, w0, learning_rate):
        path.append(w)
        if len(path) == iterations + 1:
            return path
