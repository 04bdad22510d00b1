"""Testes públicos de `gradiente-direcao`: os exemplos do curso."""
from grader.testing import close_all, equal, run


def test_descent_direction_examples(student):
    what = "[descent_direction(14), descent_direction(-0.5), descent_direction(0)]"
    got = run(student, "from derivatives import descent_direction\n"
              "result = [descent_direction(14.0), descent_direction(-0.5), descent_direction(0.0)]", what, "direction")
    equal(got, [-1, 1, 0], what, "direction")


def test_gradient_of_course_example(student):
    what = "gradient(a·b + c, [2, -3, 10])"
    got = run(student, "from derivatives import gradient\n"
              "result = gradient(lambda a, b, c: a * b + c, [2.0, -3.0, 10.0])", what, "central_difference")
    close_all(got, [-3.0, 2.0, 1.0], what, "central_difference", rel=1e-5, abs_tol=1e-5)


def test_gradient_descent_course_example(student):
    what = "gradient_descent(2(w - 2), w0=5, η=0.1, 2 iterações)"
    got = run(student, "from derivatives import gradient_descent\n"
              "result = gradient_descent(lambda w: 2 * (w - 2), 5.0, 0.1, 2)", what, "trajectory")
    close_all(got, [5.0, 4.4, 3.92], what, "trajectory")


def test_gradient_descent_step_example(student):
    what = "gradient_descent_step([5, 1], [6, -2], 0.1)"
    got = run(student, "from derivatives import gradient_descent_step\n"
              "params = [5.0, 1.0]\nresult = [gradient_descent_step(params, [6.0, -2.0], 0.1), params]",
              what, "descent_sign")
    value, after = got if isinstance(got, list) and len(got) == 2 else (got, None)
    close_all(value, [4.4, 1.2], what, "descent_sign")
    equal(after, [5.0, 1.0], f"params depois de {what}", "no_mutation")
