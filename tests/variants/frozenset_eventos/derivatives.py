from typing import Callable, Sequence


def numeric_derivative(f: Callable[[float], float], x: float, h: float = 1e-4) -> float:
    return (f(x + h) - f(x)) / h


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-5) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args: Sequence[float], index: int, h: float = 1e-4) -> float:
    base = tuple(args)
    moved = tuple(a + h if i == index else a for i, a in enumerate(base))
    return (f(*moved) - f(*base)) / h


def gradient(f, args: Sequence[float], h: float = 1e-5) -> list:
    base = tuple(args)

    def moved(i, d):
        return tuple(a + d if j == i else a for j, a in enumerate(base))
    return [(f(*moved(i, h)) - f(*moved(i, -h))) / (2 * h) for i in range(len(base))]


def chain_rule(f_prime, g_prime, g, x):
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative: float) -> int:
    return int(derivative < 0) - int(derivative > 0)


def gradient_descent_step(params, grads, learning_rate):
    return [p - learning_rate * g for p, g in zip(params, grads, strict=True)]


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    path = [w0]
    for _ in range(iterations):
        path.append(gradient_descent_step([path[-1]], [grad_fn(path[-1])], learning_rate)[0])
    return path
