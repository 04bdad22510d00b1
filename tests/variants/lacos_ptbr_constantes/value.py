# =============================================================
#  Classe Value (autograd escalar)  -  Diego
# =============================================================
import math


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data          # o número
        self.grad = 0.0           # dL/d(este nó)
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return "Value(data=" + str(self.data) + ")"

    def _acumula(self, quanto):
        self.grad += quanto

    def __add__(self, outro):
        if not isinstance(outro, Value):
            outro = Value(outro)
        saida = Value(self.data + outro.data, (self, outro), '+')

        def _backward():
            self._acumula(saida.grad)
            outro._acumula(saida.grad)
        saida._backward = _backward
        return saida

    def __mul__(self, outro):
        if not isinstance(outro, Value):
            outro = Value(outro)
        saida = Value(self.data * outro.data, (self, outro), '*')

        def _backward():
            self._acumula(outro.data * saida.grad)
            outro._acumula(self.data * saida.grad)
        saida._backward = _backward
        return saida

    def __pow__(self, expoente):
        if not isinstance(expoente, (int, float)):
            raise TypeError("o expoente tem que ser um número")
        saida = Value(self.data ** expoente, (self,), '**' + str(expoente))

        def _backward():
            self._acumula(expoente * self.data ** (expoente - 1) * saida.grad)
        saida._backward = _backward
        return saida

    def __neg__(self):
        return self * -1

    def __sub__(self, outro):
        return self + (-outro)

    def __rsub__(self, outro):
        return (-self) + outro

    def __radd__(self, outro):
        return self + outro

    def __rmul__(self, outro):
        return self * outro

    def __truediv__(self, outro):
        return self * outro ** -1

    def __rtruediv__(self, outro):
        return outro * self ** -1

    def tanh(self):
        t = math.tanh(self.data)
        saida = Value(t, (self,), 'tanh')

        def _backward():
            self._acumula((1 - t ** 2) * saida.grad)
        saida._backward = _backward
        return saida

    def exp(self):
        saida = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self._acumula(saida.data * saida.grad)
        saida._backward = _backward
        return saida

    def log(self):
        saida = Value(math.log(self.data), (self,), 'log')

        def _backward():
            self._acumula(saida.grad / self.data)
        saida._backward = _backward
        return saida

    def relu(self):
        if self.data > 0:
            saida = Value(self.data, (self,), 'relu')
        else:
            saida = Value(0.0, (self,), 'relu')

        def _backward():
            if self.data > 0:
                self._acumula(saida.grad)
        saida._backward = _backward
        return saida

    def sigmoid(self):
        if self.data >= 0:
            s = 1 / (1 + math.exp(-self.data))
        else:
            s = math.exp(self.data) / (1 + math.exp(self.data))
        saida = Value(s, (self,), 'sigmoid')

        def _backward():
            self._acumula(s * (1 - s) * saida.grad)
        saida._backward = _backward
        return saida

    def backward(self):
        ordem = []
        visitados = set()

        def monta(no):
            if no not in visitados:
                visitados.add(no)
                for filho in no._prev:
                    monta(filho)
                ordem.append(no)

        monta(self)
        self.grad = 1.0
        i = len(ordem) - 1
        while i >= 0:
            ordem[i]._backward()
            i -= 1


# teste rápido do neurônio
a = Value(2.0)
b = Value(-3.0)
c = a * b + a
c.backward()
print("dc/da =", a.grad, " dc/db =", b.grad)
