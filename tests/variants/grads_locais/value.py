"""Value que guarda as derivadas locais de cada aresta.

Cada nó lembra ((filho, d nó / d filho), ...). O _backward é sempre o mesmo:
filho.grad += derivada_local * nó.grad. Assim cada operação só precisa dizer
qual é a sua derivada local.
"""
import math


class Value:
    def __init__(self, data, _children=(), _op='', label='', _local=None):
        self.data = data
        self.grad = 0.0
        self._op = _op
        self.label = label
        if _local is None:
            _local = tuple((c, 0.0) for c in _children)
        self._local = tuple(_local)
        self._prev = set(c for c, _ in self._local)
        self._backward = self._chain if self._local else (lambda: None)

    def _chain(self):
        for child, local in self._local:
            child.grad += local * self.grad

    def __repr__(self):
        return f"Value(data={self.data})"

    @staticmethod
    def _node(data, op, *edges):
        return Value(data, tuple(c for c, _ in edges), op, _local=edges)

    @staticmethod
    def _wrap(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value._wrap(other)
        return Value._node(self.data + other.data, '+', (self, 1.0), (other, 1.0))

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        other = Value._wrap(other)
        return Value._node(self.data - other.data, '-', (self, 1.0), (other, -1.0))

    def __rsub__(self, other):
        return Value._node(other - self.data, '-', (self, -1.0))

    def __mul__(self, other):
        other = Value._wrap(other)
        return Value._node(self.data * other.data, '*', (self, other.data), (other, self.data))

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        other = Value._wrap(other)
        b = other.data
        return Value._node(self.data / b, '/', (self, 1.0 / b), (other, -self.data / (b * b)))

    def __rtruediv__(self, other):
        a = self.data
        return Value._node(other / a, '/', (self, -other / (a * a)))

    def __neg__(self):
        return Value._node(-self.data, 'neg', (self, -1.0))

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError("expoente deve ser número")
        return Value._node(self.data ** k, f'**{k}', (self, k * self.data ** (k - 1)))

    def tanh(self):
        t = math.tanh(self.data)
        return Value._node(t, 'tanh', (self, 1.0 - t * t))

    def exp(self):
        e = math.exp(self.data)
        return Value._node(e, 'exp', (self, e))

    def log(self):
        return Value._node(math.log(self.data), 'log', (self, 1.0 / self.data))

    def relu(self):
        on = self.data > 0
        return Value._node(self.data if on else 0.0, 'relu', (self, 1.0 if on else 0.0))

    def sigmoid(self):
        x = self.data
        if x < 0:
            e = math.exp(x)
            s = e / (1.0 + e)
        else:
            s = 1.0 / (1.0 + math.exp(-x))
        return Value._node(s, 'sigmoid', (self, s * (1.0 - s)))

    def backward(self):
        order, seen = [], set()

        def dfs(v):
            seen.add(v)
            for c in v._prev:
                if c not in seen:
                    dfs(c)
            order.append(v)

        dfs(self)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()
