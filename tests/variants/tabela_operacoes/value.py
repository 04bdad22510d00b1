"""Value cujas operações saem de uma tabela.

Escrevi só a tabela (conta + derivadas locais) e um laço que cria os métodos
com setattr. As derivadas recebem os dados dos operandos e o resultado.
"""
import math


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value({self.data!r}, op={self._op!r})"

    def __pow__(self, k):
        if not isinstance(k, (int, float)):
            raise TypeError("potência só com int/float")
        out = Value(self.data ** k, (self,), '**')

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        # DFS iterativo: pós-ordem com marcador "saindo"
        order, visited = [], set()
        stack = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, tuple):      # ("saindo", nó)
                order.append(node[1])
                continue
            if node in visited:
                continue
            visited.add(node)
            stack.append(("saindo", node))
            stack.extend(c for c in node._prev if c not in visited)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def _sig(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# nome: (conta, derivada em relação ao 1º, derivada em relação ao 2º)
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b, o: 1.0, lambda a, b, o: 1.0),
    "sub": (lambda a, b: a - b, lambda a, b, o: 1.0, lambda a, b, o: -1.0),
    "mul": (lambda a, b: a * b, lambda a, b, o: b, lambda a, b, o: a),
    "truediv": (lambda a, b: a / b, lambda a, b, o: 1.0 / b, lambda a, b, o: -a / b ** 2),
}

# nome: (conta, derivada)
UNARY = {
    "neg": (lambda a: -a, lambda a, o: -1.0),
    "tanh": (math.tanh, lambda a, o: 1.0 - o ** 2),
    "exp": (math.exp, lambda a, o: o),
    "log": (math.log, lambda a, o: 1.0 / a),
    "relu": (lambda a: a if a > 0 else 0.0, lambda a, o: 1.0 if a > 0 else 0.0),
    "sigmoid": (_sig, lambda a, o: o * (1.0 - o)),
}


def _make_binary(name, fn, da, db, reflected=False):
    def method(self, other):
        other = other if isinstance(other, Value) else Value(other)
        left, right = (other, self) if reflected else (self, other)
        out = Value(fn(left.data, right.data), (left, right), name)

        def _backward():
            left.grad += da(left.data, right.data, out.data) * out.grad
            right.grad += db(left.data, right.data, out.data) * out.grad
        out._backward = _backward
        return out
    return method


def _make_unary(name, fn, d):
    def method(self):
        out = Value(fn(self.data), (self,), name)

        def _backward():
            self.grad += d(self.data, out.data) * out.grad
        out._backward = _backward
        return out
    return method


for _name, (_fn, _da, _db) in BINARY.items():
    setattr(Value, f"__{_name}__", _make_binary(_name, _fn, _da, _db))
    setattr(Value, f"__r{_name}__", _make_binary(_name, _fn, _da, _db, reflected=True))

for _name, (_fn, _d) in UNARY.items():
    setattr(Value, f"__{_name}__" if _name == "neg" else _name, _make_unary(_name, _fn, _d))

del _name, _fn, _da, _db, _d
