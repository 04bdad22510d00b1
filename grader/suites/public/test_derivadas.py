"""Testes públicos de `derivadas`: os exemplos do curso."""
from grader.testing import close, equal, run


def test_numeric_derivative_course_example(student):
    what = "numeric_derivative(f, 3.0) com f(x) = 3x² - 4x + 5"
    got = run(student, "from derivatives import numeric_derivative\n"
              "result = numeric_derivative(lambda x: 3 * x ** 2 - 4 * x + 5, 3.0)", what, "forward_difference")
    close(got, 14.0003, what, "forward_difference", rel=1e-4)


def test_central_difference_of_square(student):
    got = run(student, "from derivatives import central_difference\nresult = central_difference(lambda x: x * x, 3.0)",
              "central_difference(x², 3.0)", "central_difference")
    close(got, 6.0, "central_difference(x², 3.0)", "central_difference", rel=1e-6)


def test_partial_derivative_course_example(student):
    for index, expected in enumerate([-3.0, 2.0, 1.0]):
        what = f"partial_derivative de a·b + c em (2, -3, 10), index={index}"
        got = run(student, "from derivatives import partial_derivative\n"
                  "args = [2.0, -3.0, 10.0]\n"
                  "result = [partial_derivative(lambda a, b, c: a * b + c, args, index), args]",
                  what, "partial_fixed", index=index)
        value, after = got if isinstance(got, list) and len(got) == 2 else (got, None)
        close(value, expected, what, "partial_fixed", rel=1e-3, abs_tol=1e-3)
        equal(after, [2.0, -3.0, 10.0], f"args depois de {what} (a lista de quem chamou não pode mudar)",
              "partial_fixed")


def test_chain_rule_example(student):
    what = "chain_rule para f(u) = u², g(x) = 3x + 1 em x = 1"
    got = run(student, "from derivatives import chain_rule\n"
              "result = chain_rule(lambda u: 2 * u, lambda x: 3.0, lambda x: 3 * x + 1, 1.0)", what, "chain")
    close(got, 24.0, what, "chain")
