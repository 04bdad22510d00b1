"""Value com as regras de backward numa tabela, ligadas com functools.partial."""
import math
from functools import partial


def _add_rule(out, a, b):
    a.grad += out.grad
    b.grad += out.grad


def _mul_rule(out, a, b):
    a.grad += b.data * out.grad
    b.grad += a.data * out.grad


def _pow_rule(out, a, k):
    a.grad += k * a.data ** (k - 1) * out.grad


def _tanh_rule(out, a):
    a.grad += (1.0 - out.data * out.data) * out.grad


def _exp_rule(out, a):
    a.grad += out.data * out.grad


def _log_rule(out, a):
    a.grad += out.grad / a.data


def _relu_rule(out, a):
    a.grad += (out.grad if a.data > 0 else 0.0)


def _sigmoid_rule(out, a):
    a.grad += out.data * (1.0 - out.data) * out.grad


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value({self.data}, grad={self.grad})"

    @staticmethod
    def _v(x):
        return x if isinstance(x, Value) else Value(x)

    def _result(self, data, children, op, rule, *extra):
        out = Value(data, children, op)
        out._backward = partial(rule, out, *children, *extra)
        return out

    def __add__(self, other):
        other = Value._v(other)
        return self._result(self.data + other.data, (self, other), '+', _add_rule)

    def __mul__(self, other):
        other = Value._v(other)
        return self._result(self.data * other.data, (self, other), '*', _mul_rule)

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError("só int/float")
        return self._result(self.data ** k, (self,), '**', _pow_rule, k)

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return other * self ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def tanh(self):
        return self._result(math.tanh(self.data), (self,), 'tanh', _tanh_rule)

    def exp(self):
        return self._result(math.exp(self.data), (self,), 'exp', _exp_rule)

    def log(self):
        return self._result(math.log(self.data), (self,), 'log', _log_rule)

    def relu(self):
        return self._result(self.data if self.data > 0 else 0.0, (self,), 'relu', _relu_rule)

    def sigmoid(self):
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return self._result(s, (self,), 'sigmoid', _sigmoid_rule)

    def backward(self):
        topo, seen = [], set()

        def build(v):
            if v in seen:
                return
            seen.add(v)
            for c in v._prev:
                build(c)
            topo.append(v)

        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
