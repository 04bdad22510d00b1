"""Item `cross-entropy`: binary and multiclass cross-entropy, softmax, gradient."""
import math

from grader.testing import call, call_arrays, close, close_all, finite, raised, raises, run, sequence


def bce(y, p):
    return -sum(a * math.log(b) + (1 - a) * math.log(1 - b) for a, b in zip(y, p)) / len(y)


def softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    return [v / sum(e) for v in e]


def ce(batch, labels):
    total = 0.0
    for z, k in zip(batch, labels):
        m = max(z)
        total += m + math.log(sum(math.exp(v - m) for v in z)) - z[k]
    return total / len(labels)


def labelled(rng, n=None):
    n = n or rng.randint(3, 7)
    y = [i % 2 for i in range(n)]
    rng.shuffle(y)
    return y, [rng.uniform(0.05, 0.95) for _ in range(n)]


def logits(rng, n, k, scale=3.0):
    return [[rng.uniform(-scale, scale) for _ in range(k)] for _ in range(n)], [rng.randrange(k) for _ in range(n)]


def test_binary_cross_entropy(student, rng):
    y, p = labelled(rng)
    got = call(student, "losses", "binary_cross_entropy", y, p, what="binary_cross_entropy", hint="ce_mean")
    close(got, bce(y, p), f"binary_cross_entropy com {len(y)} pontos", "ce_mean")


def test_binary_cross_entropy_of_float_labels(student, rng):
    y, p = labelled(rng)
    y = [float(v) for v in y]   # labels are plain numbers: 1.0 is as good as 1
    got = call(student, "losses", "binary_cross_entropy", y, p, what="binary_cross_entropy com rótulos 0.0 e 1.0",
               hint="ce_mean")
    close(got, bce(y, p), f"binary_cross_entropy({y}, ...)", "ce_mean")


def test_binary_cross_entropy_clips_extremes(student):
    eps = 1e-12
    for y, p in (([1, 0], [0.0, 1.0]), ([0, 1], [0.0, 1.0]), ([1, 0, 1], [1.0, 0.0, 0.5])):
        what = f"binary_cross_entropy({y}, {p})"
        got = call(student, "losses", "binary_cross_entropy", y, p, what=what, hint="bce_clip")
        finite(got, what, "bce_clip")
        clipped = [min(max(v, eps), 1 - eps) for v in p]
        close(got, bce(y, clipped), what, "bce_clip", rel=1e-4, abs_tol=1e-4)


def test_binary_cross_entropy_eps(student, rng):
    # A larger eps, by name: p = 0 and 1, and p within eps of them, are all
    # clipped to [eps, 1 - eps] (so eps must be the one passed, not 1e-12).
    eps = rng.choice([1e-3, 1e-2, 0.05])
    tiny = eps * rng.uniform(0.01, 0.5)
    y, p = [1, 0, 1, 0, 1, 0], [0.0, 1.0, tiny, 1 - tiny, rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)]
    what = f"binary_cross_entropy({y}, {[round(v, 6) for v in p]}, eps={eps})"
    got = run(student, "from losses import binary_cross_entropy\nresult = binary_cross_entropy(y, p, eps=eps)", what,
              "bce_clip", y=y, p=p, eps=eps)
    close(got, bce(y, [min(max(v, eps), 1 - eps) for v in p]), what, "bce_clip", rel=1e-6, abs_tol=1e-6)


def test_binary_cross_entropy_of_values(student, rng):
    y, p = labelled(rng)
    code = ("from value import Value\nfrom losses import binary_cross_entropy\n"
            "probs = [Value(v) for v in p]\nloss = binary_cross_entropy(y, probs)\nloss.backward()\n"
            "result = [loss.data, [v.grad for v in probs]]")
    y = [float(v) for v in y]   # labels are plain numbers: 1.0 counts
    got = run(student, code, "binary_cross_entropy com Values", "ce_mean", y=y, p=p)
    data, grads = sequence(got, "binary_cross_entropy com Values", 2)
    n = len(y)
    close(data, bce(y, p), "binary_cross_entropy(y, [Value...]).data", "ce_mean")
    close_all(grads, [(-a / b + (1 - a) / (1 - b)) / n for a, b in zip(y, p)],
              "os grads das probabilidades depois de binary_cross_entropy(...).backward()", "ce_mean")


def test_binary_cross_entropy_rejects_bad_batches(student, rng):
    y, p = labelled(rng, 4)
    raises(raised(student, "losses", "binary_cross_entropy", y, p[:3]), "ValueError",
           "binary_cross_entropy com 4 rótulos e 3 probabilidades", "batch_errors")
    raises(raised(student, "losses", "binary_cross_entropy", [], []), "ValueError",
           "binary_cross_entropy([], [])", "batch_errors")
    raises(raised(student, "losses", "binary_cross_entropy", y[:3], p), "ValueError",
           "binary_cross_entropy com 3 rótulos e 4 probabilidades", "batch_errors")


def test_softmax(student, rng):
    z = [rng.uniform(-4, 4) for _ in range(rng.randint(2, 6))]
    got = call(student, "losses", "softmax", z, what="softmax")
    close_all(got, softmax(z), f"softmax({z})", "softmax_shift")


def test_softmax_is_stable(student, rng):
    big = rng.uniform(900, 1000)
    for z, expected in (([big, 0.0], [1.0, 0.0]), ([-big, -big], [0.5, 0.5]), ([big, big - 1], softmax([1, 0]))):
        got = call(student, "losses", "softmax", z, what=f"softmax({z})", hint="softmax_shift")
        close_all(got, expected, f"softmax({z})", "softmax_shift")


def test_cross_entropy(student, rng):
    batch, labels = logits(rng, rng.randint(2, 5), rng.randint(2, 4))
    got = call(student, "losses", "cross_entropy", batch, labels, what="cross_entropy", hint="ce_mean")
    close(got, ce(batch, labels), f"cross_entropy de {len(batch)} amostras", "ce_mean")


def test_cross_entropy_is_stable(student, rng):
    big = rng.uniform(900, 1000)
    batch, labels = [[big, 0.0], [0.0, big], [big, big]], [1, 1, 0]
    what = f"cross_entropy com logits de {big!r}"
    got = call(student, "losses", "cross_entropy", batch, labels, what=what, hint="log_sum_exp")
    finite(got, what, "log_sum_exp")
    close(got, ce(batch, labels), what, "log_sum_exp")


def test_cross_entropy_rejects_bad_batches(student, rng):
    batch, labels = logits(rng, 3, 3)
    raises(raised(student, "losses", "cross_entropy", batch, labels[:2]), "ValueError",
           "cross_entropy com 3 amostras e 2 rótulos", "batch_errors")
    raises(raised(student, "losses", "cross_entropy", [], []), "ValueError", "cross_entropy([], [])",
           "batch_errors")


def test_cross_entropy_gradient(student, rng):
    batch, labels = logits(rng, rng.randint(2, 4), rng.randint(2, 4))
    got = call(student, "losses", "cross_entropy_gradient", batch, labels, what="cross_entropy_gradient",
               hint="ce_gradient")
    rows = sequence(got, "cross_entropy_gradient", len(batch))
    n = len(batch)
    for i, (row, z, k) in enumerate(zip(rows, batch, labels)):
        expected = [(q - (1 if j == k else 0)) / n for j, q in enumerate(softmax(z))]
        close_all(row, expected, f"cross_entropy_gradient(...)[{i}]", "ce_gradient")


def test_numpy_arrays_in_and_unchanged(student, rng):
    # SPEC section 4: any sequence may be a numpy array, and the caller's
    # arrays must come back as they were (float arrays: np.asarray does not
    # copy them, so an in-place update would reach the caller).
    y, p = labelled(rng, 5)
    batch, labels = logits(rng, 4, 3)
    z = [rng.uniform(-4, 4) for _ in range(4)]
    close(call_arrays(student, "losses", "binary_cross_entropy", [float(v) for v in y], p,
                      what="binary_cross_entropy com arrays numpy", hint="ce_mean"), bce(y, p),
          "binary_cross_entropy com arrays numpy", "ce_mean")
    close_all(call_arrays(student, "losses", "softmax", z, what="softmax com um array numpy", hint="softmax_shift"),
              softmax(z), "softmax com um array numpy", "softmax_shift")
    close(call_arrays(student, "losses", "cross_entropy", batch, labels, what="cross_entropy com arrays numpy",
                      hint="ce_mean"), ce(batch, labels), "cross_entropy com arrays numpy", "ce_mean")
    rows = sequence(call_arrays(student, "losses", "cross_entropy_gradient", batch, labels,
                                what="cross_entropy_gradient com arrays numpy", hint="ce_gradient"),
                    "cross_entropy_gradient com arrays numpy", len(batch), "ce_gradient")
    for i, (row, zi, k) in enumerate(zip(rows, batch, labels)):
        close_all(row, [(q - (1 if j == k else 0)) / len(batch) for j, q in enumerate(softmax(zi))],
                  f"cross_entropy_gradient com arrays numpy [{i}]", "ce_gradient")


def test_cross_entropy_gradient_of_many_classes(student, rng):
    # 300 classes, label 290: a label above 256 is not a cached int (`j is k` fails here)
    z, k = [rng.uniform(-2, 2) for _ in range(300)], 290
    got = call(student, "losses", "cross_entropy_gradient", [z], [k], what="cross_entropy_gradient com 300 classes",
               hint="ce_gradient")
    rows = sequence(got, "cross_entropy_gradient com 300 classes", 1, "ce_gradient")
    close_all(rows[0], [q - (1 if j == k else 0) for j, q in enumerate(softmax(z))],
              "cross_entropy_gradient com 300 classes e rótulo 290", "ce_gradient")


def test_cross_entropy_gradient_rejects_bad_batches(student, rng):
    batch, labels = logits(rng, 3, 2)
    raises(raised(student, "losses", "cross_entropy_gradient", batch, labels[:1]), "ValueError",
           "cross_entropy_gradient com 3 amostras e 1 rótulo", "batch_errors")
    raises(raised(student, "losses", "cross_entropy_gradient", [], []), "ValueError",
           "cross_entropy_gradient([], [])", "batch_errors")
