"""Value como dataclass com slots=True e eq=False (identidade, continua hashable)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable


def _noop() -> None:
    return None


@dataclass(eq=False, slots=True)
class Value:
    data: float
    _children: tuple = ()
    _op: str = ''
    label: str = ''
    grad: float = field(init=False, default=0.0)
    _prev: tuple = field(init=False, repr=False, default=())
    _backward: Callable[[], None] = field(init=False, repr=False, default=_noop)

    def __post_init__(self) -> None:
        self._prev = tuple(dict.fromkeys(self._children))   # sem repetidos, ordem preservada

    @staticmethod
    def lift(x) -> "Value":
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other) -> "Value":
        other = Value.lift(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other) -> "Value":
        other = Value.lift(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k: float) -> "Value":
        match k:
            case bool():
                raise TypeError("expoente booleano?")
            case int() | float():
                pass
            case _:
                raise TypeError("expoente precisa ser int ou float")
        out = Value(self.data ** k, (self,), f'**{k}')

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def __neg__(self) -> "Value":
        return self * -1

    def __sub__(self, other) -> "Value":
        return self + (-other)

    def __rsub__(self, other) -> "Value":
        return -self + other

    def __truediv__(self, other) -> "Value":
        return self * other ** -1

    def __rtruediv__(self, other) -> "Value":
        return self ** -1 * other

    def __radd__(self, other) -> "Value":
        return self + other

    def __rmul__(self, other) -> "Value":
        return self * other

    def _unary(self, value: float, local: float, op: str) -> "Value":
        out = Value(value, (self,), op)

        def _backward():
            self.grad += local * out.grad
        out._backward = _backward
        return out

    def tanh(self) -> "Value":
        t = math.tanh(self.data)
        return self._unary(t, 1 - t * t, 'tanh')

    def exp(self) -> "Value":
        e = math.exp(self.data)
        return self._unary(e, e, 'exp')

    def log(self) -> "Value":
        return self._unary(math.log(self.data), 1 / self.data, 'log')

    def relu(self) -> "Value":
        return self._unary(max(self.data, 0.0), float(self.data > 0), 'relu')

    def sigmoid(self) -> "Value":
        x = self.data
        match x >= 0:
            case True:
                s = 1 / (1 + math.exp(-x))
            case False:
                s = (e := math.exp(x)) / (1 + e)
        return self._unary(s, s * (1 - s), 'sigmoid')

    def backward(self) -> None:
        topo: list[Value] = []
        visited: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                topo.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack += [(c, False) for c in node._prev if id(c) not in visited]
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()
