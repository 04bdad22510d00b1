from itertools import accumulate, repeat


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    bumped = [a + h if k == index else a for k, a in enumerate(args)]
    return (f(*bumped) - f(*args)) / h


def gradient(f, args, h=1e-5):
    n = len(args)

    def at(k, d):
        pt = list(args)
        pt[k] = pt[k] + d
        return pt
    return [(f(*at(k, h)) - f(*at(k, -h))) / (2 * h) for k in range(n)]


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return -1 if derivative > 0 else 1 if derivative < 0 else 0


def gradient_descent_step(params, grads, learning_rate):
    return [theta - learning_rate * grad for theta, grad in zip(params, grads)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    # accumulate aplica o passo repetidamente, começando em w0
    return list(accumulate(repeat(None, iterations),
                           lambda w, _: w - learning_rate * grad_fn(w),
                           initial=w0))
