"""Item `value-backprop`: every Value operation and backward().

The only item that grades the student's own Value (`student_value`; the
others run on the judge's). Each operation is its own test, at the root of a
graph and inside one (where out.grad is not 1), so a Value that lacks one
(karpathy's micrograd has no tanh, exp, log or sigmoid) loses only those.
A graph shares a node between two operations only where the order of their
backward steps is forced (one use is an ancestor of the other, as in
`a.tanh() + a`) or both uses are the same operation reached with the same
out.grad (`y*k + y*k`, and `y*k + ((y*k + c1) - c2)`, where the second use is
deeper): otherwise a `=`-for-`+=` bug's result would depend on the order of a
set, and the same submission must get the same report on every run. The
deeper second use is what tells traversals apart (SPEC section 4): every
topological order gives one result, while a breadth-first order, a
depth-first pre-order, or a traversal that runs a node's _backward twice is
wrong in every order of the sets.
"""
import math

import pytest

from grader.testing import close, close_all, equal, judge_value, keyed, number_is, run, sequence
from grader.show.value_graph import drawn, trace

IMPORT = "from student_value import Value\n"

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
    "relu_positive": ("a.relu()", lambda a: a, lambda a: 1.0, (1.1, 3)),
    "relu_small_positive": ("a.relu()", lambda a: a, lambda a: 1.0, (0.05, 0.9)),
    "relu_negative": ("a.relu()", lambda a: 0.0, lambda a: 0.0, (-3, -1.1)),
    "relu_small_negative": ("a.relu()", lambda a: 0.0, lambda a: 0.0, (-0.9, -0.05)),
    "sigmoid_positive": ("a.sigmoid()", lambda a: 1 / (1 + math.exp(-a)),
                         lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2, (0.5, 4)),
    "sigmoid_negative": ("a.sigmoid()", lambda a: 1 / (1 + math.exp(-a)),
                         lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2, (-4, -0.5)),
}

ONE_OP = IMPORT + "a = Value(x)\nout = {expr}\nout.backward()\nresult = [out.data, a.grad]"
TWO_OPS = IMPORT + "a = Value(x)\nb = Value(y)\nout = {expr}\nout.backward()\nresult = [out.data, a.grad, b.grad]"
# The operation under an outer `* k`: its _backward must use out.grad (= k).
INSIDE = "({expr}) * k"
# Evidence for the hint: the root's own grad after backward() (1.0 unless backward never seeds it).
ROOT_GRAD = "\nresult.append(out.grad)"


def seen(data, want, root, default="local_derivative"):
    """The hint that fits: an unseeded root, a wrong forward value, or the local derivative."""
    return keyed(default, root_grad=not number_is(root, 1.0), forward_value=not number_is(data, want))


def factor(rng):
    return rng.uniform(1.5, 3) * rng.choice([-1, 1])


def away_from_zero(rng, low, high):
    value = rng.uniform(low, high)
    return value if abs(value) > 0.3 else value + (0.5 if value >= 0 else -0.5)


def binary(student, rng, name, k):
    expr, fn, da, db = BINARY[name]
    a, b = away_from_zero(rng, -3, 3), away_from_zero(rng, -3, 3)
    shown = expr if k == 1 else INSIDE.format(expr=expr).replace("k", f"{k:.4g}")
    built = expr if k == 1 else INSIDE.format(expr=expr)
    code = TWO_OPS.format(expr=built)
    got = run(student, code + ROOT_GRAD, f"Value: {shown}", "local_derivative", x=a, y=b, k=k)
    what = f"com a = Value({a!r}), b = Value({b!r}), out = {shown}; out.backward():"
    data, grad_a, grad_b, root = sequence(got, f"Value: {shown}", 4)
    hint = seen(data, k * fn(a, b), root)
    with drawn(student, code, lambda: trace(judge_value(), built, {"a": a, "b": b}, {"k": k}), x=a, y=b, k=k):
        close(data, k * fn(a, b), f"{what} out.data", hint)
        close(grad_a, k * da(a, b), f"{what} a.grad", hint)
        close(grad_b, k * db(a, b), f"{what} b.grad", hint)


def unary(student, rng, name, k):
    expr, fn, deriv, (low, high) = UNARY[name]
    a = rng.uniform(low, high)
    hint = "local_derivative"   # relu_zero is about x = 0 only: test_relu_at_zero
    shown = expr if k == 1 else INSIDE.format(expr=expr).replace("k", f"{k:.4g}")
    built = expr if k == 1 else INSIDE.format(expr=expr)
    code = ONE_OP.format(expr=built)
    got = run(student, code + ROOT_GRAD, f"Value: {shown}", hint, x=a, k=k)
    what = f"com a = Value({a!r}), out = {shown}; out.backward():"
    data, grad, root = sequence(got, f"Value: {shown}", 3)
    hint = seen(data, k * fn(a), root, hint)
    with drawn(student, code, lambda: trace(judge_value(), built, {"a": a}, {"k": k}), x=a, k=k):
        close(data, k * fn(a), f"{what} out.data", hint)
        close(grad, k * deriv(a), f"{what} a.grad", hint)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_operation(student, rng, name):
    binary(student, rng, name, 1)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_operation_inside_a_graph(student, rng, name):
    binary(student, rng, name, factor(rng))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_operation(student, rng, name):
    unary(student, rng, name, 1)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_operation_inside_a_graph(student, rng, name):
    unary(student, rng, name, factor(rng))


# The result of an operation added back to its own input: the operation's
# _backward runs after the outer +, so it must add to a.grad, not replace it.
REUSED = {
    "add": ("(a + 1.5) + a", lambda a: 2.0),
    "mul": ("(a * 2.5) + a", lambda a: 3.5),
    "pow": ("a ** 2 + a", lambda a: 2 * a + 1),
    "tanh": ("a.tanh() + a", lambda a: 1 - math.tanh(a) ** 2 + 1),
    "exp": ("a.exp() + a", lambda a: math.exp(a) + 1),
    "log": ("a.log() + a", lambda a: 1 / a + 1),
    "relu": ("a.relu() + a", lambda a: 2.0),
    "sigmoid": ("a.sigmoid() + a", lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2 + 1),
}


def accumulates(student, expr, slope, a):
    """a.grad of `expr` (which uses a twice) with a = Value(a): both contributions."""
    code = ONE_OP.format(expr=expr)
    got = run(student, code + ROOT_GRAD, f"Value: {expr}", "accumulate", x=a)
    _, grad, root = sequence(got, f"Value: {expr}", 3)
    with drawn(student, code, lambda: trace(judge_value(), expr, {"a": a}), x=a):
        close(grad, slope(a), f"com a = Value({a!r}), out = {expr}; out.backward(): a.grad",
              keyed("accumulate", root_grad=not number_is(root, 1.0)))


@pytest.mark.parametrize("name", sorted(REUSED))
def test_result_reused_with_its_input(student, rng, name):
    expr, slope = REUSED[name]
    a = rng.uniform(0.5, 2)
    accumulates(student, expr, slope, a)


def test_relu_at_zero(student):
    got = run(student, ONE_OP.format(expr="a.relu()"), "Value(0.0).relu()", "relu_zero", x=0.0)
    data, grad = sequence(got, "Value(0.0).relu()", 2)
    close(data, 0.0, "Value(0.0).relu().data")
    close(grad, 0.0, "a.grad depois de Value(0.0).relu().backward()", "relu_zero")


def test_sigmoid_of_large_inputs_stays_finite(student, rng):
    for x in (rng.uniform(800, 1000), -rng.uniform(800, 1000)):
        got = run(student, ONE_OP.format(expr="a.sigmoid()"), f"Value({x!r}).sigmoid()", "sigmoid_stable", x=x)
        data, grad = sequence(got, f"Value({x!r}).sigmoid()", 2)
        close(data, 1.0 if x > 0 else 0.0, f"Value({x!r}).sigmoid().data", "sigmoid_stable")
        close(grad, 0.0, f"a.grad depois de Value({x!r}).sigmoid().backward()", "sigmoid_stable")


def test_new_value_and_root_gradient(student, rng):
    x = rng.uniform(-3, 3)
    got = run(student, IMPORT + "a = Value(x)\nfresh = [a.data, a.grad]\nout = a * 2.0\n"
              "parts = [hasattr(out, name) for name in ('_prev', '_op', '_backward')]\nout.backward()\n"
              "result = fresh + [out.grad, parts]", "Value", "root_grad", x=x)
    data, grad, root, parts = sequence(got, "Value", 4)
    equal(parts, [True, True, True], "[hasattr(out, '_prev'), hasattr(out, '_op'), hasattr(out, '_backward')]",
          "root_grad")
    close(data, x, f"Value({x!r}).data")
    close(grad, 0.0, f"Value({x!r}).grad antes de qualquer backward()")
    close(root, 1.0, "out.grad depois de out.backward()", "root_grad")


@pytest.mark.parametrize("expr, slope", [("a + a", lambda a: 2.0), ("a * a", lambda a: 2 * a),
                                          ("a.exp() + a.exp()", lambda a: 2 * math.exp(a))],
                         ids=["add", "mul", "exp"])
def test_node_used_twice_accumulates(student, rng, expr, slope):
    a = away_from_zero(rng, -2, 2)
    accumulates(student, expr, slope, a)


def test_backward_in_topological_order(student, rng):
    # y is shared by two paths: its _backward must run once, after both paths
    # have added to y.grad, or x gets a wrong gradient. Both paths are the same
    # operation with the same factor, so no bug's result depends on a set's order.
    x, k = away_from_zero(rng, -2, 2), rng.uniform(1.5, 3)
    code = IMPORT + ("a = Value(x)\ny = a ** 2\nout = y * k + y * k\nout.backward()\n"
                     "result = [out.data, a.grad, y.grad]")
    got = run(student, code + ROOT_GRAD, "backward()", "topo", x=x, k=k)
    data, grad_x, grad_y, root = sequence(got, "backward()", 4)
    what = f"com a = Value({x!r}), y = a**2, out = y*{k!r} + y*{k!r}; out.backward():"
    close(data, 2 * k * x * x, f"{what} out.data")
    close(grad_y, 2 * k, f"{what} y.grad", keyed("accumulate", root_grad=not number_is(root, 1.0)))
    close(grad_x, 4 * k * x, f"{what} a.grad", keyed("topo", root_grad=not number_is(root, 1.0)))


# Interior nodes whose two uses sit at depths at least two apart: a
# breadth-first order from the root runs the node's _backward (one level down
# from its shallow use) before its deep use has added to its grad; a
# pre-order runs it right after whichever use it meets first; a traversal
# without a visited set runs it twice. The two uses are the same operation
# and receive the same out.grad (adding constants passes it unchanged), so a
# `=`-for-`+=` bug, or a second visit, gives one result in every order (one
# shared node per graph: two nested ones would let a revisiting traversal's
# wrong value, and so the message, depend on the order of a set). Only + - * ** (karpathy's
# micrograd has them all). name: (code, [names of the grads returned], expected)
SHARED_DEEPER = {
    "one_node": ("u = a * b\nout = u * k + (((u * k) + c1) - c2)",
                 lambda a, b, k, c1, c2: [2 * k * a * b + c1 - c2, 2 * k * b, 2 * k * a]),
    "power": ("u = a * b + k\nout = u ** 2 + (((((u ** 2) + c1) - c2) * 1.0) + c1)",
              lambda a, b, k, c1, c2: (lambda u: [2 * u * u + 2 * c1 - c2, 4 * u * b, 4 * u * a])(a * b + k)),
}


# The same operation used twice on one node, in a tree (any traversal is right
# there): a wrong grad in it is the accumulation's fault, not the order's.
ACCUMULATES = {"one_node": ("p = Value(x)\nq = p * k + p * k", lambda x, k: 2 * k),
               "power": ("p = Value(x)\nq = p ** 2 + p ** 2", lambda x, k: 4 * x)}


@pytest.mark.parametrize("name", sorted(SHARED_DEEPER))
def test_shared_node_used_at_two_depths(student, rng, name):
    expr, expected = SHARED_DEEPER[name]
    a, b = away_from_zero(rng, -1.5, 1.5), away_from_zero(rng, -1.5, 1.5)
    k, c1, c2 = rng.uniform(1.2, 2.5), rng.uniform(0.5, 2), rng.uniform(0.5, 2)
    probe, probe_grad = ACCUMULATES[name]
    code = IMPORT + ("a = Value(x)\nb = Value(y)\n" + expr + "\nout.backward()\nresult = [out.data, a.grad, b.grad]\n"
                     + probe + "\nq.backward()\nresult.append(p.grad)")
    *got, accumulated = sequence(run(student, code, "backward()", "topo", x=a, y=b, k=k, c1=c1, c2=c2), "backward()", 4)
    shown = "; ".join(expr.splitlines()).replace("k", repr(k)).replace("c1", repr(c1)).replace("c2", repr(c2))
    overwrites = not number_is(accumulated, probe_grad(a, k))
    close_all(got, expected(a, b, k, c1, c2), f"[out.data, a.grad, b.grad] com a = Value({a!r}), b = Value({b!r}), "
              f"{shown}; out.backward()", keyed("topo", accumulate=overwrites))


def test_deep_chain(student, rng):
    # Every node depends on the one before: 200 levels, well under recursion limits.
    x = rng.uniform(0.5, 1.5)
    code = IMPORT + "a = Value(x)\nout = a\nfor _ in range(200):\n    out = out * 1.01 + 0.0\nout.backward()\n" \
                    "result = [out.data, a.grad]"
    got = run(student, code + ROOT_GRAD, "backward() numa cadeia de 200 operações", "topo", x=x)
    data, grad, root = sequence(got, "backward()", 3)
    close(data, x * 1.01 ** 200, "out.data numa cadeia de 200 multiplicações por 1.01", rel=1e-9)
    close(grad, 1.01 ** 200, "a.grad numa cadeia de 200 multiplicações por 1.01",
          keyed("topo", root_grad=not number_is(root, 1.0)), rel=1e-9)


def test_neuron_expression(student, rng):
    # karpathy's neuron: o = tanh(x1*w1 + x2*w2 + b)
    x1, x2, w1, w2, b = (rng.uniform(-1.5, 1.5) for _ in range(5))
    code = IMPORT + ("x1, x2, w1, w2, b = (Value(v) for v in vals)\n"
                     "o = (x1 * w1 + x2 * w2 + b).tanh()\no.backward()\n"
                     "result = [o.data, x1.grad, x2.grad, w1.grad, w2.grad, b.grad]")
    got = run(student, code + "\nresult.append(o.grad)", "o = tanh(x1·w1 + x2·w2 + b)", "local_derivative",
              vals=[x1, x2, w1, w2, b])
    *got, root = sequence(got, "o = tanh(x1·w1 + x2·w2 + b)", 7)
    o = math.tanh(x1 * w1 + x2 * w2 + b)
    d = 1 - o * o
    close_all(got, [o, w1 * d, w2 * d, x1 * d, x2 * d, d], "[o.data, x1.grad, x2.grad, w1.grad, w2.grad, b.grad] "
              "para o = tanh(x1·w1 + x2·w2 + b)", seen(got[0], o, root))


def test_mixed_expression(student, rng):
    # Every leaf and every intermediate node is used once (see the module docstring).
    leaves = [rng.uniform(0.5, 2) for _ in range(7)]
    a, b, c, d, e, f, g = leaves
    code = IMPORT + ("a, b, c, d, e, f, g = (Value(v) for v in vals)\n"
                     "out = -((a * b + c ** 2) / d) + (e - f).relu() - 3.0 * (2.0 - g * 0.5) ** 2 / 4.0\n"
                     "out.backward()\nresult = [out.data] + [v.grad for v in (a, b, c, d, e, f, g)]")
    got = run(student, code + ROOT_GRAD, "expressão com + - * / ** relu", "local_derivative", vals=leaves)
    *got, root = sequence(got, "expressão com + - * / ** relu", 9)
    step = 1.0 if e - f > 0 else 0.0
    q = 2.0 - 0.5 * g
    expected = [-((a * b + c * c) / d) + max(e - f, 0.0) - 0.75 * q * q,
                -b / d, -a / d, -2 * c / d, (a * b + c * c) / d ** 2, step, -step, 0.75 * q]
    close_all(got, expected, f"[out.data, a.grad, b.grad, c.grad, d.grad, e.grad, f.grad, g.grad] com (a, b, c, d, "
              f"e, f, g) = {tuple(leaves)} e out = -((a·b + c²)/d) + relu(e - f) - 3·(2 - g·0.5)²/4",
              seen(got[0], expected[0], root))
