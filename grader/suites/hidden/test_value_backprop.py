"""Item `value-backprop`: every Value operation and backward().

Each operation is its own test, so a Value that lacks one (karpathy's
micrograd has no tanh, exp, log or sigmoid) loses only that test.
"""
import math

import pytest

from grader.checks import close, close_all, sequence

IMPORT = "from value import Value\n"

# name: (expression on a and b, its value, d/da, d/db)
BINARY = {
    "add": ("a + b", lambda a, b: a + b, lambda a, b: 1.0, lambda a, b: 1.0),
    "sub": ("a - b", lambda a, b: a - b, lambda a, b: 1.0, lambda a, b: -1.0),
    "mul": ("a * b", lambda a, b: a * b, lambda a, b: b, lambda a, b: a),
    "div": ("a / b", lambda a, b: a / b, lambda a, b: 1 / b, lambda a, b: -a / b ** 2),
}

# name: (expression on a, value, derivative, domain of a)
UNARY = {
    "neg": ("-a", lambda a: -a, lambda a: -1.0, (-3, 3)),
    "pow_int": ("a ** 3", lambda a: a ** 3, lambda a: 3 * a ** 2, (-2, 2)),
    "pow_negative": ("a ** -2", lambda a: a ** -2, lambda a: -2 * a ** -3, (0.5, 2)),
    "pow_float": ("a ** 0.5", lambda a: a ** 0.5, lambda a: 0.5 * a ** -0.5, (0.5, 4)),
    "radd": ("2.5 + a", lambda a: 2.5 + a, lambda a: 1.0, (-3, 3)),
    "rsub": ("2.5 - a", lambda a: 2.5 - a, lambda a: -1.0, (-3, 3)),
    "rmul": ("2.5 * a", lambda a: 2.5 * a, lambda a: 2.5, (-3, 3)),
    "rtruediv": ("2.5 / a", lambda a: 2.5 / a, lambda a: -2.5 / a ** 2, (0.5, 3)),
    "add_number": ("a + 1.5", lambda a: a + 1.5, lambda a: 1.0, (-3, 3)),
    "mul_number": ("a * -1.5", lambda a: a * -1.5, lambda a: -1.5, (-3, 3)),
    "tanh": ("a.tanh()", math.tanh, lambda a: 1 - math.tanh(a) ** 2, (-2, 2)),
    "exp": ("a.exp()", math.exp, math.exp, (-2, 2)),
    "log": ("a.log()", math.log, lambda a: 1 / a, (0.2, 5)),
    "relu_positive": ("a.relu()", lambda a: a, lambda a: 1.0, (0.1, 3)),
    "relu_negative": ("a.relu()", lambda a: 0.0, lambda a: 0.0, (-3, -0.1)),
    "sigmoid": ("a.sigmoid()", lambda a: 1 / (1 + math.exp(-a)),
                lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2, (-4, 4)),
}

ONE_OP = IMPORT + "a = Value(x)\nout = {expr}\nout.backward()\nresult = [out.data, a.grad]"
TWO_OPS = IMPORT + "a = Value(x)\nb = Value(y)\nout = {expr}\nout.backward()\nresult = [out.data, a.grad, b.grad]"


def away_from_zero(rng, low, high):
    value = rng.uniform(low, high)
    return value if abs(value) > 0.3 else value + (0.5 if value >= 0 else -0.5)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_operation(student, rng, name):
    expr, fn, da, db = BINARY[name]
    a, b = away_from_zero(rng, -3, 3), away_from_zero(rng, -3, 3)
    got = student.run(TWO_OPS.format(expr=expr), what=f"Value: {expr}", x=a, y=b)
    what = f"com a = Value({a:.4g}), b = Value({b:.4g}), out = {expr}; out.backward():"
    data, grad_a, grad_b = sequence(got, f"Value: {expr}", 3)
    close(data, fn(a, b), f"{what} out.data")
    close(grad_a, da(a, b), f"{what} a.grad", "local_derivative")
    close(grad_b, db(a, b), f"{what} b.grad", "local_derivative")


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_operation(student, rng, name):
    expr, fn, deriv, (low, high) = UNARY[name]
    a = rng.uniform(low, high)
    got = student.run(ONE_OP.format(expr=expr), what=f"Value: {expr}", x=a)
    what = f"com a = Value({a:.4g}), out = {expr}; out.backward():"
    data, grad = sequence(got, f"Value: {expr}", 2)
    close(data, fn(a), f"{what} out.data")
    close(grad, deriv(a), f"{what} a.grad", "relu_zero" if name.startswith("relu") else "local_derivative")


def test_relu_at_zero(student):
    got = student.run(ONE_OP.format(expr="a.relu()"), what="Value(0.0).relu()", x=0.0)
    data, grad = sequence(got, "Value(0.0).relu()", 2)
    close(data, 0.0, "Value(0.0).relu().data")
    close(grad, 0.0, "a.grad depois de Value(0.0).relu().backward()", "relu_zero")


def test_sigmoid_of_large_inputs_stays_finite(student, rng):
    for x in (rng.uniform(800, 1000), -rng.uniform(800, 1000)):
        got = student.run(ONE_OP.format(expr="a.sigmoid()"), what=f"Value({x:.4g}).sigmoid()", x=x)
        data, grad = sequence(got, f"Value({x:.4g}).sigmoid()", 2)
        close(data, 1.0 if x > 0 else 0.0, f"Value({x:.4g}).sigmoid().data", "sigmoid_stable")
        close(grad, 0.0, f"a.grad depois de Value({x:.4g}).sigmoid().backward()", "sigmoid_stable")


def test_new_value_and_root_gradient(student, rng):
    x = rng.uniform(-3, 3)
    got = student.run(IMPORT + "a = Value(x)\nfresh = [a.data, a.grad]\nout = a * 2.0\nout.backward()\n"
                      "result = fresh + [out.grad]", what="Value", x=x)
    data, grad, root = sequence(got, "Value", 3)
    close(data, x, f"Value({x:.4g}).data")
    close(grad, 0.0, f"Value({x:.4g}).grad antes de qualquer backward()")
    close(root, 1.0, "out.grad depois de out.backward()", "root_grad")


@pytest.mark.parametrize("expr, factor", [("a + a", lambda a: 2.0), ("a * a", lambda a: 2 * a),
                                          ("a.exp() + a.exp()", lambda a: 2 * math.exp(a))],
                         ids=["add", "mul", "exp"])
def test_node_used_twice_accumulates(student, rng, expr, factor):
    a = away_from_zero(rng, -2, 2)
    got = student.run(ONE_OP.format(expr=expr), what=f"Value: {expr}", x=a)
    _, grad = sequence(got, f"Value: {expr}", 2)
    close(grad, factor(a), f"com a = Value({a:.4g}), out = {expr}; out.backward(): a.grad", "accumulate")


def test_backward_in_topological_order(student, rng):
    # y is shared by two paths: its _backward must run once, after both paths
    # have added to y.grad, or x gets a wrong gradient whatever the set order.
    x = away_from_zero(rng, -2, 2)
    code = IMPORT + ("a = Value(x)\ny = a ** 2\nout = y * 2.0 + y * 3.0\nout.backward()\n"
                     "result = [out.data, a.grad, y.grad]")
    got = student.run(code, what="backward()", x=x)
    data, grad_x, grad_y = sequence(got, "backward()", 3)
    what = f"com a = Value({x:.4g}), y = a**2, out = y*2 + y*3; out.backward():"
    close(data, 5 * x * x, f"{what} out.data")
    close(grad_y, 5.0, f"{what} y.grad", "accumulate")
    close(grad_x, 10 * x, f"{what} a.grad", "topo")


def test_deep_chain(student, rng):
    # Every node depends on the one before: 200 levels, well under recursion limits.
    x = rng.uniform(0.5, 1.5)
    code = IMPORT + "a = Value(x)\nout = a\nfor _ in range(200):\n    out = out * 1.01 + 0.0\nout.backward()\n" \
                    "result = [out.data, a.grad]"
    got = student.run(code, what="backward() numa cadeia de 200 operações", x=x)
    data, grad = sequence(got, "backward()", 2)
    close(data, x * 1.01 ** 200, "out.data numa cadeia de 200 multiplicações por 1.01", rel=1e-9)
    close(grad, 1.01 ** 200, "a.grad numa cadeia de 200 multiplicações por 1.01", "topo", rel=1e-9)


def test_neuron_expression(student, rng):
    # karpathy's neuron: o = tanh(x1*w1 + x2*w2 + b)
    x1, x2, w1, w2, b = (rng.uniform(-1.5, 1.5) for _ in range(5))
    code = IMPORT + ("x1, x2, w1, w2, b = (Value(v) for v in vals)\n"
                     "o = (x1 * w1 + x2 * w2 + b).tanh()\no.backward()\n"
                     "result = [o.data, x1.grad, x2.grad, w1.grad, w2.grad, b.grad]")
    got = student.run(code, what="o = tanh(x1·w1 + x2·w2 + b)", vals=[x1, x2, w1, w2, b])
    o = math.tanh(x1 * w1 + x2 * w2 + b)
    d = 1 - o * o
    close_all(got, [o, w1 * d, w2 * d, x1 * d, x2 * d, d], "[o.data, x1.grad, x2.grad, w1.grad, w2.grad, b.grad] "
              "para o = tanh(x1·w1 + x2·w2 + b)", "local_derivative")


def test_mixed_expression(student, rng):
    a, b = rng.uniform(0.5, 2), rng.uniform(0.5, 2)
    code = IMPORT + ("a = Value(x)\nb = Value(y)\nc = a * b + b ** 2\nd = c / a - 3.0 * b\ne = -d + (a - b).relu()\n"
                     "e.backward()\nresult = [e.data, a.grad, b.grad]")
    got = student.run(code, what="expressão com + * ** / - relu", x=a, y=b)
    e = -((a * b + b * b) / a - 3 * b) + max(a - b, 0.0)
    step = 1.0 if a - b > 0 else 0.0
    da = -(-(b * b) / a ** 2) + step      # d/da of -(b + b²/a - 3b) + relu(a - b)
    db = -(1 + 2 * b / a - 3) - step
    data, ga, gb = sequence(got, "expressão", 3)
    what = f"com a = {a:.4g}, b = {b:.4g}, e = -((a·b + b²)/a - 3b) + relu(a - b):"
    close(data, e, f"{what} e.data")
    close(ga, da, f"{what} a.grad", "local_derivative")
    close(gb, db, f"{what} b.grad", "local_derivative")
