"""Value: - e / escritos diretamente (sem passar por + e **),
tanh calculada com exp e sigmoide calculada com tanh."""
import math


def _v(x):
    return x if isinstance(x, Value) else Value(x)


def _tanh_por_exp(x):
    # tanh(|x|) = (1 - e^{-2|x|}) / (1 + e^{-2|x|}); expm1 evita perder precisão perto de 0
    e = math.expm1(-2.0 * abs(x))
    t = -e / (2.0 + e)
    return t if x >= 0 else -t


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad}, label={self.label!r})"

    # ---- soma e multiplicação ----
    def __add__(self, other):
        other = _v(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __radd__(self, other):
        return self + other

    def __mul__(self, other):
        other = _v(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __rmul__(self, other):
        return self * other

    # ---- subtração direta ----
    def __sub__(self, other):
        other = _v(other)
        out = Value(self.data - other.data, (self, other), '-')

        def _backward():
            self.grad += out.grad
            other.grad -= out.grad
        out._backward = _backward
        return out

    def __rsub__(self, other):          # other - self, com other número
        out = Value(other - self.data, (self,), 'r-')

        def _backward():
            self.grad -= out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        out = Value(-self.data, (self,), 'neg')

        def _backward():
            self.grad -= out.grad
        out._backward = _backward
        return out

    # ---- divisão direta ----
    def __truediv__(self, other):
        other = _v(other)
        out = Value(self.data / other.data, (self, other), '/')

        def _backward():
            self.grad += out.grad / other.data
            other.grad += -self.data / (other.data * other.data) * out.grad
        out._backward = _backward
        return out

    def __rtruediv__(self, other):      # other / self, com other número
        out = Value(other / self.data, (self,), 'r/')

        def _backward():
            self.grad += -other / (self.data * self.data) * out.grad
        out._backward = _backward
        return out

    def __pow__(self, n):
        if not isinstance(n, (int, float)):
            raise TypeError("expoente precisa ser int ou float")
        out = Value(self.data ** n, (self,), f'**{n}')

        def _backward():
            self.grad += n * self.data ** (n - 1) * out.grad
        out._backward = _backward
        return out

    # ---- funções ----
    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        t = _tanh_por_exp(self.data)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        # sigma(x) = (1 + tanh(x/2)) / 2  -> nunca estoura
        s = 0.5 * (1.0 + _tanh_por_exp(self.data / 2.0))
        out = Value(s, (self,), 'sigmoid')

        def _backward():
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), 'log')

        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,), 'relu')

        def _backward():
            self.grad += out.grad * (self.data > 0)
        out._backward = _backward
        return out

    def backward(self):
        topo, visto = [], set()

        def constroi(v):
            if v in visto:
                return
            visto.add(v)
            for filho in v._prev:
                constroi(filho)
            topo.append(v)

        constroi(self)
        self.grad = 1.0
        for v in topo[::-1]:
            v._backward()
