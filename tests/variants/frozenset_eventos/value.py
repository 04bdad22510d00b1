"""Value com _prev em frozenset e backward iterativo por eventos (entrar/sair)."""
import math

ENTER, EXIT = 0, 1


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = frozenset(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value({self.data})"

    def _out(self, data, children, op):
        return Value(data, children, op)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = self._out(self.data + other.data, (self, other), '+')

        def back():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = back
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = self._out(self.data * other.data, (self, other), '*')

        def back():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = back
        return out

    def __pow__(self, k):
        if type(k) not in (int, float):
            raise TypeError("k precisa ser int ou float")
        out = self._out(self.data ** k, (self,), '**')

        def back():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = back
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + other * -1 if isinstance(other, Value) else self + (-other)

    def __rsub__(self, other):
        return self * -1 + other

    def __truediv__(self, other):
        return self * (other ** -1)

    def __rtruediv__(self, other):
        return (self ** -1) * other

    def __radd__(self, other):
        return self.__add__(other)

    def __rmul__(self, other):
        return self.__mul__(other)

    def tanh(self):
        out = self._out(math.tanh(self.data), (self,), 'tanh')

        def back():
            self.grad += (1 - out.data ** 2) * out.grad
        out._backward = back
        return out

    def exp(self):
        out = self._out(math.exp(self.data), (self,), 'exp')

        def back():
            self.grad += out.data * out.grad
        out._backward = back
        return out

    def log(self):
        out = self._out(math.log(self.data), (self,), 'log')

        def back():
            self.grad += (1 / self.data) * out.grad
        out._backward = back
        return out

    def relu(self):
        out = self._out(self.data * (self.data > 0), (self,), 'relu')

        def back():
            self.grad += (self.data > 0) * out.grad
        out._backward = back
        return out

    def sigmoid(self):
        x = self.data
        z = math.exp(-abs(x))                 # sempre <= 1
        s = 1 / (1 + z) if x >= 0 else z / (1 + z)
        out = self._out(s, (self,), 'sigmoid')

        def back():
            self.grad += out.data * (1 - out.data) * out.grad
        out._backward = back
        return out

    def backward(self):
        order, state = [], {}
        events = [(ENTER, self)]
        while events:
            kind, v = events.pop()
            if kind == EXIT:
                order.append(v)
            elif id(v) not in state:
                state[id(v)] = True
                events.append((EXIT, v))
                events.extend((ENTER, c) for c in v._prev)
        self.grad = 1.0
        for v in order[::-1]:
            v._backward()
