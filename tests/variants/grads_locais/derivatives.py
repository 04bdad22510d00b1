import operator


def numeric_derivative(f, x, h=1e-4):
    return operator.truediv(f(x + h) - f(x), h)


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (h + h)


def _shift(args, index, delta):
    return [a + delta if j == index else a for j, a in enumerate(args)]


def partial_derivative(f, args, index, h=1e-4):
    return (f(*_shift(args, index, h)) - f(*args)) / h


def gradient(f, args, h=1e-5):
    return [(f(*_shift(args, i, h)) - f(*_shift(args, i, -h))) / (2 * h) for i in range(len(args))]


def chain_rule(f_prime, g_prime, g, x):
    inner = g(x)
    return f_prime(inner) * g_prime(x)


def descent_direction(derivative):
    if derivative > 0:
        return -1
    if derivative < 0:
        return 1
    return 0


def gradient_descent_step(params, grads, learning_rate):
    return list(map(lambda pg: pg[0] - learning_rate * pg[1], zip(params, grads)))


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    ws = [w0]
    for _ in range(iterations):
        w = ws[-1]
        ws.append(w - learning_rate * grad_fn(w))
    return ws
