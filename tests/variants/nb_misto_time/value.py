"""Value (.py) com __slots__; o resto da entrega está nos notebooks."""
import math


class Value:
    __slots__ = ("data", "grad", "_backward", "_prev", "_op", "label")

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = Value._nada
        self._prev = list(_children)
        self._op = _op
        self.label = label

    @staticmethod
    def _nada():
        pass

    def __repr__(self):
        return f"Value({self.data!r})"

    def __add__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        out = Value(self.data + o.data, (self, o), "+")

        def _backward():
            self.grad += out.grad
            o.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, o):
        o = o if isinstance(o, Value) else Value(o)
        out = Value(self.data * o.data, (self, o), "*")

        def _backward():
            self.grad += o.data * out.grad
            o.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError("potência só por número")
        out = Value(self.data ** k, (self,), "**")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, o):
        return self + (-o)

    def __rsub__(self, o):
        return o + (-self)

    def __truediv__(self, o):
        return self * o ** -1

    def __rtruediv__(self, o):
        return o * self ** -1

    def __radd__(self, o):
        return self + o

    def __rmul__(self, o):
        return self * o

    def _unaria(self, valor, derivada, op):
        out = Value(valor, (self,), op)

        def _backward():
            self.grad += derivada * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = math.tanh(self.data)
        return self._unaria(t, 1 - t * t, "tanh")

    def exp(self):
        e = math.exp(self.data)
        return self._unaria(e, e, "exp")

    def log(self):
        return self._unaria(math.log(self.data), 1 / self.data, "log")

    def relu(self):
        positivo = self.data > 0
        return self._unaria(self.data if positivo else 0.0, 1.0 if positivo else 0.0, "relu")

    def sigmoid(self):
        x = self.data
        if x >= 0:
            s = 1 / (1 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1 + e)
        return self._unaria(s, s * (1 - s), "sigmoid")

    def backward(self):
        ordem, vistos = [], set()

        def visita(v):
            if id(v) in vistos:
                return
            vistos.add(id(v))
            for filho in v._prev:
                visita(filho)
            ordem.append(v)

        visita(self)
        self.grad = 1.0
        for v in reversed(ordem):
            v._backward()
