"""Funções de perda (loss) e seus gradientes.

A loss resume num único número o quanto o modelo está errando. Treinar é
empurrar os pesos na direção que faz esse número cair, e para isso precisamos
da derivada da loss: quanto ela muda quando damos um empurrãozinho em cada
previsão.

Aqui você implementa as duas losses do curso:
  - MSE (erro quadrático médio), para regressão;
  - cross-entropy (binária e multiclasse), para classificação;
e vê por que, com uma sigmoide na saída, a cross-entropy aprende bem mais
rápido que a MSE quando o modelo está muito errado.

Regras comuns às funções de lote (mse, binary_cross_entropy, cross_entropy,
mse_gradient, cross_entropy_gradient):
  - tamanhos diferentes ou entrada vazia levantam ValueError;
  - y_true e labels são números comuns;
  - em mse e binary_cross_entropy, as previsões podem ser floats ou Values
    (com Values, o resultado é um Value e loss.backward() funciona);
  - nenhuma função altera as listas que recebe.
"""
import math  # noqa: F401  (você vai precisar de math.log e math.exp)


def mse(y_true, y_pred):
    """Erro quadrático médio: a média de (previsão - alvo)².

        MSE = (1/n) · Σ (p_i - y_i)²

    Elevar ao quadrado deixa todo erro positivo e pune mais os erros grandes.
    Escreva a conta só com operações que Value também tem (-, **, +, *): assim
    a mesma função serve para floats e para Values, e no caso de Values o
    resultado backpropaga até cada previsão.

    Exemplo: y_true = [1, 0], y_pred = [0.8, 0.4]
        ((0.8 - 1)² + (0.4 - 0)²) / 2 = (0.04 + 0.16) / 2 = 0.1

    Tamanhos diferentes ou listas vazias: levante ValueError.
    """
    raise NotImplementedError(
        "Implemente mse: valide os tamanhos (ValueError) e devolva a média de (p - y) ** 2."
    )


def binary_cross_entropy(y_true, p_pred, eps=1e-12):
    """Cross-entropy binária: a média de -(y·log p + (1 - y)·log(1 - p)).

    p é a probabilidade prevista da classe 1. Se y = 1, a loss é -log p: vale
    0 quando p = 1 e explode quando p -> 0. Ela pune muito um modelo que tem
    certeza e está errado.

    - p float: corte p para o intervalo [eps, 1 - eps] antes do log, para que
      p = 0 ou p = 1 deem um número finito (y = 1, p = 0 -> -log(1e-12) ≈ 27.63).
    - p Value: use p.log() e (1 - p).log() para a loss backpropagar.

    Exemplo: y_true = [1, 0], p_pred = [0.9, 0.2]
        (-log 0.9 - log 0.8) / 2 = (0.1054 + 0.2231) / 2 ≈ 0.1643

    Tamanhos diferentes ou listas vazias: levante ValueError.
    """
    raise NotImplementedError(
        "Implemente binary_cross_entropy: média de -(y*log(p) + (1-y)*log(1-p)), cortando p "
        "em [eps, 1 - eps] quando for float e usando p.log() quando for Value."
    )


def softmax(logits):
    """Softmax estável: transforma logits em probabilidades que somam 1.

        softmax(z)_i = e^(z_i - m) / Σ_j e^(z_j - m),   com m = max(z)

    Subtrair o máximo não muda o resultado (o fator e^(-m) cancela em cima e
    embaixo), mas evita estouro: sem isso, e^1000 já dá OverflowError. Com o
    deslocamento, o maior expoente é e^0 = 1.

    Exemplos:
        softmax([2, 1, 0])  -> [0.6652, 0.2447, 0.0900]
        softmax([1000, 0])  -> [1.0, 0.0]   (finito, sem nan)
    Devolva uma lista de floats.
    """
    raise NotImplementedError(
        "Implemente softmax: subtraia o máximo, exponencie e divida pela soma."
    )


def cross_entropy(logits_batch, labels):
    """Cross-entropy multiclasse média, a partir de logits (truque do log-sum-exp).

    Para uma amostra com logits z e classe correta k, a loss é -log softmax(z)_k.
    Em vez de calcular o softmax e depois o log (log de um número que pode
    ter virado 0), use a identidade:

        -log softmax(z)_k = LSE(z) - z_k,   LSE(z) = m + log Σ_j e^(z_j - m),  m = max(z)

    e tire a média sobre o lote. labels são índices de classe (0, 1, 2, ...).

    Exemplos:
        cross_entropy([[2, 1, 0]], [0])  ≈ 0.4076   (= -log 0.6652)
        cross_entropy([[1000, 0]], [1])  ≈ 1000      (sem overflow, sem nan)

    Tamanhos diferentes ou listas vazias: levante ValueError.
    """
    raise NotImplementedError(
        "Implemente cross_entropy: média de LSE(z) - z[k], com LSE(z) = m + log(sum(exp(z - m)))."
    )


def mse_gradient(y_true, y_pred):
    """Gradiente da MSE em relação a cada previsão: 2(p_i - y_i) / n.

    Derivando (1/n) · Σ (p_i - y_i)² em relação a p_i, só uma parcela depende
    de p_i, e a derivada dela é 2(p_i - y_i); o 1/n continua lá.
    O sinal diz para onde empurrar: negativo quer dizer "aumente a previsão".

    Exemplo: y_true = [1, 0], y_pred = [0.8, 0.4]
        [2·(0.8 - 1)/2, 2·(0.4 - 0)/2] = [-0.2, 0.4]
    Ou seja: se empurrarmos a primeira previsão de 0.8 para 0.81, a MSE cai
    cerca de 0.2 · 0.01 = 0.002.

    Devolva uma lista de floats. Tamanhos diferentes ou vazio: ValueError.
    """
    raise NotImplementedError(
        "Implemente mse_gradient: derive (p - y)² em relação a p, para cada par, e lembre que a loss é uma média."
    )


def cross_entropy_gradient(logits_batch, labels):
    """Gradiente da cross-entropy média em relação aos logits: (softmax - onehot) / n.

    Para uma amostra com classe k, a derivada de LSE(z) - z_k em relação a z_j
    é softmax(z)_j - [j == k]. Como a loss é a média do lote, divida por n.
    É um resultado bonito: o gradiente é "o que o modelo previu menos o que
    devia ter previsto".

    Exemplo: cross_entropy_gradient([[2, 1, 0]], [0])
        softmax = [0.6652, 0.2447, 0.0900], onehot = [1, 0, 0]
        -> [[-0.3348, 0.2447, 0.0900]]
    (empurrar o logit da classe certa para cima faz a loss cair).

    Devolva uma lista de listas, uma por amostra. Tamanhos diferentes ou vazio: ValueError.
    """
    raise NotImplementedError(
        "Implemente cross_entropy_gradient: para cada amostra, (softmax(z) - onehot(k)) / n."
    )


def sigmoid_output_gradients(z, y):
    """Compara dMSE/dz e dBCE/dz para uma amostra com p = σ(z); devolve a tupla (mse, bce).

    Pela regra da cadeia, dL/dz = dL/dp · dp/dz, com dp/dz = p(1 - p):
        MSE = (p - y)²              -> dMSE/dz = 2(p - y) · p(1 - p)
        BCE = -(y log p + ...)      -> dBCE/dz = p - y   (o p(1 - p) cancela!)

    Por que a MSE aprende devagar: quando a sigmoide satura (|z| grande),
    p(1 - p) fica minúsculo e esmaga o gradiente da MSE, mesmo que o modelo
    esteja completamente errado. A BCE não tem esse fator.

    Exemplo: z = -5, y = 1 (o modelo diz p ≈ 0.0067, mas a resposta era 1)
        dMSE/dz ≈ -0.0132     dBCE/dz ≈ -0.9933
    Calcule σ(z) de forma estável (veja Value.sigmoid) para |z| grande.
    """
    raise NotImplementedError(
        "Implemente sigmoid_output_gradients: regra da cadeia, dL/dp vezes dp/dz = p(1 - p), "
        "para cada loss; na BCE, veja o que se cancela."
    )


def choose_loss(task):
    """Qual loss usar para cada tipo de tarefa.

    - "regression" (prever um número, como um preço): "mse". O erro
      quadrático mede bem a distância até um alvo contínuo.
    - "classification" (prever uma classe, com probabilidades de uma sigmoide
      ou softmax): "cross_entropy". Ela pune previsões confiantes e erradas e
      não sofre com a saturação da sigmoide (veja sigmoid_output_gradients).
    - qualquer outra coisa: levante ValueError.

    Exemplo: choose_loss("regression") -> "mse"
    """
    raise NotImplementedError(
        "Implemente choose_loss: 'regression' -> 'mse', 'classification' -> 'cross_entropy', "
        "outro valor -> ValueError."
    )
