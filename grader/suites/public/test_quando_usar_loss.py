"""Testes públicos de `quando-usar-loss`."""
from grader.testing import close_all, equal, raised, raises, run


def test_choose_loss(student):
    got = run(student, "from losses import choose_loss\n"
              "result = [choose_loss('regression'), choose_loss('classification')]", "choose_loss", "choose")
    equal(got, ["mse", "cross_entropy"], "[choose_loss('regression'), choose_loss('classification')]", "choose")
    raises(raised(student, "losses", "choose_loss", "clustering"), "ValueError", "choose_loss('clustering')",
           "choose")


def test_sigmoid_output_gradients_at_zero(student):
    got = run(student, "from losses import sigmoid_output_gradients\nresult = list(sigmoid_output_gradients(0.0, 1))",
              "sigmoid_output_gradients", "saturation")
    close_all(got, [-0.25, -0.5], "[dMSE/dz, dBCE/dz] = sigmoid_output_gradients(0, 1)", "saturation")
