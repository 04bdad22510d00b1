"""Testes públicos de `quando-usar-loss`."""
from grader.testing import close_all, equal


def test_choose_loss(student):
    got = student.run("from losses import choose_loss\n"
                      "result = [choose_loss('regression'), choose_loss('classification')]", what="choose_loss")
    equal(got, ["mse", "cross_entropy"], "[choose_loss('regression'), choose_loss('classification')]", "choose")


def test_sigmoid_output_gradients_at_zero(student):
    got = student.run("from losses import sigmoid_output_gradients\nresult = sigmoid_output_gradients(0.0, 1)",
                      what="sigmoid_output_gradients")
    close_all(got, [-0.25, -0.5], "sigmoid_output_gradients(0, 1)", "saturation")
