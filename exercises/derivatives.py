"""Derivadas numéricas, gradientes e descida do gradiente.

Uma derivada responde a uma pergunta bem concreta: se eu der um empurrãozinho
em x (somar um h bem pequeno), quanto a saída f(x) se mexe, por unidade de
empurrão? É exatamente isso que o treino de uma rede neural precisa saber para
cada peso: para que lado mexer, e quanto, para a loss cair.

Neste arquivo você vai medir derivadas "na mão" (diferenças finitas), juntar
várias delas num gradiente, aplicar a regra da cadeia e, por fim, usar o
gradiente para descer até o mínimo de uma função.

Exemplos do curso que você pode usar para conferir o seu código:
    f(x) = 3x² - 4x + 5 em x = 3          -> derivada ≈ 14
    d = a·b + c em (a, b, c) = (2, -3, 10) -> parciais ≈ -3, 2, 1
    L(w) = (w - 2)², w0 = 5, η = 0.1       -> 5 -> 4.4 -> 3.92 -> ... -> 2

Substitua cada `raise NotImplementedError(...)` pela sua implementação.
"""


def numeric_derivative(f, x, h=1e-4):
    """Derivada numérica de f em x pela diferença para a frente.

    Ideia: empurre x um pouquinho (x + h) e veja quanto f mudou. A mudança
    dividida pelo tamanho do empurrão aproxima a inclinação da curva em x:

        f'(x) ≈ (f(x + h) - f(x)) / h

    Exemplo: f(x) = 3x² - 4x + 5 em x = 3.
        f(3) = 20 e f(3.0001) = 20.00140003
        (20.00140003 - 20) / 0.0001 ≈ 14.0003
    A derivada exata é 6x - 4 = 14; a sobra de 0.0003 é o erro do método,
    que encolhe junto com h (ele vale mais ou menos h/2 · f'').
    """
    raise NotImplementedError(
        "Implemente numeric_derivative: diferença para a frente (f(x + h) - f(x)) / h."
    )


def central_difference(f, x, h=1e-5):
    """Derivada numérica de f em x pela diferença central.

    Em vez de empurrar só para a frente, empurre para os dois lados e meça a
    inclinação entre x - h e x + h:

        f'(x) ≈ (f(x + h) - f(x - h)) / (2h)

    Os erros dos dois lados se cancelam em boa parte: o erro fica da ordem de
    h² (e não h, como na diferença para a frente). Por isso é a versão usada
    quando precisamos de precisão, como no gradient check.

    Exemplo: f(x) = 3x² - 4x + 5 em x = 3 dá praticamente 14.0000 (para uma
    parábola o erro da diferença central some; sobra só arredondamento).
    """
    raise NotImplementedError(
        "Implemente central_difference: (f(x + h) - f(x - h)) / (2 * h)."
    )


def partial_derivative(f, args, index, h=1e-4):
    """Derivada parcial de f em relação ao argumento args[index].

    Com várias entradas, empurramos uma de cada vez: somamos h só em
    args[index], deixamos as outras paradas e medimos quanto f mudou.

        ∂f/∂x_i ≈ (f(..., x_i + h, ...) - f(..., x_i, ...)) / h

    f recebe os argumentos soltos: chame f(*args). Não altere a sequência que
    você recebeu: monte uma cópia (por exemplo list(args)) e empurre a cópia.

    Exemplo: d = a·b + c em (a, b, c) = (2, -3, 10), com d = 4.
        index 0 (a): d vira 2.0001·(-3) + 10 = 3.9997 -> parcial ≈ -3 (= b)
        index 1 (b): parcial ≈ 2 (= a)
        index 2 (c): parcial ≈ 1
    """
    raise NotImplementedError(
        "Implemente partial_derivative: empurre só args[index] em h (numa cópia) e "
        "devolva (f(*empurrado) - f(*args)) / h."
    )


def gradient(f, args, h=1e-5):
    """Gradiente de f em args: a lista de todas as derivadas parciais.

    O gradiente junta num vetor a resposta de "quanto f muda se eu empurrar
    cada entrada": um número por argumento, na mesma ordem de args. Aqui cada
    parcial é medida com a diferença central, empurrando uma entrada por vez:

        ∂f/∂x_i ≈ (f(..., x_i + h, ...) - f(..., x_i - h, ...)) / (2h)

    Como sempre, não altere args: trabalhe em cópias.

    Exemplo: d = a·b + c em (2, -3, 10) dá aproximadamente [-3, 2, 1].
    O gradiente aponta para onde f mais cresce; o oposto dele é para onde
    f mais cai, e é por isso que ele guia o treino.
    """
    raise NotImplementedError(
        "Implemente gradient: uma lista com a diferença central em cada argumento, na ordem."
    )


def chain_rule(f_prime, g_prime, g, x):
    """Derivada da composição f(g(x)) pela regra da cadeia.

    Se g transforma x em u = g(x) e f transforma u na saída, os empurrões se
    multiplicam: um empurrão em x vira g'(x) vezes esse empurrão em u, que
    vira f'(u) vezes isso na saída. Logo:

        (f ∘ g)'(x) = f'(g(x)) · g'(x)

    Você recebe as funções f_prime, g_prime e g (todas de um número) e x.

    Exemplo: g(x) = 3x² - 4x + 5 e f(u) = u², em x = 3.
        g(3) = 20, f'(20) = 2·20 = 40, g'(3) = 14  ->  40 · 14 = 560
    É a mesma conta que o backward de uma rede faz, nó por nó.
    """
    raise NotImplementedError(
        "Implemente chain_rule: a derivada de fora, calculada em g(x), vezes a derivada de dentro, calculada em x."
    )


def descent_direction(derivative):
    """Para que lado mexer um peso para a loss cair: -1, +1 ou 0 (um int).

    A derivada diz o que acontece com a loss quando empurramos o peso para
    cima. Se ela é positiva, subir o peso aumenta a loss: devemos descer (-1).
    Se é negativa, subir o peso diminui a loss: devemos subir (+1). Se é zero,
    estamos num ponto plano e não há direção preferida (0).

    Exemplos:
        derivada 14 (f em x = 3)      -> -1
        derivada -2.5                 -> 1
        derivada 0                    -> 0
    Repare que só o sinal importa aqui, não o tamanho da derivada.
    """
    raise NotImplementedError(
        "Implemente descent_direction: -1 se a derivada for positiva, 1 se negativa, 0 se zero."
    )


def gradient_descent_step(params, grads, learning_rate):
    """Um passo de descida do gradiente: cada θ vira θ - η · grad.

    Andamos contra o gradiente (a direção em que a loss cai), com um passo
    proporcional ao tamanho da derivada e à taxa de aprendizado η:

        θ_novo = θ - η · ∂L/∂θ

    params e grads têm o mesmo tamanho; devolva uma lista nova e não altere
    nenhuma das duas entradas.

    Exemplo: L(w) = (w - 2)², gradiente 2(w - 2). Em w = 5 o gradiente é 6;
    com η = 0.1:
        gradient_descent_step([5], [6], 0.1) -> [4.4]
    """
    raise NotImplementedError(
        "Implemente gradient_descent_step: devolva uma lista nova com p - learning_rate * g."
    )


def gradient_descent(grad_fn, w0, learning_rate, iterations):
    """Repete o passo de descida e devolve a trajetória inteira.

    Começando em w0, faça `iterations` vezes:

        w = w - η · grad_fn(w)

    e guarde cada valor. O resultado é [w0, w1, ..., w_iterations], com
    iterations + 1 elementos (o ponto de partida entra na lista).

    Exemplo: L(w) = (w - 2)², grad_fn(w) = 2(w - 2), w0 = 5, η = 0.1.
        5 -> 4.4 -> 3.92 -> 3.536 -> ...
    A cada passo a distância até 2 é multiplicada por 0.8 (3, 2.4, 1.92, ...),
    então a trajetória se aproxima do mínimo w = 2.
    """
    raise NotImplementedError(
        "Implemente gradient_descent: aplique w = w - learning_rate * grad_fn(w) "
        "iterations vezes e devolva [w0, w1, ..., w_iterations]."
    )
