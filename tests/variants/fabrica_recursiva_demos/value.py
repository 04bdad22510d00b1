"""Value: as operações são geradas por pequenas fábricas (closures).

Cada operação é descrita por (nome, função, derivadas locais); a fábrica monta o
método com o _backward certo. backward() é recursivo, com uma lista para a
ordem e um conjunto de id() para os visitados.
"""
import math
import operator


def _lift(x):
    return x if isinstance(x, Value) else Value(x)


def _binary(name, forward, local):
    """local(a, b, out) -> (d out/d a, d out/d b)"""
    def method(self, other):
        other = _lift(other)
        out = Value(forward(self.data, other.data), (self, other), name)

        def _backward():
            da, db = local(self.data, other.data, out.data)
            self.grad += da * out.grad
            other.grad += db * out.grad
        out._backward = _backward
        return out
    method.__name__ = f"op_{name}"
    return method


def _reflected(method):
    def reflected(self, other):
        return method(_lift(other), self)
    return reflected


def _unary(name, forward, local):
    """local(x, out) -> d out/d x"""
    def method(self):
        out = Value(forward(self.data), (self,), name)

        def _backward():
            self.grad += local(self.data, out.data) * out.grad
        out._backward = _backward
        return out
    method.__name__ = name
    return method


def _stable_sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value({self.data:.4g}{', ' + self.label if self.label else ''})"

    __add__ = _binary('+', operator.add, lambda a, b, o: (1.0, 1.0))
    __sub__ = _binary('-', operator.sub, lambda a, b, o: (1.0, -1.0))
    __mul__ = _binary('*', operator.mul, lambda a, b, o: (b, a))
    __truediv__ = _binary('/', operator.truediv, lambda a, b, o: (1.0 / b, -a / (b * b)))
    __radd__ = _reflected(__add__)
    __rsub__ = _reflected(__sub__)
    __rmul__ = _reflected(__mul__)
    __rtruediv__ = _reflected(__truediv__)

    __neg__ = _unary('neg', operator.neg, lambda x, o: -1.0)
    tanh = _unary('tanh', math.tanh, lambda x, o: 1.0 - o * o)
    exp = _unary('exp', math.exp, lambda x, o: o)
    log = _unary('log', math.log, lambda x, o: 1.0 / x)
    relu = _unary('relu', lambda x: x if x > 0 else 0.0, lambda x, o: 1.0 if x > 0 else 0.0)
    sigmoid = _unary('sigmoid', _stable_sigmoid, lambda x, o: o * (1.0 - o))

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            return NotImplemented
        return _unary(f'**{k}', lambda x: x ** k, lambda x, o: k * x ** (k - 1))(self)

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if id(node) in seen:
                return
            seen.add(id(node))
            for child in node._prev:
                visit(child)
            order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


# exemplo do neurônio da aula
x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.8813735870195432)
o = (x1 * w1 + x2 * w2 + b).tanh()
o.backward()
print("o =", o, "dx1 =", x1.grad, "dw1 =", w1.grad)
