"""Lista 1 - derivadas. (Carla)"""

h = 1e-4          # passo que usei nos testes
x = 3.0
f = lambda t: 3 * t ** 2 - 4 * t + 5


def numeric_derivative(f, x, h=1e-4):
    return (f(x + h) - f(x)) / h


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args, index, h=1e-4):
    shifted = list(args)
    shifted[index] += h
    return (f(*shifted) - f(*list(args))) / h


def gradient(f, args, h=1e-5):
    g = []
    for i in range(len(args)):
        a, b = list(args), list(args)
        a[i] += h
        b[i] -= h
        g.append((f(*a) - f(*b)) / (2 * h))
    return g


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative):
    return 0 if derivative == 0 else (-1 if derivative > 0 else 1)


def gradient_descent_step(params, grads, learning_rate):
    return [p - learning_rate * g for p, g in zip(list(params), list(grads))]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    ws = [w0]
    i = 0
    while i < iterations:
        ws.append(ws[-1] - learning_rate * grad_fn(ws[-1]))
        i += 1
    return ws


print("derivada em x = 3:", numeric_derivative(f, x, h))
