# derivadas "na mão", como no vídeo do Karpathy


def numeric_derivative(f, x, h=1e-4):
    y1 = f(x)
    y2 = f(x + h)
    slope = (y2 - y1) / h
    return slope


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    d1 = f(*args)
    bumped = list(args[:index]) + [args[index] + h] + list(args[index + 1:])
    d2 = f(*bumped)
    return (d2 - d1) / h


def gradient(f, args, h=1e-5):
    grad = []
    for i in range(len(args)):
        plus = list(args)
        minus = list(args)
        plus[i] += h
        minus[i] -= h
        grad.append((f(*plus) - f(*minus)) / (2 * h))
    return grad


def chain_rule(f_prime, g_prime, g, x):
    # dz/dx = dz/dy * dy/dx
    dz_dy = f_prime(g(x))
    dy_dx = g_prime(x)
    return dz_dy * dy_dx


def descent_direction(derivative):
    return (derivative < 0) - (derivative > 0)


def gradient_descent_step(params, grads, learning_rate):
    return [p + (-learning_rate) * g for p, g in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    w = w0
    ws = [w]
    for k in range(iterations):
        w += -learning_rate * grad_fn(w)
        ws.append(w)
    return ws
