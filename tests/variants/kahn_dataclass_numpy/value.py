"""Value como dataclass (eq=False para continuar hashable e comparar por identidade).

backward() usa o algoritmo de Kahn: conta quantos "pais" (consumidores) cada
nó tem e só processa um nó quando todos os pais já passaram o gradiente.
"""
import math
from collections import deque
from dataclasses import dataclass, field


@dataclass(eq=False)
class Value:
    data: float
    _children: tuple = ()
    _op: str = ''
    label: str = ''
    grad: float = field(default=0.0, init=False)
    _prev: list = field(default_factory=list, init=False, repr=False)
    _backward: object = field(default=None, init=False, repr=False)

    def __post_init__(self):
        self._prev = list(self._children)   # lista; pode ter o mesmo nó duas vezes
        self._backward = lambda: None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, other):
        if not isinstance(other, (int, float)):
            raise TypeError("Value ** só aceita int ou float")
        out = Value(self.data ** other, (self,), f'**{other}')

        def _backward():
            self.grad += other * (self.data ** (other - 1)) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1.0

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
        t = math.tanh(self.data)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1.0 - t ** 2) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), 'log')

        def _backward():
            self.grad += (1.0 / self.data) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(0.0, self.data), (self,), 'relu')

        def _backward():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        out = Value(s, (self,), 'sigmoid')

        def _backward():
            self.grad += s * (1.0 - s) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        # 1) todos os nós alcançáveis a partir da saída
        nodes = {}
        todo = [self]
        while todo:
            v = todo.pop()
            if id(v) not in nodes:
                nodes[id(v)] = v
                todo.extend(v._prev)
        # 2) grau de entrada = número de consumidores distintos de cada nó
        children = {k: list({id(c): c for c in v._prev}.values()) for k, v in nodes.items()}
        indegree = dict.fromkeys(nodes, 0)
        for k in nodes:
            for c in children[k]:
                indegree[id(c)] += 1
        # 3) Kahn
        self.grad = 1.0
        ready = deque(nodes[k] for k, d in indegree.items() if d == 0)
        while ready:
            v = ready.popleft()
            v._backward()
            for c in children[id(v)]:
                indegree[id(c)] -= 1
                if indegree[id(c)] == 0:
                    ready.append(c)
