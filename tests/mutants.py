"""Realistic one-bug submissions: each is the reference with one change.

The first ones were written by hand; those marked "audit" are realistic
forms of what bench/mutation_audit.py found the suite missing (see
bench/MUTATION_AUDIT.md), kept here so CI proves they stay caught.

`item` is where the bug belongs and must cost points; every other item must
keep full marks (SPEC section 2: one bug, one item; a Value bug costs only
value-backprop, an mlp_loss or make_dataset bug only loss-mlp).
"""

BACKWARD = '''    def backward(self):
        topo, visited = [], set()

        def build(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                topo.append(v)
        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
'''
NAIVE_BACKWARD = '''    def backward(self):
        self.grad = 1.0
        self._propagate()

    def _propagate(self):
        self._backward()
        for child in self._prev:
            child._propagate()
'''

MUTANTS = [
    # derivadas
    dict(id="central_difference_default_h_too_big", item="derivadas", file="derivatives.py",   # audit
         old="def central_difference(f, x, h=1e-5):", new="def central_difference(f, x, h=1e-4):"),
    dict(id="forward_difference_uses_x_minus_h", item="derivadas", file="derivatives.py",
         old="    return (f(x + h) - f(x)) / h\n", new="    return (f(x + h) - f(x - h)) / h\n"),
    dict(id="central_difference_missing_2", item="derivadas", file="derivatives.py",
         old="    return (f(x + h) - f(x - h)) / (2 * h)\n", new="    return (f(x + h) - f(x - h)) / h\n"),
    dict(id="partial_mutates_callers_list", item="derivadas", file="derivatives.py",
         old="    nudged = list(args)\n", new="    nudged = args\n"),
    dict(id="partial_nudges_every_argument", item="derivadas", file="derivatives.py",
         old="    nudged[index] = nudged[index] + h\n", new="    nudged = [a + h for a in nudged]\n"),
    dict(id="chain_rule_outer_at_x", item="derivadas", file="derivatives.py",
         old="    return f_prime(g(x)) * g_prime(x)\n", new="    return f_prime(x) * g_prime(x)\n"),
    # gradiente-direcao
    dict(id="gradient_uses_forward_difference", item="gradiente-direcao", file="derivatives.py",
         old="        grads.append((f(*up) - f(*down)) / (2 * h))\n", new="        grads.append((f(*up) - f(*args)) / h)\n"),
    dict(id="gradient_default_h_too_small", item="gradiente-direcao", file="derivatives.py",   # audit
         old="def gradient(f, args, h=1e-5):", new="def gradient(f, args, h=1e-6):"),
    dict(id="descent_direction_follows_derivative", item="gradiente-direcao", file="derivatives.py",
         old="    if derivative > 0:\n        return -1\n    if derivative < 0:\n        return 1\n",
         new="    if derivative > 0:\n        return 1\n    if derivative < 0:\n        return -1\n"),
    dict(id="descent_direction_returns_minus_derivative", item="gradiente-direcao", file="derivatives.py",
         old="    if derivative > 0:\n        return -1\n", new="    if derivative != 0:\n        return -derivative\n"),
    dict(id="descent_step_climbs", item="gradiente-direcao", file="derivatives.py",
         old="[p - learning_rate * g for p, g", new="[p + learning_rate * g for p, g"),
    dict(id="descent_step_mutates_params", item="gradiente-direcao", file="derivatives.py",
         old="    return [p - learning_rate * g for p, g in zip(params, grads)]\n",
         new="    for i, g in enumerate(grads):\n        params[i] -= learning_rate * g\n    return params\n"),
    dict(id="descent_loop_off_by_one", item="gradiente-direcao", file="derivatives.py",
         old="    for _ in range(iterations):\n", new="    for _ in range(iterations - 1):\n"),
    dict(id="descent_loop_forgets_w0", item="gradiente-direcao", file="derivatives.py",
         old="    trajectory = [w0]\n", new="    trajectory = []\n"),
    # value-backprop
    dict(id="add_assigns_instead_of_accumulating", item="value-backprop", file="value.py",
         old="            self.grad += out.grad\n            other.grad += out.grad\n",
         new="            self.grad = out.grad\n            other.grad = out.grad\n"),
    dict(id="mul_assigns_instead_of_accumulating", item="value-backprop", file="value.py",
         old="            self.grad += other.data * out.grad\n            other.grad += self.data * out.grad\n",
         new="            self.grad = other.data * out.grad\n            other.grad = self.data * out.grad\n"),
    dict(id="exp_assigns_instead_of_accumulating", item="value-backprop", file="value.py",
         old="            self.grad += e * out.grad\n", new="            self.grad = e * out.grad\n"),
    dict(id="backward_without_topological_sort", item="value-backprop", file="value.py",
         old=BACKWARD, new=NAIVE_BACKWARD),
    dict(id="backward_without_root_gradient", item="value-backprop", file="value.py",
         old="        self.grad = 1.0\n        for v in reversed(topo):\n", new="        for v in reversed(topo):\n"),
    dict(id="tanh_derivative_wrong", item="value-backprop", file="value.py",
         old="(1 - t ** 2) * out.grad", new="(1 - t) * out.grad"),
    dict(id="relu_derivative_one_at_zero", item="value-backprop", file="value.py",
         old="(1.0 if self.data > 0 else 0.0)", new="(1.0 if self.data >= 0 else 0.0)"),
    dict(id="sigmoid_overflows", item="value-backprop", file="value.py",
         old="        if self.data >= 0:\n            s = 1 / (1 + math.exp(-self.data))\n        else:\n"
             "            e = math.exp(self.data)\n            s = e / (1 + e)\n",
         new="        s = 1 / (1 + math.exp(-self.data))\n"),
    dict(id="pow_derivative_wrong", item="value-backprop", file="value.py",
         old="other * self.data ** (other - 1) * out.grad", new="other * self.data ** other * out.grad"),
    dict(id="log_derivative_wrong", item="value-backprop", file="value.py",
         old="(1 / self.data) * out.grad", new="(1 / out.data) * out.grad"),
    dict(id="rsub_reversed", item="value-backprop", file="value.py",
         old="        return other + (-self)\n", new="        return self + (-other)\n"),
    dict(id="add_assigns_to_self_only", item="value-backprop", file="value.py",   # audit
         old="            self.grad += out.grad\n            other.grad += out.grad\n",
         new="            self.grad = out.grad\n            other.grad += out.grad\n"),
    dict(id="tanh_assigns_instead_of_accumulating", item="value-backprop", file="value.py",   # audit
         old="            self.grad += (1 - t ** 2) * out.grad\n", new="            self.grad = (1 - t ** 2) * out.grad\n"),
    dict(id="sigmoid_negative_branch_wrong", item="value-backprop", file="value.py",   # audit
         old="            s = e / (1 + e)\n", new="            s = 1 / (1 + e)\n"),
    dict(id="exp_forgets_out_grad", item="value-backprop", file="value.py",
         old="            self.grad += e * out.grad\n", new="            self.grad += e\n"),
    dict(id="relu_forgets_out_grad", item="value-backprop", file="value.py",
         old="(1.0 if self.data > 0 else 0.0) * out.grad", new="(1.0 if self.data > 0 else 0.0)"),
    dict(id="tanh_forgets_out_grad", item="value-backprop", file="value.py",
         old="(1 - t ** 2) * out.grad", new="(1 - t ** 2)"),
    dict(id="log_forgets_out_grad", item="value-backprop", file="value.py",
         old="(1 / self.data) * out.grad", new="(1 / self.data)"),
    dict(id="sigmoid_forgets_out_grad", item="value-backprop", file="value.py",
         old="s * (1 - s) * out.grad", new="s * (1 - s)"),
    dict(id="pow_forgets_out_grad", item="value-backprop", file="value.py",
         old="other * self.data ** (other - 1) * out.grad", new="other * self.data ** (other - 1)"),
    # mse
    dict(id="mse_sums_instead_of_averaging", item="mse", file="losses.py",
         old="    total = sum((p - y) ** 2 for y, p in zip(y_true, y_pred))\n    return total * (1 / len(y_true))\n",
         new="    total = sum((p - y) ** 2 for y, p in zip(y_true, y_pred))\n    return total\n"),
    dict(id="mse_absolute_error", item="mse", file="losses.py",
         old="sum((p - y) ** 2 for y, p in zip(y_true, y_pred))", new="sum(abs(p - y) for y, p in zip(y_true, y_pred))"),
    dict(id="mse_without_validation", item="mse", file="losses.py",
         old="def mse(y_true, y_pred):\n    _check_batch(y_true, y_pred)\n", new="def mse(y_true, y_pred):\n"),
    dict(id="mse_gradient_missing_2", item="mse", file="losses.py",
         old="[2 * (p - y) / n for y, p", new="[(p - y) / n for y, p"),
    # cross-entropy
    dict(id="bce_without_clipping", item="cross-entropy", file="losses.py",
         old="            p = min(max(p, eps), 1 - eps)\n", new=""),
    dict(id="bce_wrong_sign", item="cross-entropy", file="losses.py",
         old="total = total - (y * math.log(p)", new="total = total + (y * math.log(p)"),
    dict(id="softmax_without_max_shift", item="cross-entropy", file="losses.py",
         old="    exps = [math.exp(z - top) for z in logits]\n", new="    exps = [math.exp(z) for z in logits]\n"),
    dict(id="softmax_shifts_callers_list", item="cross-entropy", file="losses.py",
         old="    top = max(logits)\n    exps = [math.exp(z - top) for z in logits]\n",
         new="    top = max(logits)\n    for i in range(len(logits)):\n        logits[i] -= top\n"
             "    exps = [math.exp(z) for z in logits]\n"),
    dict(id="cross_entropy_without_log_sum_exp", item="cross-entropy", file="losses.py",
         old="    return top + math.log(sum(math.exp(z - top) for z in logits))\n",
         new="    return math.log(sum(math.exp(z) for z in logits))\n"),
    dict(id="cross_entropy_sums_instead_of_averaging", item="cross-entropy", file="losses.py",
         old="    return total / len(labels)\n", new="    return total\n"),
    dict(id="cross_entropy_gradient_without_onehot", item="cross-entropy", file="losses.py",
         old="[(q - (1 if j == k else 0)) / n for j, q", new="[q / n for j, q"),
    # quando-usar-loss
    dict(id="saturation_gradient_without_sigmoid_factor", item="quando-usar-loss", file="losses.py",
         old="return 2 * (p - y) * p * (1 - p), p - y", new="return 2 * (p - y), p - y"),
    dict(id="choose_loss_accepts_anything", item="quando-usar-loss", file="losses.py",
         old="    raise ValueError(f\"tarefa desconhecida: {task!r}\")\n", new="    return \"mse\"\n"),
    dict(id="choose_loss_swapped", item="quando-usar-loss", file="losses.py",
         old="    if task == \"regression\":\n        return \"mse\"\n",
         new="    if task == \"regression\":\n        return \"cross_entropy\"\n"),
    dict(id="choose_loss_lower_cases", item="quando-usar-loss", file="losses.py",
         old="def choose_loss(task):\n", new="def choose_loss(task):\n    task = task.lower()\n"),
    dict(id="choose_loss_strips", item="quando-usar-loss", file="losses.py",
         old="def choose_loss(task):\n", new="def choose_loss(task):\n    task = task.strip()\n"),
    # loss-mlp
    dict(id="dataset_uses_global_random", item="loss-mlp", file="gradient_check.py",
         old="    rng = random.Random(seed)\n", new="    random.seed(seed)\n    rng = random\n"),
    dict(id="dataset_single_class", item="loss-mlp", file="gradient_check.py",
         old="        label = i % 2\n", new="        label = int(i >= n // 2 + 1)\n"),
    dict(id="make_dataset_default_seed_is_one", item="loss-mlp", file="gradient_check.py",   # audit
         old="def make_dataset(n=100, seed=0):", new="def make_dataset(n=100, seed=1):"),
    dict(id="mlp_loss_sums_instead_of_averaging", item="loss-mlp", file="gradient_check.py",
         old="    return total * (1 / len(X))\n", new="    return total\n"),
    dict(id="mlp_loss_always_mse", item="loss-mlp", file="gradient_check.py",
         old="        if loss == \"mse\":\n", new="        if True:\n"),
    dict(id="mlp_loss_accepts_unknown_loss", item="loss-mlp", file="gradient_check.py",
         old="    if loss not in (\"mse\", \"cross_entropy\"):\n", new="    if False:\n"),
    # gradient-check
    dict(id="numeric_gradient_does_not_restore", item="gradient-check", file="gradient_check.py",
         old="    finally:\n        param.data = original\n\n\ndef gradient_check",
         new="    finally:\n        pass\n\n\ndef gradient_check"),
    dict(id="numeric_gradient_restores_by_subtracting", item="gradient-check", file="gradient_check.py",
         old="        param.data = original - h\n        down = compute_loss().data\n        return (up - down) / (2 * h)\n"
             "    finally:\n        param.data = original\n",
         new="        param.data -= 2 * h\n        down = compute_loss().data\n        return (up - down) / (2 * h)\n"
             "    finally:\n        param.data += h\n"),
    dict(id="numeric_gradient_forward_restores_by_subtracting", item="gradient-check", file="gradient_check.py",
         old="        if method == \"forward\":\n            param.data = original\n            return (up - compute_loss().data) / h\n",
         new="        if method == \"forward\":\n            param.data -= h\n            original = param.data\n"
             "            return (up - compute_loss().data) / h\n"),
    dict(id="numeric_gradient_central_missing_2", item="gradient-check", file="gradient_check.py",
         old="        return (up - down) / (2 * h)\n", new="        return (up - down) / h\n"),
    dict(id="gradient_check_does_not_zero_grads", item="gradient-check", file="gradient_check.py",
         old="    for p in parameters:\n        p.grad = 0.0\n", new=""),
    dict(id="gradient_check_uses_forward_difference", item="gradient-check", file="gradient_check.py",
         old="numeric_gradient(compute_loss, p, h))", new="numeric_gradient(compute_loss, p, h, \"forward\"))"),
    dict(id="check_passes_not_strict", item="gradient-check", file="gradient_check.py",
         old="abs(a - n) < tol", new="abs(a - n) <= tol"),
    dict(id="check_passes_any_instead_of_all", item="gradient-check", file="gradient_check.py",
         old="    return all(abs(a - n) < tol", new="    return any(abs(a - n) < tol"),
    dict(id="loss_goes_up_inverted", item="gradient-check", file="gradient_check.py",
         old="    analytic_up = param.grad > 0\n", new="    analytic_up = param.grad < 0\n"),
    dict(id="loss_goes_up_keeps_stale_grad", item="gradient-check", file="gradient_check.py",   # audit
         old="    param.grad = 0.0\n    loss = compute_loss()\n", new="    loss = compute_loss()\n"),
    dict(id="train_default_learning_rate_wrong", item="gradient-check", file="gradient_check.py",   # audit
         old="def train(model, X, y, steps=50, learning_rate=0.1,", new="def train(model, X, y, steps=50, learning_rate=0.01,"),
    dict(id="train_climbs", item="gradient-check", file="gradient_check.py",
         old="p.data -= learning_rate * p.grad", new="p.data += learning_rate * p.grad"),
    dict(id="train_without_zero_grad", item="gradient-check", file="gradient_check.py",
         old="        model.zero_grad()\n        current.backward()\n", new="        current.backward()\n"),
    dict(id="train_records_loss_after_update", item="gradient-check", file="gradient_check.py",
         old="        history.append(current.data)\n",
         new="        history.append(mlp_loss(model, X, y, loss).data)\n"),
]

# Issue 21: the bug classes that passed every test or only some seeds. Each
# is caught on every seed (checked on 10), in its own item only. `also` holds
# extra (file, old, new) replacements that are not the bug: a correct rewrite
# the bug needs around it (mlp_loss binding the student's losses at import).
BREADTH_FIRST = '''    def backward(self):
        from collections import deque
        order, queued, waiting = [], {id(self)}, deque([self])
        while waiting:
            v = waiting.popleft()
            order.append(v)
            for child in v._prev:
                if id(child) not in queued:
                    queued.add(id(child))
                    waiting.append(child)
        self.grad = 1.0
        for v in order:
            v._backward()
'''
STACK_WITHOUT_VISITED = '''    def backward(self):
        topo, stack = [], [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                topo.append(v)
            else:
                stack.append((v, True))
                stack.extend((child, False) for child in v._prev)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
'''
PRE_ORDER = '''    def backward(self):
        order, visited = [], set()

        def visit(v):
            if v not in visited:
                visited.add(v)
                order.append(v)
                for child in v._prev:
                    visit(child)
        visit(self)
        self.grad = 1.0
        for v in order:
            v._backward()
'''
RECURSIVE_WITHOUT_VISITED = '''    def backward(self):
        topo = []

        def build(v):
            for child in v._prev:
                build(child)
            topo.append(v)
        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
'''
MLP_LOSS = '''def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss desconhecida: {loss!r}")
    total = 0.0
    for xi, yi in zip(X, y):
        p = model(xi).sigmoid()
        if loss == "mse":
            total = total + (p - yi) ** 2
        else:
            total = total - (yi * p.log() + (1 - yi) * (1 - p).log())
    return total * (1 / len(X))
'''
MLP_LOSS_DEFAULT_ARGUMENT = '''def mlp_loss(model, X, y, loss="mse", _losses={"mse": mse, "cross_entropy": binary_cross_entropy}):
    if loss not in _losses:
        raise ValueError(f"loss desconhecida: {loss!r}")
    return _losses[loss](y, [model(xi).sigmoid() for xi in X])
'''
MLP_LOSS_CLOSURE = '''def _make_mlp_loss():
    import losses
    table = {"mse": losses.mse, "cross_entropy": losses.binary_cross_entropy}

    def mlp_loss(model, X, y, loss="mse"):
        if loss not in table:
            raise ValueError(f"loss desconhecida: {loss!r}")
        return table[loss](y, [model(xi).sigmoid() for xi in X])
    return mlp_loss


mlp_loss = _make_mlp_loss()
'''
MLP_LOSS_ALIASES = '''def mlp_loss(model, X, y, loss="mse"):
    if loss not in ("mse", "cross_entropy"):
        raise ValueError(f"loss desconhecida: {loss!r}")
    probs = [model(xi).sigmoid() for xi in X]
    return _mse(y, probs) if loss == "mse" else _bce(y, probs)
'''
MLP_LOSS_PARTIAL = '''_LOSSES = {"mse": functools.partial(losses.mse), "cross_entropy": functools.partial(losses.binary_cross_entropy, eps=1e-12)}


def mlp_loss(model, X, y, loss="mse"):
    if loss not in _LOSSES:
        raise ValueError(f"loss desconhecida: {loss!r}")
    return _LOSSES[loss](y, [model(xi).sigmoid() for xi in X])
'''
IMPORTS = "import random\n"
MSE_SUMS = ("losses.py", "    total = sum((p - y) ** 2 for y, p in zip(y_true, y_pred))\n    return total * (1 / len(y_true))\n",
            "    total = sum((p - y) ** 2 for y, p in zip(y_true, y_pred))\n    return total\n")
BCE_VALUE_SIGN = ("losses.py", "            total = total + -(y * p.log() + (1 - y) * (1 - p).log())\n",
                  "            total = total + (y * p.log() + (1 - y) * (1 - p).log())\n")

MUTANTS += [
    # value-backprop: traversals right on trees and on direct reuse, wrong on shared interior nodes
    dict(id="backward_breadth_first", item="value-backprop", file="value.py", old=BACKWARD, new=BREADTH_FIRST),
    dict(id="backward_stack_without_visited", item="value-backprop", file="value.py", old=BACKWARD,
         new=STACK_WITHOUT_VISITED),
    dict(id="backward_pre_order", item="value-backprop", file="value.py", old=BACKWARD, new=PRE_ORDER),
    dict(id="backward_recursive_without_visited", item="value-backprop", file="value.py", old=BACKWARD,
         new=RECURSIVE_WITHOUT_VISITED),
    # a keyword parameter ignored
    dict(id="bce_ignores_eps", item="cross-entropy", file="losses.py",
         old="            p = min(max(p, eps), 1 - eps)\n", new="            p = min(max(p, 1e-12), 1 - 1e-12)\n"),
    dict(id="gradient_check_ignores_h", item="gradient-check", file="gradient_check.py",
         old="numeric_gradient(compute_loss, p, h))", new="numeric_gradient(compute_loss, p))"),
    dict(id="numeric_gradient_ignores_h", item="gradient-check", file="gradient_check.py",
         old="        raise ValueError(f\"método desconhecido: {method!r}\")\n",
         new="        raise ValueError(f\"método desconhecido: {method!r}\")\n    h = 1e-3\n"),
    dict(id="loss_goes_up_ignores_h", item="gradient-check", file="gradient_check.py",
         old="        param.data = original + h\n        measured_up", new="        param.data = original + 1e-3\n        measured_up"),
    dict(id="train_ignores_learning_rate", item="gradient-check", file="gradient_check.py",
         old="p.data -= learning_rate * p.grad", new="p.data -= 0.1 * p.grad"),
    dict(id="train_ignores_steps", item="gradient-check", file="gradient_check.py",
         old="    for _ in range(steps):\n        current", new="    for _ in range(50):\n        current"),
    # an argument updated in place: harmless on a list (np.asarray copies it), a bug on an array
    dict(id="descent_step_updates_array_in_place", item="gradiente-direcao", file="derivatives.py",
         old="    return [p - learning_rate * g for p, g in zip(params, grads)]\n",
         new="    import numpy as np\n    theta = np.asarray(params, dtype=float)\n"
             "    theta -= learning_rate * np.asarray(grads, dtype=float)\n    return theta\n"),
    dict(id="partial_derivative_nudges_array_in_place", item="derivadas", file="derivatives.py",
         old="    nudged = list(args)\n    nudged[index] = nudged[index] + h\n    return (f(*nudged) - f(*args)) / h\n",
         new="    import numpy as np\n    point = np.asarray(args, dtype=float)\n    before = f(*point)\n"
             "    point[index] += h\n    return (f(*point) - before) / h\n"),
    dict(id="mse_gradient_updates_array_in_place", item="mse", file="losses.py",
         old="    return [2 * (p - y) / n for y, p in zip(y_true, y_pred)]\n",
         new="    import numpy as np\n    diff = np.asarray(y_pred, dtype=float)\n    diff -= np.asarray(y_true, dtype=float)\n"
             "    diff *= 2 / n\n    return diff\n"),
    dict(id="softmax_shifts_array_in_place", item="cross-entropy", file="losses.py",
         old="    top = max(logits)\n    exps = [math.exp(z - top) for z in logits]\n    s = sum(exps)\n    return [e / s for e in exps]\n",
         new="    import numpy as np\n    z = np.asarray(logits, dtype=float)\n    z -= z.max()\n    np.exp(z, out=z)\n"
             "    z /= z.sum()\n    return z\n"),
    dict(id="cross_entropy_gradient_updates_array_in_place", item="cross-entropy", file="losses.py",
         old="    grads = []\n    for z, k in zip(logits_batch, labels):\n        probs = softmax(z)\n"
             "        grads.append([(q - (1 if j == k else 0)) / n for j, q in enumerate(probs)])\n    return grads\n",
         new="    import numpy as np\n    z = np.asarray(logits_batch, dtype=float)\n    z -= z.max(axis=1, keepdims=True)\n"
             "    np.exp(z, out=z)\n    z /= z.sum(axis=1, keepdims=True)\n    z[np.arange(n), np.asarray(labels)] -= 1\n"
             "    z /= n\n    return z\n"),
    # a relative tolerance where SPEC says absolute
    dict(id="check_passes_relative", item="gradient-check", file="gradient_check.py",
         old="    return all(abs(a - n) < tol for a, n in pairs)\n",
         new="    return all(abs(a - n) < tol * max(abs(a), abs(n)) for a, n in pairs)\n"),
    dict(id="check_passes_isclose", item="gradient-check", file="gradient_check.py",
         old="    return all(abs(a - n) < tol for a, n in pairs)\n",
         new="    return all(math.isclose(a, n, rel_tol=tol, abs_tol=tol) for a, n in pairs)\n",
         also=[("gradient_check.py", IMPORTS, "import math\nimport random\n")]),
    # labels not guaranteed to hold both classes
    dict(id="dataset_random_labels", item="loss-mlp", file="gradient_check.py",
         old="        label = i % 2\n", new="        label = rng.randint(0, 1)\n"),
    dict(id="dataset_labels_by_side_can_be_one_class", item="loss-mlp", file="gradient_check.py",
         old="    X, y = [], []\n    for i in range(n):\n        label = i % 2\n        center = 1.0 if label else -1.0\n"
             "        X.append([center + rng.gauss(0, 0.7), center + rng.gauss(0, 0.7)])\n        y.append(label)\n",
         new="    X = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]\n    y = [int(a + b > 0) for a, b in X]\n"),
    # a losses.py bug, with an mlp_loss (or train) that bound the student's function at import
    dict(id="mse_bug_with_mlp_loss_default_argument", item="mse", file=MSE_SUMS[0], old=MSE_SUMS[1], new=MSE_SUMS[2],
         also=[("gradient_check.py", IMPORTS, "import random\n\nfrom losses import binary_cross_entropy, mse\n"),
               ("gradient_check.py", MLP_LOSS, MLP_LOSS_DEFAULT_ARGUMENT)]),
    dict(id="bce_bug_with_mlp_loss_closure", item="cross-entropy", file=BCE_VALUE_SIGN[0], old=BCE_VALUE_SIGN[1],
         new=BCE_VALUE_SIGN[2], also=[("gradient_check.py", MLP_LOSS, MLP_LOSS_CLOSURE)]),
    dict(id="mse_bug_with_mlp_loss_aliases", item="mse", file=MSE_SUMS[0], old=MSE_SUMS[1], new=MSE_SUMS[2],
         also=[("gradient_check.py", IMPORTS, "import random\n\nfrom losses import binary_cross_entropy as _bce\n"
                "from losses import mse as _mse\n"), ("gradient_check.py", MLP_LOSS, MLP_LOSS_ALIASES)]),
    dict(id="bce_bug_with_mlp_loss_partial", item="cross-entropy", file=BCE_VALUE_SIGN[0], old=BCE_VALUE_SIGN[1],
         new=BCE_VALUE_SIGN[2], also=[("gradient_check.py", IMPORTS, "import functools\nimport random\n\nimport losses\n"),
                                      ("gradient_check.py", MLP_LOSS, MLP_LOSS_PARTIAL)]),
    dict(id="mlp_loss_bug_with_train_default_argument", item="loss-mlp", file="gradient_check.py",
         old="    return total * (1 / len(X))\n", new="    return total\n",
         also=[("gradient_check.py", "def train(model, X, y, steps=50, learning_rate=0.1, loss=\"cross_entropy\"):\n",
                "def train(model, X, y, steps=50, learning_rate=0.1, loss=\"cross_entropy\", loss_fn=mlp_loss):\n"),
               ("gradient_check.py", "        current = mlp_loss(model, X, y, loss)\n",
                "        current = loss_fn(model, X, y, loss)\n")]),
]


def replacements(mutant):
    """The (file, old, new) edits that make the mutant from the reference: the rewrites around it, then the bug."""
    return [*mutant.get("also", []), (mutant["file"], mutant["old"], mutant["new"])]
