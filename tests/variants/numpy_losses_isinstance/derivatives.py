def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    def g(t):
        return f(*args[:index], t, *args[index + 1:])
    return (g(args[index] + h) - g(args[index])) / h


def gradient(f, args, h=1e-5):
    def g(i, t):
        return f(*args[:i], t, *args[i + 1:])
    return [(g(i, a + h) - g(i, a - h)) / (2 * h) for i, a in enumerate(args)]


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return {True: -1, False: 1}[derivative > 0] if derivative != 0 else 0


def gradient_descent_step(params, grads, learning_rate):
    return [w - learning_rate * dw for w, dw in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    out = [w0]
    for _ in range(iterations):
        out.append(out[-1] - learning_rate * grad_fn(out[-1]))
    return out
