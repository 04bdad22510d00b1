"""Testes públicos de `cross-entropy`."""
import math

from grader.testing import close, close_all, finite


def test_softmax_is_stable(student):
    got = student.run("from losses import softmax\nresult = softmax([1000.0, 0.0])", what="softmax")
    close_all(got, [1.0, 0.0], "softmax([1000, 0])", "softmax_shift")


def test_binary_cross_entropy_example(student):
    got = student.run("from losses import binary_cross_entropy\nresult = binary_cross_entropy([1, 0], [0.9, 0.2])",
                      what="binary_cross_entropy")
    close(got, -(math.log(0.9) + math.log(0.8)) / 2, "binary_cross_entropy([1, 0], [0.9, 0.2])", "ce_mean")


def test_binary_cross_entropy_at_zero(student):
    got = student.run("from losses import binary_cross_entropy\nresult = binary_cross_entropy([1], [0.0])",
                      what="binary_cross_entropy")
    finite(got, "binary_cross_entropy([1], [0.0])", "bce_clip")


def test_cross_entropy_example(student):
    got = student.run("from losses import cross_entropy\nresult = cross_entropy([[2.0, 0.0]], [0])",
                      what="cross_entropy")
    close(got, math.log(1 + math.exp(-2)), "cross_entropy([[2, 0]], [0])", "log_sum_exp")
