"""Testes públicos de `value-backprop`: o exemplo d = a·b + c e os erros clássicos
que o stub e o notebook avisam (acumular com `+=`, multiplicar por out.grad em
toda operação, começar o backward com grad = 1), com as mensagens e dicas dos
testes do avaliador. Os valores são fixos; os testes do avaliador sorteiam outros."""
import math

import pytest

from grader.testing import close, close_all, keyed, number_is, run, sequence
from grader.show.value_graph import drawn, expected

IMPORT = "from value import Value\n"
ONE_OP = IMPORT + "a = Value(x)\nout = {expr}\nout.backward()\nresult = [out.data, a.grad]"
ROOT_GRAD = "\nresult.append(out.grad)"
A, K = 0.7, 2.5   # a, and the factor of an outer `* k` (so out.grad is not 1 inside the graph)


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# operation: (expression on a, value, local derivative)
UNARY = {
    "tanh": ("a.tanh()", math.tanh, lambda a: 1 - math.tanh(a) ** 2),
    "exp": ("a.exp()", math.exp, math.exp),
    "log": ("a.log()", math.log, lambda a: 1 / a),
    "relu": ("a.relu()", lambda a: max(a, 0.0), lambda a: 1.0 if a > 0 else 0.0),
    "sigmoid": ("a.sigmoid()", sigmoid, lambda a: sigmoid(a) * (1 - sigmoid(a))),
    "pow": ("a ** 3", lambda a: a ** 3, lambda a: 3 * a ** 2),
}


def seen(data, want, root, default="local_derivative"):
    return keyed(default, root_grad=not number_is(root, 1.0), forward_value=not number_is(data, want))


def test_course_expression(student):
    code = IMPORT + "a, b, c = Value(2.0), Value(-3.0), Value(10.0)\nout = a * b + c\nout.backward()\n"
    got = run(student, code + "result = [out.data, a.grad, b.grad, c.grad, out.grad]", "d = a·b + c",
              "local_derivative")
    *got, root = sequence(got, "d = a·b + c", 5)
    graph = expected([("out", "+", 4.0, 1.0), ("", "*", -6.0, 1.0), ("a", "", 2.0, -3.0), ("b", "", -3.0, 2.0),
                      ("c", "", 10.0, 1.0)], [(1, 0), (4, 0), (2, 1), (3, 1)])
    with drawn(student, code, graph):
        close_all(got, [4.0, -3.0, 2.0, 1.0], "[d.data, a.grad, b.grad, c.grad] para d = a·b + c em (2, -3, 10)",
                  seen(got[0], 4.0, root))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_operation_inside_a_graph(student, name):
    # Inside a graph, out.grad is K, not 1: a _backward that forgets `* out.grad` is off by K.
    expr, fn, deriv = UNARY[name]
    shown = f"({expr}) * {K}"
    code = ONE_OP.format(expr=f"({expr}) * k")
    got = run(student, code + ROOT_GRAD, f"Value: {shown}", "local_derivative", x=A, k=K)
    data, grad, root = sequence(got, f"Value: {shown}", 3)
    hint = seen(data, K * fn(A), root)
    graph = expected([("out", "*", K * fn(A), 1.0), ("", name, fn(A), K), ("a", "", A, K * deriv(A)),
                      (f"{K:.4g}", "", K, fn(A))], [(1, 0), (3, 0), (2, 1)])
    what = f"com a = Value({A!r}), out = {shown}; out.backward():"
    with drawn(student, code, graph, x=A, k=K):
        close(data, K * fn(A), f"{what} out.data", hint)
        close(grad, K * deriv(A), f"{what} a.grad", hint)


# The result of an operation added back to its own input: its _backward runs
# after the outer +, so it must add to a.grad (`+=`), never replace it (`=`).
REUSED = {
    "add": ("(a + 1.5) + a", lambda a: 2.0),
    "mul": ("(a * 2.5) + a", lambda a: 3.5),
    "tanh": ("a.tanh() + a", lambda a: 1 - math.tanh(a) ** 2 + 1),
    "exp": ("a.exp() + a", lambda a: math.exp(a) + 1),
}


@pytest.mark.parametrize("name", sorted(REUSED))
def test_result_reused_with_its_input(student, name):
    expr, slope = REUSED[name]
    code = ONE_OP.format(expr=expr)
    got = run(student, code + ROOT_GRAD, f"Value: {expr}", "accumulate", x=A)
    _, grad, root = sequence(got, f"Value: {expr}", 3)
    close(grad, slope(A), f"com a = Value({A!r}), out = {expr}; out.backward(): a.grad",
          keyed("accumulate", root_grad=not number_is(root, 1.0)))


@pytest.mark.parametrize("expr, slope", [("a + a", lambda a: 2.0), ("a * a", lambda a: 2 * a)], ids=["add", "mul"])
def test_node_used_twice_accumulates(student, expr, slope):
    code = ONE_OP.format(expr=expr)
    got = run(student, code + ROOT_GRAD, f"Value: {expr}", "accumulate", x=A)
    _, grad, root = sequence(got, f"Value: {expr}", 3)
    close(grad, slope(A), f"com a = Value({A!r}), out = {expr}; out.backward(): a.grad",
          keyed("accumulate", root_grad=not number_is(root, 1.0)))
