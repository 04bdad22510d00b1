"""Item `gradiente-direcao`: gradient vector, descent direction, step and loop."""
from grader.testing import (RECORDED, call, call_arrays, close, close_all, equal, real, require, run, sequence, signed,
                            step_taken)

F = "f = lambda a, b, c: a * b + c ** 3 - 2 * a ** 2\n"


def f(a, b, c):
    return a * b + c ** 3 - 2 * a ** 2


def central_partials(point, h):
    grads = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        grads.append((f(*up) - f(*down)) / (2 * h))
    return grads


def test_gradient_is_central_partials(student, rng):
    point, h = [rng.uniform(-2, 2) for _ in range(3)], rng.choice([0.01, 0.05])
    got = run(student, "from derivatives import gradient\n" + F + "result = gradient(f, point, h)", "gradient",
              "central_difference", point=point, h=h)
    close_all(got, central_partials(point, h), f"gradient(f, {[round(p, 3) for p in point]}, h={h})",
              "central_difference")


def test_gradient_default_h_and_no_mutation(student, rng):
    point = [rng.uniform(-2, 2) for _ in range(3)]
    got = run(student, "from derivatives import gradient\n" + F + RECORDED +
              "args = list(point)\nresult = [gradient(recorded(f), args), args, seen]",
              "gradient", "central_difference",
              point=point)
    grads, after, seen = sequence(got, "gradient", 3)
    close_all(grads, central_partials(point, 1e-5), "gradient(f, ponto) com o h padrão", "central_difference",
              rel=1e-5, abs_tol=1e-5)
    equal(after, point, "a lista de argumentos depois de gradient(...)", "no_mutation")
    close(step_taken(seen, point), 1e-5, "gradient(f, ponto) com o h padrão: a distância do ponto até onde f foi "
          "avaliada", "central_difference", rel=1e-6, abs_tol=0.0)


def test_descent_direction(student, rng):
    cases = [(rng.uniform(1.5, 50), -1), (rng.uniform(-50, -1.5), 1), (rng.uniform(0.01, 0.9), -1),
             (-rng.uniform(0.01, 0.9), 1), (0.0, 0)]
    for derivative, expected in cases:
        got = call(student, "derivatives", "descent_direction", derivative, what="descent_direction", hint="direction")
        what = f"descent_direction({derivative:.4g})"
        require(real(got, what) == expected, f"{what}: esperava {expected}, veio {got}.", "direction")


def test_gradient_descent_step(student, rng):
    n = rng.randint(2, 5)
    params = [rng.uniform(-3, 3) for _ in range(n)]
    grads = [rng.uniform(-3, 3) for _ in range(n)]
    eta = rng.uniform(0.01, 0.5)
    got = run(student, "from derivatives import gradient_descent_step\n"
              "p, g = list(params), list(grads)\n"
              "result = [gradient_descent_step(p, g, eta), p, g]",
              "gradient_descent_step", "descent_sign", params=params, grads=grads, eta=eta)
    new, p_after, g_after = sequence(got, "gradient_descent_step", 3)
    close_all(new, [p - eta * g for p, g in zip(params, grads)], f"gradient_descent_step(θ, ∇, η={eta:.3g})",
              "descent_sign")
    equal(p_after, params, "os parâmetros depois de gradient_descent_step", "no_mutation")
    equal(g_after, grads, "os gradientes depois de gradient_descent_step", "no_mutation")


def test_gradient_descent_step_tuple_inputs(student, rng):
    params, grads, eta = (rng.uniform(-3, 3), rng.uniform(-3, 3)), (1.0, -2.0), 0.1
    got = run(student, "from derivatives import gradient_descent_step\n"
              "result = gradient_descent_step(tuple(params), tuple(grads), eta)",
              "gradient_descent_step", "descent_sign", params=list(params), grads=list(grads), eta=eta)
    close_all(got, [p - eta * g for p, g in zip(params, grads)], "gradient_descent_step com tuplas", "descent_sign")


def test_numpy_arrays_in_and_unchanged(student, rng):
    # SPEC section 4: numpy arrays as well as lists, and unchanged afterwards
    # (`theta -= eta * grads` on np.asarray(params) would change the caller's).
    n = rng.randint(2, 5)
    params, grads = [rng.uniform(-3, 3) for _ in range(n)], [rng.uniform(-3, 3) for _ in range(n)]
    eta = rng.uniform(0.01, 0.5)
    what = f"gradient_descent_step(θ, ∇, η={eta:.3g}) com arrays numpy"
    close_all(call_arrays(student, "derivatives", "gradient_descent_step", params, grads, eta, what=what,
                          hint="descent_sign"), [p - eta * g for p, g in zip(params, grads)], what, "descent_sign")
    point, h = [rng.uniform(-2, 2) for _ in range(3)], rng.choice([0.01, 0.05])
    got = run(student, "import numpy as np\nfrom derivatives import gradient\n" + F +
              "args = np.array(point)\nresult = [gradient(f, args, h), args.tolist()]", "gradient com um array numpy",
              "central_difference", point=point, h=h)
    grads_got, after = sequence(got, "gradient com um array numpy", 2)
    close_all(grads_got, central_partials(point, h), f"gradient(f, np.array({[round(p, 3) for p in point]}), h={h})",
              "central_difference")
    equal(after, point, "o array de argumentos depois de gradient(...)", "no_mutation_array")


def simulate(a, c, w0, eta, iterations):
    w, path = w0, [w0]
    for _ in range(iterations):
        w = w - eta * 2 * a * (w - c)
        path.append(w)
    return path


def test_gradient_descent_course_example(student):
    got = run(student, "from derivatives import gradient_descent\n"
              "result = gradient_descent(lambda w: 2 * (w - 2), 5.0, 0.1, 30)",
              "gradient_descent", "trajectory")
    what = "gradient_descent(2(w - 2), w0=5, η=0.1, 30 iterações)"
    path = close_all(got, simulate(1.0, 2.0, 5.0, 0.1, 30), what, "trajectory")
    require(abs(path[-1] - 2) < 0.01, f"{what} deveria terminar perto de 2, terminou em {path[-1]!r}.", "descent_sign")


def test_gradient_descent_random_bowl(student, rng):
    a, c, w0 = rng.uniform(0.5, 2), rng.uniform(-3, 3), rng.uniform(-5, 5)
    eta, iterations = rng.uniform(0.05, 0.2), rng.randint(3, 12)
    got = run(student, "from derivatives import gradient_descent\n"
              "result = gradient_descent(lambda w: 2 * a * (w - c), w0, eta, iterations)",
              "gradient_descent", "trajectory", a=a, c=c, w0=w0, eta=eta, iterations=iterations)
    close_all(got, simulate(a, c, w0, eta, iterations),
              f"gradient_descent em L(w) = {a:.3g}(w{signed(-c)})², w0={w0:.3g}, η={eta:.3g}, {iterations} iterações",
              "trajectory")
