"""Testes públicos de `gradiente-direcao`: os exemplos do curso."""
from grader.testing import close_all, require


def test_descent_direction_examples(student):
    got = student.run("from derivatives import descent_direction\n"
                      "result = [descent_direction(14.0), descent_direction(-0.5), descent_direction(0.0)]",
                      what="descent_direction")
    require(got == [-1, 1, 0], f"descent_direction(14), (-0.5), (0): esperava [-1, 1, 0], veio {got}.", "direction")


def test_gradient_of_course_example(student):
    got = student.run("from derivatives import gradient\n"
                      "result = gradient(lambda a, b, c: a * b + c, [2.0, -3.0, 10.0])", what="gradient")
    close_all(got, [-3.0, 2.0, 1.0], "gradient(a·b + c, [2, -3, 10])", "central_difference", rel=1e-5, abs_tol=1e-5)


def test_gradient_descent_course_example(student):
    got = student.run("from derivatives import gradient_descent\n"
                      "result = gradient_descent(lambda w: 2 * (w - 2), 5.0, 0.1, 2)", what="gradient_descent")
    close_all(got, [5.0, 4.4, 3.92], "gradient_descent(2(w - 2), w0=5, η=0.1, 2 iterações)", "trajectory")


def test_gradient_descent_step_example(student):
    got = student.run("from derivatives import gradient_descent_step\n"
                      "result = gradient_descent_step([5.0, 1.0], [6.0, -2.0], 0.1)", what="gradient_descent_step")
    close_all(got, [4.4, 1.2], "gradient_descent_step([5, 1], [6, -2], 0.1)", "descent_sign")
