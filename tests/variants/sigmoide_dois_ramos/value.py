"""Value com sigmoide estável em dois ramos e backward iterativo (pilha de iteradores)."""
import math


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value({self.data})"

    @classmethod
    def _coerce(cls, x):
        return x if isinstance(x, cls) else cls(x)

    def __add__(self, other):
        other = Value._coerce(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = Value._coerce(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
            raise TypeError("só potência com número")
        base = self.data
        out = Value(base ** exponent, (self,), '**')

        def _backward():
            self.grad += exponent * base ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-Value._coerce(other))

    def __rsub__(self, other):
        return Value._coerce(other) + (-self)

    def __truediv__(self, other):
        return self * Value._coerce(other) ** -1

    def __rtruediv__(self, other):
        return Value._coerce(other) * self ** -1

    __radd__ = __add__
    __rmul__ = __mul__

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        x = self.data
        out = Value(math.log(x), (self,), 'log')

        def _backward():
            self.grad += out.grad / x
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), 'relu')

        def _backward():
            if self.data > 0:
                self.grad += out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        if x >= 0:                     # ramo 1: exp(-x) <= 1, não estoura
            s = 1.0 / (1.0 + math.exp(-x))
        else:                          # ramo 2: exp(x) < 1
            ex = math.exp(x)
            s = ex / (1.0 + ex)
        out = Value(s, (self,), 'sigmoid')

        def _backward():
            self.grad += s * (1.0 - s) * out.grad
        out._backward = _backward
        return out

    def _topological(self):
        order, seen = [], {id(self)}
        stack = [(self, iter(self._prev))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child._prev)))
                    break
            else:
                stack.pop()
                order.append(node)
        return order

    def backward(self):
        self.grad = 1.0
        for node in reversed(self._topological()):
            node._backward()
