"""Value: _prev é uma lista que guarda TODAS as arestas (a + a -> [a, a]).

backward() = Kahn contando arestas repetidas: o grau de entrada de um nó é o
número de arestas que chegam nele, e cada aresta processada tira 1.
"""
import math
from collections import defaultdict


class Value:

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = [c for c in _children]
        self._op = _op
        self.label = label

    def __repr__(self):
        return "Value(%r)" % (self.data,)

    def _new(self, data, children, op, backward):
        out = Value(data, children, op)
        out._backward = lambda: backward(out)
        return out

    def __add__(self, other):
        o = other if isinstance(other, Value) else Value(other)

        def bw(out):
            self.grad += out.grad
            o.grad += out.grad
        return self._new(self.data + o.data, (self, o), '+', bw)

    def __mul__(self, other):
        o = other if isinstance(other, Value) else Value(other)

        def bw(out):
            self.grad += o.data * out.grad
            o.grad += self.data * out.grad
        return self._new(self.data * o.data, (self, o), '*', bw)

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError("Value ** Value não é suportado")

        def bw(out):
            self.grad += k * self.data ** (k - 1) * out.grad
        return self._new(self.data ** k, (self,), '**', bw)

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return -self + other

    def __truediv__(self, other):
        return self * (other ** -1 if isinstance(other, Value) else 1.0 / other)

    def __rtruediv__(self, other):
        return self ** -1 * other

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def tanh(self):
        t = math.tanh(self.data)

        def bw(out):
            self.grad += (1 - t * t) * out.grad
        return self._new(t, (self,), 'tanh', bw)

    def exp(self):
        e = math.exp(self.data)

        def bw(out):
            self.grad += e * out.grad
        return self._new(e, (self,), 'exp', bw)

    def log(self):
        def bw(out):
            self.grad += out.grad / self.data
        return self._new(math.log(self.data), (self,), 'log', bw)

    def relu(self):
        def bw(out):
            self.grad += out.grad if self.data > 0 else 0.0
        return self._new(self.data if self.data > 0 else 0.0, (self,), 'relu', bw)

    def sigmoid(self):
        x = self.data
        if x >= 0:
            s = 1 / (1 + math.exp(-x))
        else:
            s = math.exp(x) / (1 + math.exp(x))

        def bw(out):
            self.grad += s * (1 - s) * out.grad
        return self._new(s, (self,), 'sigmoid', bw)

    def backward(self):
        indegree = defaultdict(int)
        nodes = {id(self): self}
        frontier = [self]
        while frontier:
            v = frontier.pop()
            for c in v._prev:
                indegree[id(c)] += 1          # uma por aresta
                if id(c) not in nodes:
                    nodes[id(c)] = c
                    frontier.append(c)
        self.grad = 1.0
        queue = [self]
        while queue:
            v = queue.pop()
            v._backward()
            for c in v._prev:
                indegree[id(c)] -= 1
                if indegree[id(c)] == 0:
                    queue.append(c)
