"""Entregável: gradient check de um MLP pequeno.

O backward() do seu Value calcula as derivadas da loss de forma analítica
(regra da cadeia, nó por nó). O gradient check confere essa conta medindo as
mesmas derivadas "na mão": empurramos um peso um pouquinho, recalculamos a
loss e vemos quanto ela mudou. Se as duas respostas batem, o backward está
certo. Um bom gradient check precisa também reprovar um backward errado.

A lição do entregável: o jeito de medir importa. A receita literal do curso
é empurrar o peso em +0.001, usar a diferença para a frente e comparar com a
derivada analítica com tolerância 1e-5. Pela série de Taylor,

    (L(w + h) - L(w)) / h          = L'(w) + (h/2)·L''(w) + ...
    (L(w + h) - L(w - h)) / (2h)   = L'(w) + (h²/6)·L'''(w) + ...

Com h = 0.001, a diferença para a frente erra cerca de 0.0005·L'', mais que
a tolerância sempre que |L''| passa de 0.02. A central erra cerca de 1e-7.
Medido na solução de referência, com um MLP(2, [4, 4, 1]), 20 pontos e
cross-entropy: a diferença para a frente aprova só 18 dos 37 parâmetros, e a
central aprova os 37. O backward não tinha erro nenhum: a régua é que era
grossa. Por isso gradient_check usa diferenças centrais.

Para ver isso acontecer com as suas funções, rode este arquivo
(`python gradient_check.py`, na pasta onde estão ele, value.py e mlp.py) ou,
no notebook, a célula do experimento: a referência mostra 18 contra 37. Os
números exatos dependem do seu make_dataset, mas o padrão deve ser o mesmo.

O MLP (mlp.py, arquivo dado) é construído sobre o seu Value (value.py).
"""
import random  # noqa: F401  (para make_dataset: use random.Random(seed))


def make_dataset(n=100, seed=0):
    """Gera (X, y): n pontos 2D sintéticos com rótulos 0/1, para o MLP classificar.

    Sugestão: duas nuvens de pontos, uma em torno de (-1, -1) com rótulo 0 e
    outra em torno de (1, 1) com rótulo 1 (por exemplo, ruído gaussiano com
    desvio 0.7). Alternar os rótulos (i % 2) garante as duas classes.

    Regras:
    - X é uma lista de n pares [x1, x2]; y é uma lista de n rótulos 0 ou 1;
    - as duas classes aparecem (n >= 2);
    - mesma seed, mesma saída: use um gerador próprio, rng = random.Random(seed),
      e nunca random.seed(...), que mexeria no estado global de quem chamou.

    Exemplo: X, y = make_dataset(4, seed=1) -> len(X) == 4 e, alternando os
    rótulos, y == [0, 1, 0, 1]; chamar de novo com seed=1 devolve o mesmo X.
    """
    raise NotImplementedError(
        "Implemente make_dataset: n pontos 2D com rótulos 0/1 (as duas classes), "
        "usando rng = random.Random(seed)."
    )


def mlp_loss(model, X, y, loss="mse"):
    """Loss média do modelo sobre os dados, como um Value (para dar backward depois).

    Para cada ponto, o modelo devolve um logit z = model(x); a probabilidade
    da classe 1 é p = z.sigmoid(). Depois:
        "mse":            (p - y)²
        "cross_entropy":  -(y·log p + (1 - y)·log(1 - p))   (com p.log(), (1 - p).log())
    e tire a média sobre os n pontos. Outro valor de loss: ValueError.

    Exemplo: um modelo que devolve z = 0 para todo ponto dá p = 0.5, então
        mse           = 0.25
        cross_entropy = log 2 ≈ 0.6931
    Tudo precisa ser feito com operações de Value, para a loss backpropagar
    até os pesos.
    """
    raise NotImplementedError(
        "Implemente mlp_loss: média de (p - y) ** 2 ou da cross-entropy binária, com "
        "p = model(x).sigmoid(); loss desconhecida -> ValueError."
    )


def numeric_gradient(compute_loss, param, h=1e-3, method="central"):
    """Derivada numérica da loss em relação a um peso, empurrando param.data.

    compute_loss() recalcula a loss (algo com .data) com os pesos atuais.
        "central":  (L(w + h) - L(w - h)) / (2h)
        "forward":  (L(w + h) - L(w)) / h    (a receita literal do curso)
    Outro method: ValueError.

    Ao terminar, devolva o peso EXATAMENTE ao valor original: guarde
    original = param.data e atribua de volta (w + h - h nem sempre é w em
    ponto flutuante). Um try/finally garante isso mesmo se algo falhar.

    Exemplo: L(w) = (w - 2)² em w = 5 (derivada exata 6), h = 0.001:
        forward -> (9.006001 - 9) / 0.001 = 6.001   (erro h/2 · L'' = 0.001)
        central -> 6.000                             (o erro some numa parábola)
    """
    raise NotImplementedError(
        "Implemente numeric_gradient: empurre param.data em +h (e -h, se central), "
        "aplique a fórmula e restaure o valor original."
    )


def gradient_check(compute_loss, parameters, h=1e-3):
    """Lista de pares (analítico, numérico), um por parâmetro, na ordem recebida.

    Passos:
    1. zere o grad de todos os parâmetros (p.grad = 0.0), senão o backward
       acumula em cima de gradientes antigos;
    2. calcule a loss uma vez e chame backward() uma única vez;
    3. guarde os grads analíticos;
    4. para cada parâmetro, meça a derivada com numeric_gradient (central).

    Exemplo: um único peso w = 5 com L(w) = (w - 2)²:
        gradient_check(...) -> [(6.0, 6.000...)]
    Se o backward tiver um erro (por exemplo, `=` no lugar de `+=`), os pares
    deixam de bater e check_passes precisa reprovar.
    """
    raise NotImplementedError(
        "Implemente gradient_check: zere os grads, chame backward() e, para cada parâmetro, "
        "devolva o par (gradiente do backward, gradiente numérico com o mesmo h)."
    )


def check_passes(pairs, tol=1e-5):
    """O gradient check passou? True se TODOS os pares têm |analítico - numérico| < tol.

    A comparação é estrita (<). Uma lista vazia passa (não há nada errado).

    Exemplos, com a derivada exata 6 de L(w) = (w - 2)² em w = 5:
        check_passes([(6.0, 6.0000001)])  -> True    (diferença central)
        check_passes([(6.0, 6.001)])      -> False   (diferença para a frente, h = 0.001)
        check_passes([])                  -> True
    O segundo caso é a lição do entregável: o backward estava certo, mas a
    medição grosseira reprova.
    """
    raise NotImplementedError(
        "Implemente check_passes: passa só se, em todos os pares, a diferença absoluta for menor que tol."
    )


def loss_goes_up(compute_loss, param, h=1e-3):
    """Responde: se eu empurrar este peso um pouquinho para cima, a loss sobe? (um bool)

    Responda de dois jeitos e exija que concordem:
    - pela derivada analítica: zere param.grad, calcule a loss, chame backward();
      se param.grad > 0, a loss sobe quando o peso sobe;
    - pela medição: some h em param.data, recalcule a loss e compare com a de antes.
    Depois, devolva param.data exatamente ao valor original.

    Exemplo: L(w) = (w - 2)².
        w = 5: grad = 6 > 0 e L(5.001) = 9.006001 > 9 = L(5)  -> True
        w = 1: grad = -2 < 0 e L(1.001) = 0.998001 < 1 = L(1) -> False
    """
    raise NotImplementedError(
        "Implemente loss_goes_up: confira o sinal de param.grad depois de um backward() e "
        "confirme empurrando param.data em +h; restaure o peso."
    )


def train(model, X, y, steps=50, learning_rate=0.1, loss="cross_entropy"):
    """Descida do gradiente simples no MLP; devolve o histórico da loss.

    Em cada um dos `steps` passos:
    1. calcule a loss com mlp_loss(model, X, y, loss);
    2. zere os grads (model.zero_grad());
    3. chame backward() na loss;
    4. mova cada peso contra o gradiente: p.data -= learning_rate * p.grad;
    5. guarde loss.data (um float) no histórico.

    history[i] é a loss calculada no passo i, antes da atualização desse passo,
    e len(history) == steps. Se tudo estiver certo, a loss cai: com
    MLP(2, [4, 4, 1], seed=0) e os 20 pontos de make_dataset(20, seed=1) da
    referência, ela vai de ≈ 0.54 para ≈ 0.17 em 50 passos.
    """
    raise NotImplementedError(
        "Implemente train: a cada passo, loss, zero_grad(), backward() e cada peso andando contra o "
        "seu gradiente; devolva a lista das losses (floats), uma por passo."
    )


if __name__ == "__main__":
    def passing(pairs, tol=1e-5):
        return sum(abs(a - n) < tol for a, n in pairs)

    try:
        from mlp import MLP   # o mlp.py importa o seu Value de value.py

        X, y = make_dataset(20, seed=1)
        model = MLP(2, [4, 4, 1], seed=0)
        params = model.parameters()

        def compute():
            return mlp_loss(model, X, y, "cross_entropy")

        central = gradient_check(compute, params)
        forward = [(a, numeric_gradient(compute, p, 1e-3, "forward"))
                   for (a, _), p in zip(central, params)]
    except NotImplementedError as exc:
        print(f"Ainda falta implementar: {exc}")
    except ModuleNotFoundError as exc:
        print(f"O experimento precisa de {exc.name}.py nesta pasta (o seu value.py e o mlp.py dado); "
              "veja a célula de preparação no começo.")
    else:
        worst_forward = max(abs(a - n) for a, n in forward)
        worst_central = max(abs(a - n) for a, n in central)
        print(f"{len(params)} parâmetros: forward passa em {passing(forward)}, "
              f"central passa em {passing(central)}")
        print(f"maior diferença: forward {worst_forward:.2e}, central {worst_central:.2e} "
              f"(tolerância 1e-5)")
