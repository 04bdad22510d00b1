"""Testes públicos de `gradient-check`, com um parâmetro feito à mão (sem Value)."""
from grader.testing import close, equal, sequence

SQUARE = '''
class Param:
    def __init__(self, data):
        self.data, self.grad = data, 0.0

class Loss:
    def __init__(self, data, backward):
        self.data, self.backward = data, backward

w = Param(3.0)

def compute_loss():
    x = w.data
    def backward():
        w.grad += 2 * x
    return Loss(x * x, backward)
'''


def test_numeric_gradient_central(student):
    got = student.run("from gradient_check import numeric_gradient\n" + SQUARE +
                      "result = [numeric_gradient(compute_loss, w), w.data]", what="numeric_gradient")
    value, after = sequence(got, "numeric_gradient", 2)
    close(value, 6.0, "numeric_gradient de L(w) = w² em w = 3", "numeric_central")
    equal(after, 3.0, "w.data depois de numeric_gradient", "restore")


def test_gradient_check_pairs(student):
    got = student.run("from gradient_check import gradient_check\n" + SQUARE +
                      "result = [list(p) for p in gradient_check(compute_loss, [w])]", what="gradient_check")
    (pair,) = sequence(got, "gradient_check(compute_loss, [w])", 1)
    analytic, numeric = sequence(pair, "gradient_check(...)[0]", 2)
    close(analytic, 6.0, "o gradiente analítico de L(w) = w² em w = 3", "gradient_check")
    close(numeric, 6.0, "o gradiente numérico de L(w) = w² em w = 3", "gradient_check")


def test_check_passes_examples(student):
    got = student.run("from gradient_check import check_passes\n"
                      "result = [check_passes([]), check_passes([(1.0, 1.000001)]), check_passes([(1.0, 1.1)])]",
                      what="check_passes")
    equal(got, [True, True, False], "check_passes([]), ([(1, 1.000001)]), ([(1, 1.1)])", "strict")
