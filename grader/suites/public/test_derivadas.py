"""Testes públicos de `derivadas`: os exemplos do curso."""
from grader.testing import close


def test_numeric_derivative_course_example(student):
    got = student.run("from derivatives import numeric_derivative\n"
                      "result = numeric_derivative(lambda x: 3 * x ** 2 - 4 * x + 5, 3.0)", what="numeric_derivative")
    close(got, 14.0003, "numeric_derivative(f, 3.0) com f(x) = 3x² - 4x + 5", "forward_difference", rel=1e-4)


def test_central_difference_of_square(student):
    got = student.run("from derivatives import central_difference\n"
                      "result = central_difference(lambda x: x * x, 3.0)", what="central_difference")
    close(got, 6.0, "central_difference(x², 3.0)", "central_difference", rel=1e-6)


def test_partial_derivative_course_example(student):
    for index, expected in enumerate([-3.0, 2.0, 1.0]):
        got = student.run("from derivatives import partial_derivative\n"
                          "result = partial_derivative(lambda a, b, c: a * b + c, [2.0, -3.0, 10.0], index)",
                          what="partial_derivative", index=index)
        close(got, expected, f"partial_derivative de a·b + c em (2, -3, 10), index={index}", "partial_fixed",
              rel=1e-3, abs_tol=1e-3)


def test_chain_rule_example(student):
    got = student.run("from derivatives import chain_rule\n"
                      "result = chain_rule(lambda u: 2 * u, lambda x: 3.0, lambda x: 3 * x + 1, 1.0)",
                      what="chain_rule")
    close(got, 24.0, "chain_rule para f(u) = u², g(x) = 3x + 1 em x = 1", "chain")
