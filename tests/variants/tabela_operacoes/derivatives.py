def numeric_derivative(f, x, h=1e-4):
    fx = f(x)
    return (f(x + h) - fx) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2.0 * h)


def partial_derivative(f, args, index, h=1e-4):
    def along(t):
        point = list(args)
        point[index] = t
        return f(*point)
    return numeric_derivative(along, args[index], h)


def gradient(f, args, h=1e-5):
    grads = []
    for index, value in enumerate(args):
        def along(t, index=index):
            point = list(args)
            point[index] = t
            return f(*point)
        grads.append(central_difference(along, value, h))
    return grads


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    sign = 0
    if derivative > 0:
        sign = 1
    elif derivative < 0:
        sign = -1
    return -sign


def gradient_descent_step(params, grads, learning_rate):
    out = []
    for p, g in zip(params, grads):
        out.append(p - learning_rate * g)
    return out


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    history = [w0]
    w = w0
    for _ in range(iterations):
        g = grad_fn(w)
        w = gradient_descent_step([w], [g], learning_rate)[0]
        history.append(w)
    return history
