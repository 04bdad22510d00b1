from __future__ import annotations

from collections.abc import Callable, Sequence

Fn = Callable[[float], float]


def numeric_derivative(f: Fn, x: float, h: float = 1e-4) -> float:
    base = f(x)
    return (f(x + h) - base) / h


def central_difference(f: Fn, x: float, h: float = 1e-5) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


def partial_derivative(f, args: Sequence[float], index: int, h: float = 1e-4) -> float:
    moved = [*args]
    moved[index] += h
    return (f(*moved) - f(*args)) / h


def gradient(f, args: Sequence[float], h: float = 1e-5) -> list[float]:
    out: list[float] = []
    for i, a in enumerate(args):
        plus, minus = [*args], [*args]
        plus[i], minus[i] = a + h, a - h
        out.append((f(*plus) - f(*minus)) / (2 * h))
    return out


def chain_rule(f_prime: Fn, g_prime: Fn, g: Fn, x: float) -> float:
    return f_prime(g(x)) * g_prime(x)


def descent_direction(derivative: float) -> int:
    match derivative:
        case d if d > 0:
            return -1
        case d if d < 0:
            return 1
        case _:
            return 0


def gradient_descent_step(params, grads, learning_rate: float) -> list[float]:
    return [p - learning_rate * g for p, g in zip(params, grads)]


def gradient_descent(grad_fn: Fn, w0: float, learning_rate: float, iterations: int) -> list[float]:
    path = [w := w0]
    for _ in range(iterations):
        path.append(w := w - learning_rate * grad_fn(w))
    return path
