"""Testes públicos de `gradient-check`, com parâmetros feitos à mão (sem Value), e
os erros clássicos: devolver o peso exatamente ao valor original, zerar os grads
antes do backward, a desigualdade estrita, a comparação de loss_goes_up."""
import pytest

from grader.testing import close, equal, keyed, run, sequence, truth

# L(w) = w³ em cada peso; o backward soma 3w² ao .grad (não zera: isso é com quem chama).
CUBE = '''
class Param:
    def __init__(self, data):
        self.data, self.grad = data, 0.0

class Loss:
    def __init__(self, data, backward):
        self.data, self.backward = data, backward

params = [Param(v) for v in weights]

def compute_loss():
    w = [p.data for p in params]
    def backward():
        for p, wi in zip(params, w):
            p.grad += 3 * wi ** 2
    return Loss(sum(wi ** 3 for wi in w), backward)
'''
# Pesos que os jeitos descuidados de restaurar um empurrão de ±1e-3 não devolvem bit a bit
# (somar h e depois subtrair h, por exemplo), e um gradiente negativo.
WEIGHTS = [0.9997931879175648, -0.9998114354944274]
H = 1e-3


def cube_loss(w):
    return sum(v ** 3 for v in w)


def nudged(i, h):
    return [v + (h if j == i else 0.0) for j, v in enumerate(WEIGHTS)]


@pytest.mark.parametrize("method", ["central", "forward"])
def test_numeric_gradient(student, method):
    for i in range(len(WEIGHTS)):
        what = f"numeric_gradient(compute_loss, param, h={H}, method={method!r})"
        got = run(student, "from gradient_check import numeric_gradient\n" + CUBE +
                  "result = [numeric_gradient(compute_loss, params[i], h, method), params[i].data]",
                  "numeric_gradient", "numeric_central", weights=WEIGHTS, i=i, h=H, method=method)
        g, after = sequence(got, "numeric_gradient", 2)
        if method == "central":
            want = (cube_loss(nudged(i, H)) - cube_loss(nudged(i, -H))) / (2 * H)
        else:
            want = (cube_loss(nudged(i, H)) - cube_loss(WEIGHTS)) / H
        close(g, want, what, keyed("numeric_central", restore=after != WEIGHTS[i]))
        equal(after, WEIGHTS[i], f"param.data depois de {what} (valor original {WEIGHTS[i]!r})", "restore")


def test_gradient_check_zeroes_stale_grads(student):
    got = run(student, "from gradient_check import gradient_check\n" + CUBE + "for p in params:\n    p.grad = 7.5\n"
              "result = [[list(pair) for pair in gradient_check(compute_loss, params)], [p.data for p in params]]",
              "gradient_check", "gradient_check", weights=WEIGHTS)
    pairs, after = sequence(got, "gradient_check", 2)
    hint = keyed("gradient_check", restore=after != WEIGHTS)
    sequence(pairs, "gradient_check(compute_loss, params)", len(WEIGHTS), hint)
    for i, pair in enumerate(pairs):
        analytic, numeric = sequence(pair, f"gradient_check(...)[{i}]", 2, hint)
        close(analytic, 3 * WEIGHTS[i] ** 2, f"o gradiente analítico do parâmetro {i} em gradient_check (grads "
              "começavam em 7.5)", hint)
        close(numeric, (cube_loss(nudged(i, H)) - cube_loss(nudged(i, -H))) / (2 * H),
              f"o gradiente numérico do parâmetro {i} em gradient_check", hint)
    equal(after, WEIGHTS, "os parâmetros depois de gradient_check", "restore")


def test_check_passes_examples(student):
    cases = [([(1.0, 1.000001)], True), ([(1.0, 1.1)], False), ([], True), ([(0.0, 1e-5)], False),
             ([(1.0, 1.0), (2.0, 2.5)], False)]
    for pairs, expected in cases:
        what = f"check_passes({pairs})"
        got = run(student, "from gradient_check import check_passes\nresult = check_passes([tuple(p) for p in pairs])",
                  what, "strict", pairs=[list(p) for p in pairs])
        equal(truth(got, what, "strict"), expected, what, "strict")


def test_loss_goes_up(student):
    for i, g in enumerate(3 * w ** 2 for w in WEIGHTS):
        what = f"loss_goes_up para um peso com gradiente {g!r} (o .grad chegou com um valor velho de sinal contrário)"
        code = ("from gradient_check import loss_goes_up\n" + CUBE + "params[i].grad = stale\n"
                "result = [loss_goes_up(compute_loss, params[i]), params[i].data]")
        answer, after = sequence(run(student, code, what, "goes_up", weights=WEIGHTS, i=i, stale=-100.0),
                                 "loss_goes_up", 2)
        if truth(answer, what, "goes_up") != (g > 0):
            fresh = sequence(run(student, code, what, "goes_up", weights=WEIGHTS, i=i, stale=0.0), "loss_goes_up", 2)
            if fresh[0] == (g > 0):
                equal(answer, g > 0, what, "goes_up_stale")
            equal(answer, g > 0, f"loss_goes_up para um peso com gradiente {g!r}", "goes_up")
        equal(after, WEIGHTS[i], f"param.data depois de {what} (valor original {WEIGHTS[i]!r})", "restore")
