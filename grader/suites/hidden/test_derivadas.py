"""Item `derivadas`: numeric, central and partial derivatives, chain rule."""
import math

from grader.testing import RECORDED, close, equal, run, sequence, step_taken

POLY = "f = lambda t: sum(c * t ** i for i, c in enumerate(coeffs))\n"


def poly(coeffs):
    return lambda t: sum(c * t ** i for i, c in enumerate(coeffs))


def random_cubic(rng):
    return [rng.uniform(-5, 5) for _ in range(4)]


def test_numeric_derivative_course_example(student):
    got = run(student, "from derivatives import numeric_derivative\n"
              "result = numeric_derivative(lambda x: 3 * x ** 2 - 4 * x + 5, 3.0)",
              "numeric_derivative(f, 3.0) com f(x) = 3x² - 4x + 5", "forward_difference")
    f = lambda x: 3 * x ** 2 - 4 * x + 5  # noqa: E731
    close(got, (f(3.0 + 1e-4) - f(3.0)) / 1e-4, "numeric_derivative(f, 3.0) com f(x) = 3x² - 4x + 5",
          "forward_difference", rel=1e-7)


def shapes(rng):
    """A random cubic, and a line that is positive and falling at x (a wrong
    operator between f(x + h) and f(x) must not pass by luck of the signs)."""
    x = rng.uniform(0.5, 3)
    return [(random_cubic(rng), x, "um polinômio cúbico"),
            ([rng.uniform(20, 30), -rng.uniform(1, 3), 0.0, 0.0], x, "uma reta positiva e decrescente")]


def test_numeric_derivative_is_forward_difference(student, rng):
    h = rng.choice([0.01, 0.05, 0.1])
    for coeffs, x, shape in shapes(rng):
        what = f"numeric_derivative(f, {x!r}, h={h}) para {shape}"
        got = run(student, "from derivatives import numeric_derivative\n" + POLY +
                  "result = numeric_derivative(f, x, h)",
                  what, "forward_difference", coeffs=coeffs, x=x, h=h)
        f = poly(coeffs)
        close(got, (f(x + h) - f(x)) / h, what, "forward_difference")


def default_step(student, function, rng, expected, hint):
    coeffs, x = random_cubic(rng), rng.uniform(-3, 3)
    what = f"{function}(f, {x!r}) com o h padrão"
    got = run(student, f"from derivatives import {function}\n" + POLY + RECORDED +
              f"result = [{function}(recorded(f), x), seen]", what, hint, coeffs=coeffs, x=x)
    value, seen = sequence(got, what, 2)
    close(step_taken(seen, [x]), expected, f"{what}: a distância de x até onde f foi avaliada", hint, rel=1e-6,
          abs_tol=0.0)
    return value, poly(coeffs), x, what


def test_numeric_derivative_default_h(student, rng):
    value, f, x, what = default_step(student, "numeric_derivative", rng, 1e-4, "forward_difference")
    close(value, (f(x + 1e-4) - f(x)) / 1e-4, what, "forward_difference", rel=1e-5, abs_tol=1e-5)


def test_central_difference(student, rng):
    h = rng.choice([0.01, 0.05, 0.1])
    for coeffs, x, shape in shapes(rng):
        what = f"central_difference(f, {x!r}, h={h}) para {shape}"
        got = run(student, "from derivatives import central_difference\n" + POLY +
                  "result = central_difference(f, x, h)",
                  what, "central_difference", coeffs=coeffs, x=x, h=h)
        f = poly(coeffs)
        close(got, (f(x + h) - f(x - h)) / (2 * h), what, "central_difference")


def test_central_difference_default_h(student, rng):
    value, f, x, what = default_step(student, "central_difference", rng, 1e-5, "central_difference")
    close(value, (f(x + 1e-5) - f(x - 1e-5)) / 2e-5, what, "central_difference", rel=1e-5, abs_tol=1e-5)


def test_partial_derivative_course_example(student):
    for index, expected in enumerate([-3.0, 2.0, 1.0]):
        what = f"partial_derivative de d = a·b + c em (2, -3, 10), index={index}"
        got = run(student, "from derivatives import partial_derivative\n" + RECORDED +
                  "result = [partial_derivative(recorded(lambda a, b, c: a * b + c), [2.0, -3.0, 10.0], index), seen]",
                  what, "partial_fixed", index=index)
        value, seen = sequence(got, what, 2)
        close(value, expected, what, "partial_fixed", rel=1e-3, abs_tol=1e-3)
        close(step_taken(seen, [2.0, -3.0, 10.0]), 1e-4, f"{what} com o h padrão: a distância do ponto até onde f "
              "foi avaliada", "partial_fixed", rel=1e-6, abs_tol=0.0)


def test_partial_derivative_each_argument(student, rng):
    point = [rng.uniform(-3, 3) for _ in range(3)]
    h = rng.choice([0.01, 0.05])
    f = lambda a, b, c: a * a * b + c * b - c ** 3  # noqa: E731
    for index in range(3):
        got = run(student, "from derivatives import partial_derivative\n"
                  "args = tuple(point) if as_tuple else list(point)\n"
                  "value = partial_derivative(lambda a, b, c: a * a * b + c * b - c ** 3, args, index, h)\n"
                  "result = [value, list(args)]",
                  "partial_derivative", "partial_fixed", point=point, index=index, h=h, as_tuple=index == 1)
        nudged = list(point)
        nudged[index] += h
        what = f"partial_derivative(f, {[round(p, 3) for p in point]}, index={index}, h={h})"
        value, args_after = sequence(got, what, 2)
        close(value, (f(*nudged) - f(*point)) / h, what, "partial_fixed")
        equal(args_after, point, f"os argumentos depois de {what}", "partial_fixed")


def test_partial_derivative_of_a_numpy_array(student, rng):
    # SPEC section 4: the point may be a numpy array, and stays as it was.
    point, h = [rng.uniform(-3, 3) for _ in range(3)], rng.choice([0.01, 0.05])
    f = lambda a, b, c: a * a * b + c * b - c ** 3  # noqa: E731
    for index in range(3):
        got = run(student, "import numpy as np\nfrom derivatives import partial_derivative\n"
                  "args = np.array(point)\n"
                  "value = partial_derivative(lambda a, b, c: a * a * b + c * b - c ** 3, args, index, h)\n"
                  "result = [value, args.tolist()]",
                  "partial_derivative com um array numpy", "partial_fixed", point=point, index=index, h=h)
        nudged = list(point)
        nudged[index] += h
        what = f"partial_derivative(f, np.array({[round(p, 3) for p in point]}), index={index}, h={h})"
        value, args_after = sequence(got, what, 2)
        close(value, (f(*nudged) - f(*point)) / h, what, "partial_fixed")
        equal(args_after, point, f"o array depois de {what}", "no_mutation_array")


def test_chain_rule(student, rng):
    x, k = rng.uniform(-2, 2), rng.uniform(1.5, 3)
    got = run(student, "from derivatives import chain_rule\n"
              "result = chain_rule(lambda u: 3 * u ** 2, lambda t: k, lambda t: k * t + 1, x)",
              "chain_rule", "chain", x=x, k=k)
    # f(u) = u³, g(x) = kx + 1  →  f'(g(x))·g'(x) = 3(kx + 1)²·k
    close(got, 3 * (k * x + 1) ** 2 * k, f"chain_rule para f(u) = u³, g(x) = {k:.3g}x + 1 em x = {x:.4g}", "chain")


def test_chain_rule_outer_at_inner(student, rng):
    x = rng.uniform(0.5, 2)
    got = run(student, "import math\nfrom derivatives import chain_rule\n"
              "result = chain_rule(math.cos, lambda t: 2 * t, lambda t: t * t, x)",
              "chain_rule", "chain", x=x)
    close(got, math.cos(x * x) * 2 * x, f"chain_rule para sin(x²) em x = {x:.4g}", "chain")
