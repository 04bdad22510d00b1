"""Um escalar com autograd, no estilo do micrograd do Karpathy.

Cada `Value` guarda um número (`data`) e lembra de onde veio: quais valores o
produziram (`_prev`) e com qual operação (`_op`). Assim, depois de calcular uma
expressão, podemos andar de trás para a frente pelo grafo e descobrir, para
cada nó, quanto a saída final se mexe quando damos um empurrãozinho nele: esse
número fica em `grad`. Isso é a backpropagation.

Cada operação faz duas coisas:
  1. calcula o resultado `out` (o passo para a frente);
  2. define `out._backward`, uma função que usa a derivada LOCAL da operação e
     a regra da cadeia para passar `out.grad` aos filhos:
         filho.grad += (derivada local de out em relação ao filho) * out.grad

Sempre `+=`, nunca `=`: um nó usado duas vezes (como em `a + a`) precisa
receber as duas contribuições.

`__init__` e `__repr__` já estão prontos; implemente o resto. Números comuns
(int/float) que aparecem numa operação devem ser embrulhados num `Value`.
"""
import math  # noqa: F401  (você vai precisar dele em tanh, exp, log e sigmoid)


class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        """Soma: out = self + other.

        Derivadas locais: ∂out/∂self = 1 e ∂out/∂other = 1. Um empurrão em
        qualquer parcela passa inteiro para a soma, então o _backward só
        repassa o gradiente:
            grad de self  ← grad de self  + 1 · (grad de out)
            grad de other ← grad de other + 1 · (grad de out)

        Se other for um int/float, transforme-o antes em Value(other).
        Exemplo: a = Value(3.0); b = a + a; b.backward()  ->  a.grad == 2.0
        (as duas contribuições de 1 somadas; com `=` no lugar de `+=`, daria 1).
        """
        raise NotImplementedError(
            "Implemente __add__: crie out com (self, other) como filhos e um _backward que "
            "repassa out.grad às duas parcelas, acumulando."
        )

    def __mul__(self, other):
        """Multiplicação: out = self * other.

        Derivadas locais: ∂out/∂self = other.data e ∂out/∂other = self.data
        (empurrar um fator mexe o produto na medida do outro fator):
            grad de self  ← grad de self  + (valor de other) · (grad de out)
            grad de other ← grad de other + (valor de self)  · (grad de out)

        Exemplo do curso: d = a·b + c com a = 2, b = -3, c = 10 (d = 4).
        Depois de d.backward(): a.grad = -3, b.grad = 2, c.grad = 1.
        E com a = Value(3.0), (a * a).backward() dá a.grad = 6 (3 + 3).
        """
        raise NotImplementedError(
            "Implemente __mul__: o produto dos valores e, no _backward, cada fator recebe "
            "o valor do outro fator vezes out.grad (acumulando)."
        )

    def __pow__(self, other):
        """Potência: out = self ** other, com other um int ou float (não um Value).

        Derivada local (regra do tombo): ∂out/∂self = n · x^(n - 1), que no
        _backward multiplica out.grad e se acumula no grad de self.

        Expoentes Value não fazem parte do exercício: garanta que other é
        int/float (um assert basta).

        Exemplos: Value(3.0) ** 2 vale 9 e dá grad 2·3 = 6.
        Value(2.0) ** -1 vale 0.5 e dá grad -1·2⁻² = -0.25 (a divisão usa isso).
        """
        raise NotImplementedError(
            "Implemente __pow__ (só expoente int/float) com a regra do tombo: n · x^(n - 1)."
        )

    def __neg__(self):
        """Negação: out = -self.

        Derivada local: -1 (empurrar x para cima empurra -x para baixo).
        O jeito mais simples é reaproveitar a multiplicação: -x = x * -1.
        Assim o _backward já vem pronto do __mul__.

        Exemplo: a = Value(3.0); b = -a; b.backward()  ->  b.data == -3, a.grad == -1.
        """
        raise NotImplementedError("Implemente __neg__: negar é multiplicar por -1; reaproveite a multiplicação.")

    def __sub__(self, other):
        """Subtração: out = self - other.

        Derivadas locais: ∂out/∂self = 1 e ∂out/∂other = -1.
        Reaproveite o que já existe: self - other = self + (-other).
        Funciona com other Value ou número (-número é só um número).

        Exemplo: a = Value(5.0), b = Value(2.0); c = a - b; c.backward()
        -> c.data == 3, a.grad == 1, b.grad == -1.
        """
        raise NotImplementedError("Implemente __sub__: subtrair é somar o oposto; reaproveite a soma e a negação.")

    def __truediv__(self, other):
        """Divisão: out = self / other.

        Escreva como multiplicação por uma potência: self / other = self * other ** -1.
        As derivadas locais saem sozinhas: ∂out/∂self = 1/other e
        ∂out/∂other = -self/other².

        Exemplo: a = Value(6.0), b = Value(2.0); c = a / b; c.backward()
        -> c.data == 3, a.grad == 0.5, b.grad == -6/4 == -1.5.
        Se other for um número, transforme-o em Value antes de usar **.
        """
        raise NotImplementedError(
            "Implemente __truediv__: dividir é multiplicar pela potência -1; reaproveite as duas."
        )

    def __radd__(self, other):
        """Soma com o número à esquerda: 2 + v.

        Quando o Python tenta 2 + v, o int não sabe somar um Value e chama
        v.__radd__(2). Como a soma é comutativa, basta devolver self + other.
        (É isso que faz sum(...) funcionar sobre Values: sum começa em 0.)

        Exemplo: 2 + Value(3.0) -> Value(data=5.0); a derivada em relação a v é 1.
        """
        raise NotImplementedError("Implemente __radd__: a soma é comutativa; reaproveite __add__.")

    def __rsub__(self, other):
        """Subtração com o número à esquerda: 2 - v.

        Cuidado com a ordem: aqui o resultado é other - self (e não self - other).
        Escreva como other + (-self). Derivada em relação a v: -1.

        Exemplo: v = Value(3.0); w = 2 - v; w.backward()
        -> w.data == -1, v.grad == -1.
        Isso aparece na binary cross-entropy, em (1 - p).
        """
        raise NotImplementedError("Implemente __rsub__: other - self é other mais o oposto de self.")

    def __rmul__(self, other):
        """Multiplicação com o número à esquerda: 2 * v.

        O int não sabe multiplicar um Value, então o Python chama v.__rmul__(2).
        A multiplicação é comutativa: devolva self * other.

        Exemplo: v = Value(3.0); w = 2 * v; w.backward()
        -> w.data == 6, v.grad == 2.
        """
        raise NotImplementedError("Implemente __rmul__: a multiplicação é comutativa; reaproveite __mul__.")

    def __rtruediv__(self, other):
        """Divisão com o número à esquerda: 2 / v.

        O resultado é other / self = other * self ** -1.
        Derivada em relação a v: -other / v².

        Exemplo: v = Value(4.0); w = 2 / v; w.backward()
        -> w.data == 0.5, v.grad == -2/16 == -0.125.
        """
        raise NotImplementedError("Implemente __rtruediv__: other / self é other vezes self elevado a -1.")

    def tanh(self):
        """Tangente hiperbólica: out = tanh(x), a ativação das camadas escondidas do MLP.

        Com t = tanh(x), a derivada local é 1 - t² (use o t já calculado no
        passo para a frente).

        Exemplos: em x = 0, t = 0 e a derivada é 1 (a curva é mais inclinada no meio).
        Em x = 0.8814, t ≈ 0.7071 e a derivada é ≈ 0.5.
        Para |x| grande, t ≈ ±1 e a derivada quase some: a tanh "satura".
        """
        raise NotImplementedError(
            "Implemente tanh: o valor com math.tanh e a derivada local 1 - t²."
        )

    def exp(self):
        """Exponencial: out = e^x.

        A exponencial é a própria derivada: ∂out/∂x = e^x, que é o próprio
        valor de out.

        Exemplo: x = Value(0.0) -> x.exp() vale 1 e dá x.grad = 1.
        Um teste de acumulação: y = x.exp() + x.exp(); y.backward() deve dar
        x.grad == 2 · e^x, porque x foi usado duas vezes.
        """
        raise NotImplementedError(
            "Implemente exp: o valor com math.exp e a derivada local e^x."
        )

    def log(self):
        """Logaritmo natural: out = ln(x), definido para x > 0.

        Derivada local: 1/x. Perto de zero ela é enorme: um empurrãozinho em
        x muda muito o log.

        Exemplo: x = Value(2.0) -> x.log() ≈ 0.6931 e dá x.grad = 0.5.
        É o log que aparece na cross-entropy: -log(p).
        """
        raise NotImplementedError(
            "Implemente log: o valor com math.log e a derivada local 1/x."
        )

    def relu(self):
        """ReLU: out = max(0, x).

        Derivada local: 1 se x > 0, e 0 caso contrário. Em x = 0 exatamente,
        use 0 (é a convenção combinada do curso).

        Exemplos: relu(2) = 2 com derivada 1; relu(-3) = 0 com derivada 0;
        relu(0) = 0 com derivada 0.
        """
        raise NotImplementedError(
            "Implemente relu: out = max(0, x); derivada 1 se x > 0, senão 0 (inclusive em x = 0)."
        )

    def sigmoid(self):
        """Sigmoide: out = σ(x) = 1 / (1 + e^(-x)), que transforma um logit em probabilidade.

        Com s = σ(x), a derivada local é s · (1 - s).

        Estabilidade: para x muito negativo, e^(-x) estoura (math.exp(1000) dá
        OverflowError). Use a forma equivalente e^x / (1 + e^x) quando x < 0,
        e 1 / (1 + e^(-x)) quando x >= 0; assim σ(±1000) continua finita.

        Exemplo: σ(0) = 0.5 com derivada 0.25 (o máximo possível).
        """
        raise NotImplementedError(
            "Implemente sigmoid: s = σ(x) sem estourar (e^x / (1 + e^x) quando x < 0) e "
            "a derivada local s · (1 - s)."
        )

    def backward(self):
        """Backpropagation a partir deste nó (normalmente a loss).

        1. Ordem topológica: monte uma lista em que cada nó aparece DEPOIS de
           todos os seus filhos (_prev). Uma busca em profundidade com um
           conjunto de visitados resolve: visite os filhos, depois anexe o nó.
        2. A derivada da saída em relação a ela mesma é 1: self.grad = 1.0.
        3. Percorra a lista de trás para a frente chamando v._backward(); assim,
           quando um nó repassa seu grad, ele já recebeu todas as contribuições.

        Exemplo: d = a·b + c com (2, -3, 10); d.backward() deixa
        a.grad = -3, b.grad = 2, c.grad = 1 (confira com partial_derivative!).
        """
        raise NotImplementedError(
            "Implemente backward: ordem topológica, self.grad = 1.0 e _backward() de cada nó "
            "na ordem inversa."
        )
