"""Testes públicos de `cross-entropy`: os exemplos do curso e os erros clássicos
(recortar p antes do log, subtrair o maior logit, log-sum-exp, a média do lote)."""
import math

from grader.testing import call, close, close_all, finite, raised, raises


def test_softmax_is_stable(student):
    got = call(student, "losses", "softmax", [1000.0, 0.0], what="softmax([1000, 0])", hint="softmax_shift")
    close_all(got, [1.0, 0.0], "softmax([1000, 0])", "softmax_shift")


def test_binary_cross_entropy_example(student):
    got = call(student, "losses", "binary_cross_entropy", [1, 0], [0.9, 0.2], what="binary_cross_entropy",
               hint="ce_mean")
    close(got, -(math.log(0.9) + math.log(0.8)) / 2, "binary_cross_entropy([1, 0], [0.9, 0.2])", "ce_mean")


def test_binary_cross_entropy_clips_extremes(student):
    # p = 0 or 1 must be clipped to [eps, 1 - eps] before the log: log(0) raises or gives inf.
    what = "binary_cross_entropy([1, 0], [0.0, 1.0])"
    got = call(student, "losses", "binary_cross_entropy", [1, 0], [0.0, 1.0], what=what, hint="bce_clip")
    finite(got, what, "bce_clip")
    close(got, -math.log(1e-12), what, "bce_clip", rel=1e-4, abs_tol=1e-4)


def test_cross_entropy_example(student):
    got = call(student, "losses", "cross_entropy", [[2.0, 0.0]], [0], what="cross_entropy", hint="log_sum_exp")
    close(got, math.log(1 + math.exp(-2)), "cross_entropy([[2, 0]], [0])", "log_sum_exp")


def test_cross_entropy_of_large_logits(student):
    what = "cross_entropy([[1000, 0]], [1])"
    got = call(student, "losses", "cross_entropy", [[1000.0, 0.0]], [1], what=what, hint="log_sum_exp")
    close(got, 1000.0, what, "log_sum_exp")


def test_cross_entropy_is_a_mean(student):
    what = "cross_entropy([[2, 0], [0, 2]], [0, 0])"
    got = call(student, "losses", "cross_entropy", [[2.0, 0.0], [0.0, 2.0]], [0, 0], what=what, hint="ce_mean")
    close(got, (math.log(1 + math.exp(-2)) + 2 + math.log(1 + math.exp(-2))) / 2, what, "ce_mean")


def test_cross_entropy_rejects_bad_batches(student):
    raises(raised(student, "losses", "cross_entropy", [[1.0, 0.0]], [0, 1]), "ValueError",
           "cross_entropy com 1 amostra e 2 rótulos", "batch_errors")
