"""Testes públicos de `value-backprop`: o exemplo d = a·b + c e um nó usado duas vezes."""
from grader.testing import close_all


def test_course_expression(student):
    got = student.run("from value import Value\n"
                      "a, b, c = Value(2.0), Value(-3.0), Value(10.0)\nd = a * b + c\nd.backward()\n"
                      "result = [d.data, a.grad, b.grad, c.grad]", what="d = a·b + c")
    close_all(got, [4.0, -3.0, 2.0, 1.0], "[d.data, a.grad, b.grad, c.grad] para d = a·b + c em (2, -3, 10)",
              "local_derivative")


def test_node_used_twice(student):
    got = student.run("from value import Value\na = Value(3.0)\nb = a + a\nb.backward()\nresult = [b.data, a.grad]",
                      what="b = a + a")
    close_all(got, [6.0, 2.0], "[b.data, a.grad] para b = a + a", "accumulate")


def test_tanh(student):
    got = student.run("from value import Value\na = Value(0.0)\nb = a.tanh()\nb.backward()\nresult = [b.data, a.grad]",
                      what="Value(0).tanh()")
    close_all(got, [0.0, 1.0], "[b.data, a.grad] para b = tanh(a) em a = 0", "local_derivative")
