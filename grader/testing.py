"""The suite-author API: everything a hidden or public suite uses, in one place.

A suite is a pytest file named by an item of grader/manifest.toml. Its tests
receive two fixtures from grader/judge/judge_plugin.py:

    student   the child process that runs the submission (never imported here)
    rng       a random.Random seeded from the run's seed and the test's name

The rules a suite keeps (SPEC sections 2 and 4, known-attacks.md):
- Student code runs only in the child, as source text sent with `run`; the
  judge computes every expected value itself, from inputs it chose.
- Test inputs are bound as variables, and a snippet imports by name only the
  functions it calls (`from m import f`, never `import *`), so nothing a
  submission defines at module level changes what a test passes in.
- `from value import Value` in a snippet is the judge's Value
  (grader/suites/hidden/stand_in_value.py); only value-backprop reaches the student's
  own class, as `from student_value import Value`. Its tests run first, where
  no stand-in exists, and every object a snippet of theirs leaves bound (but
  plain data, functions and modules) must be of a class from the student's
  value.py: the judge fails the test otherwise (student_process.py).
- Randomness picks values, never whether a discriminating case is present:
  a case that needs a particular kind of input builds one on every seed.
- The number of tests is part of each item's score: add tests knowingly.

Checking a recipe without over-constraining it (SPEC section 4):
- Grade what SPEC names: the value (the formula, at the `h` passed) and the
  state left behind (a weight restored bit for bit, inputs unchanged). How
  often the student's code calls a callback, in which order, or at which
  extra points is theirs to choose: a numeric_gradient that evaluates L(w+h),
  L(w-h) and L(w) and then picks the method's formula is right.
- Make the value tell the parameters apart, instead of watching the calls:
  a loss whose finite differences move with h (a steep cosh term: the central
  error (kh)²/6 at k = 10 is 1.7e-5 at h = 1e-3, 16 times the tolerance away
  from h = 1e-4), a non-default value on every seed for every keyword
  parameter, a case on every seed where an absolute and a relative
  tolerance disagree.
- Look at the calls only where the value cannot tell (a bool from
  loss_goes_up, the default h of a derivative on a polynomial), and then
  only require what SPEC asks ("a nudge of +h happened"), never "nothing
  else happened".
- A graph test must give one result under every topological order (SPEC
  pins none), for a correct Value and for a buggy one alike: share a node
  only between uses one of which is an ancestor of the other, or between two
  uses of the same operation that receive the same out.grad, one of them at
  least two levels deeper (test_value_backprop.py's SHARED_DEEPER). Then a
  breadth-first order, a pre-order or a second visit is wrong in every order
  of the sets, with the same wrong value.
"""
import math
import textwrap
from functools import lru_cache

from .judge.failures import HINTED, classify
from .manifest import load, stand_in_source
from .judge.student_process import StudentError

TOLERANCE = 1e-6   # the default relative and absolute tolerance of close()


class Mismatch(AssertionError):
    """A test failure whose message is written for the student; `hint` is
    the hint alone, for when the manifest shows less than the full message.
    `kind` is grader/judge/failures.py's classification (a returned value that is
    wrong, unless the child said otherwise); `module` and `function` name
    what was missing; `graph` is what value_graph drew of a Value test."""

    def __init__(self, message, hint="", kind="wrong", module="", function="", graph=None):
        super().__init__(message)
        self.hint, self.kind, self.module, self.function, self.graph = hint, kind, module, function, graph


def hint(key):
    return load().hints[key] if key else ""


def fail(message, hint_key=None):
    text = hint(hint_key)
    raise Mismatch(f"{message} Dica: {text}" if text else message, text)


def keyed(default, **evidence):
    """The hint key that fits what a test saw: the first keyword whose
    evidence is true, else `default`. One test may fail for several reasons
    (a root grad never seeded, a wrong forward value, a weight not restored),
    and each has its own explanation:

        keyed("local_derivative", root_grad=root != 1.0, forward_value=not ok)
    """
    return next((key for key, seen in evidence.items() if seen), default)


def student_failure(err, what, hint_key=None):
    """The Mismatch for a call that did not return: classified (missing file,
    undefined function, stub, limit, raised), with the bug hint only when the
    code ran and raised (grader/judge/failures.py)."""
    found = classify(err, what)
    text = hint(hint_key) if found.kind in HINTED else ""
    message = f"{found.message} Dica: {text}" if text else found.message
    return Mismatch(message, text, found.kind, found.module, found.function)


# -- calling the child ------------------------------------------------------
def run(student, code, what, hint=None, **variables):
    """Run `code` in the child with `variables` bound; return its `result`.
    A call that raised, hung or crashed fails with `hint` attached."""
    try:
        return student.run(code, what=what, **variables)
    except StudentError as err:
        raise student_failure(err, what, hint) from None


def call(student, module, function, *args, what=None, hint=None):
    """module.function(*args) in the child; args must be plain data. The
    arguments come back too: a function that changes them fails (SPEC
    section 4: no function mutates its inputs)."""
    what = what or f"{function}(...)"
    got = run(student, f"from {module} import {function}\nresult = [{function}(*args), args]", what, hint,
              args=list(args))
    value, after = sequence(got, what, 2)
    if not _same(after, list(args)):
        fail(f"{what} alterou as listas que recebeu.", "no_mutation")
    return value


def call_arrays(student, module, function, *args, what=None, hint=None):
    """module.function(*args) in the child with every list argument turned
    into a numpy array (SPEC section 4: any sequence may be one). The arrays
    come back too: an in-place update (`x -= ...` after `np.asarray(x)`,
    which does not copy an array) changes the caller's data and fails."""
    what = what or f"{function}(...)"
    code = (f"import numpy as _np\nfrom {module} import {function}\n"
            "_arrays = [_np.array(a) if isinstance(a, list) else a for a in args]\n"
            f"result = [{function}(*_arrays), [a.tolist() if isinstance(a, _np.ndarray) else a for a in _arrays]]")
    got = run(student, code, what, hint, args=list(args))
    value, after = sequence(got, what, 2)
    if not _same(after, list(args)):
        fail(f"{what} alterou os arrays numpy que recebeu.", "no_mutation_array")
    return value


# Appended to a snippet that defines `attempt()`: `result` is the name of what
# it raised ('ValueError' for any subclass of it), or None.
RAISED = ("\ntry:\n    attempt()\n    result = None\nexcept ValueError:\n    result = 'ValueError'\n"
          "except Exception as exc:\n    result = type(exc).__name__\n")


def raised(student, module, function, *args, what=None, hint=None):
    """Name of what module.function(*args) raised, or None if it returned."""
    code = f"from {module} import {function}\ndef attempt():\n    {function}(*args)\n" + RAISED
    return run(student, code, what or f"{function}(...)", hint, args=list(args))


class Shared:
    """One source text for code both sides need (a hand-made loss, the
    reference mlp_loss): `source` goes into snippets, `ns` is the same code run
    by the judge to compute what to expect."""

    def __init__(self, source):
        self.source = textwrap.dedent(source).strip() + "\n"
        self.ns = {}
        exec(compile(self.source, "<shared>", "exec"), self.ns)

    def __getitem__(self, name):
        return self.ns[name]


def patched(module, names, body, same_as=None):
    """Snippet text: run `body` with `module.<name>` set to the snippet's own
    `names[name]` (so a function is graded apart from the student's others),
    restoring them afterwards, since the child lives on for later tests. A
    module that did not import is left alone; with `same_as`, a name is
    replaced only where it is that module's function (imported from there)."""
    condition = "hasattr(_target, _name)"
    if same_as:
        condition += f" and getattr(_target, _name) is getattr(_sys.modules.get({same_as!r}), _name, _saved)"
    lines = ["import importlib as _importlib, sys as _sys", "try:",
             f"    _target = _importlib.import_module({module!r})",
             "except Exception:", "    _target = None", "_saved = {}",
             f"for _name, _new in {{{', '.join(f'{n!r}: {v}' for n, v in names.items())}}}.items():",
             f"    if _target is not None and {condition}:",
             "        _saved[_name] = getattr(_target, _name)", "        setattr(_target, _name, _new)",
             "try:", textwrap.indent(body.rstrip("\n") or "pass", "    "), "finally:",
             "    for _name, _old in _saved.items():", "        setattr(_target, _name, _old)"]
    # Nested patches each keep their own names.
    tag = "_" + "".join(c if c.isalnum() else "_" for c in module)
    return "".join(line.replace("_target", "_target" + tag).replace("_saved", "_saved" + tag) + "\n" for line in lines)


def rebound(module, names, body):
    """Like `patched`, and the student's function object module.<name> itself
    runs the judge's function while `body` runs: its __code__, __defaults__
    and __kwdefaults__ are swapped for the judge's (and put back), so every
    way a submission may have bound it at import (`from m import f as g`, a
    default argument, a dict of functions, a closure, functools.partial)
    runs the judge's code. The judge's function must read no global name
    (pass builtins as keyword-only defaults): it runs with the student's
    module globals. A function with free variables (a closure) cannot take
    another code object; it is only replaced by name."""
    tag = "_" + "".join(c if c.isalnum() else "_" for c in module)
    lines = ["import importlib as _importlib", "try:",
             f"    _target = _importlib.import_module({module!r})",
             "except Exception:", "    _target = None", "_swapped = []",
             f"for _name, _new in {{{', '.join(f'{n!r}: {v}' for n, v in names.items())}}}.items():",
             "    _old = getattr(_target, _name, None)",
             "    if type(_old) is type(_new) and not _old.__code__.co_freevars:",
             "        _swapped.append((_old, _old.__code__, _old.__defaults__, _old.__kwdefaults__))",
             "        _old.__code__, _old.__defaults__, _old.__kwdefaults__ = "
             "_new.__code__, _new.__defaults__, _new.__kwdefaults__",
             "try:", textwrap.indent(patched(module, names, body).rstrip("\n"), "    "), "finally:",
             "    for _fn, _code, _defaults, _kwdefaults in reversed(_swapped):",
             "        _fn.__code__, _fn.__defaults__, _fn.__kwdefaults__ = _code, _defaults, _kwdefaults"]
    return "".join(line.replace("_target", "_target" + tag).replace("_swapped", "_swapped" + tag) + "\n"
                   for line in lines)


# -- checking what came back ------------------------------------------------
def show(x):
    """A value as the student should read it; floats at full precision, so
    two numbers that differ never print alike."""
    if isinstance(x, dict) and "__object__" in x:
        return f"um objeto do tipo {x['__object__']}"
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, list):
        inner = ", ".join(show(v) for v in x[:6])
        return f"[{inner}{', ...' if len(x) > 6 else ''}]"
    return repr(x)[:200]


def real(x, what, hint_key=None):
    """x as a float, if it is a real number (int or float, never bool)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        fail(f"{what} devolveu {show(x)}; esperava um número real.", hint_key)
    return float(x)


def sequence(x, what, length=None, hint_key=None):
    if not isinstance(x, list):
        fail(f"{what} devolveu {show(x)}; esperava uma lista.", hint_key)
    if length is not None and len(x) != length:
        fail(f"{what} devolveu {len(x)} elementos; esperava {length}.", hint_key)
    return x


def is_close(got, expected, rel=TOLERANCE, abs_tol=TOLERANCE):
    """A non-finite value matches only where the judge itself expects one."""
    if not math.isfinite(expected):
        return got == expected or (math.isnan(expected) and math.isnan(got))
    return math.isfinite(got) and math.isclose(got, expected, rel_tol=rel, abs_tol=abs_tol)


def close(got, expected, what, hint_key=None, rel=TOLERANCE, abs_tol=TOLERANCE):
    value = real(got, what, hint_key)
    if not is_close(value, expected, rel, abs_tol):
        fail(f"{what}: esperava {show(float(expected))}, veio {show(value)}.", hint_key)
    return value


def close_all(got, expected, what, hint_key=None, rel=TOLERANCE, abs_tol=TOLERANCE):
    """Each element close to its expected value. A `what` that starts by
    naming the elements ("[d.data, a.grad] para d = a·b") names the one
    that is wrong ("a.grad para d = a·b"); otherwise it is counted from 1."""
    values = sequence(got, what, len(expected), hint_key)
    names = _element_names(what, len(expected))
    for i, (g, e) in enumerate(zip(values, expected)):
        close(g, e, names[i], hint_key, rel, abs_tol)
    return values


def _element_names(what, n):
    if what.startswith("[") and "]" in what:
        listed, rest = what[1:].split("]", 1)
        names = [name.strip() for name in listed.split(",")]
        if len(names) == n and "..." not in listed and all(names):
            return [name + rest for name in names]
    return [f"{what}, elemento {i + 1} de {n}" for i in range(n)]


def finite(got, what, hint_key=None):
    value = real(got, what, hint_key)
    if not math.isfinite(value):
        fail(f"{what} devolveu {value}; esperava um número finito.", hint_key)
    return value


def equal(got, expected, what, hint_key=None):
    """Exactly equal, numbers compared as numbers (1 == 1.0, never True == 1)."""
    if not _same(got, expected):
        fail(f"{what}: esperava {show(expected)}, veio {show(got)}.", hint_key)
    return got


def _same(got, expected):
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(got) is type(expected) and got == expected
    if isinstance(expected, (int, float)):
        return isinstance(got, (int, float)) and float(got) == float(expected)
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(_same, got, expected))
    return type(got) is type(expected) and got == expected


def truth(got, what, hint_key=None):
    """A real bool (numpy's bool_ arrives as one)."""
    if not isinstance(got, bool):
        fail(f"{what} devolveu {show(got)}; esperava True ou False.", hint_key)
    return got


def raises(outcome, exc_type, what, hint_key=None):
    """outcome is the child's report of an expected exception (see RAISED)."""
    if outcome == "NotImplementedError":   # the stub, not a wrong exception: no hint fits
        raise Mismatch(f"{what}: ainda não foi implementada (levanta o NotImplementedError do stub).", kind="stub")
    if outcome != exc_type:
        came = "não levantou nenhuma exceção" if outcome is None else f"levantou {outcome}"
        fail(f"{what}: deveria levantar {exc_type}, mas {came}.", hint_key)


def require(condition, message, hint_key=None):
    if not condition:
        fail(message, hint_key)


def number_is(x, expected):
    """Whether x is a real number close to `expected` (evidence for keyed)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and is_close(float(x), expected)


@lru_cache(maxsize=None)
def judge_value():
    """The judge's correct Value class (the hidden suite's stand-in), run
    here in the judge to draw the graph a Value test expected; None where
    the hidden suite is absent (a student's kit)."""
    source = stand_in_source("hidden")
    if source is None:
        return None
    scope = {"__name__": "judge_value"}
    exec(compile(source, "<Value do avaliador>", "exec"), scope)
    return scope["build"]()


def signed(x, digits=3):
    """' + 2.5' or ' - 2.5': a number after an operator, never 'w - -2.5'."""
    return f" {'-' if x < 0 else '+'} {abs(x):.{digits}g}"


# -- building inputs ----------------------------------------------------------
# Snippet prefix: the function the student's code calls, wrapped so that the
# judge sees where it was evaluated (the default h, the nudged weight).
RECORDED = ("seen = []\ndef recorded(fn):\n    def wrapper(*args):\n"
            "        seen.append([float(a) for a in args])\n        return fn(*args)\n    return wrapper\n")


def step_taken(seen, point):
    """The largest distance, in any coordinate, of a recorded call from `point`."""
    return max((abs(float(v) - p) for call_args in seen for v, p in zip(call_args, point)), default=0.0)


def labels(rng, n):
    """n labels 0/1 with both classes (n >= 2), shuffled."""
    y = [i % 2 for i in range(n)]
    rng.shuffle(y)
    return y


def points(rng, n, low=-2.0, high=2.0):
    return [[rng.uniform(low, high), rng.uniform(low, high)] for _ in range(n)]


def drifting(rng, h, low=0.3, high=2.0):
    """Two weights (|w| in [low, high]) that the usual careless restores of a
    nudged weight do not give back bit for bit: `+= h` then `-= h`, `-= 2h`
    then `+= h`, `= w - h` then `+= h`. One weight cannot fail all three, so
    a test nudges both. About 1 draw in 2,000 fits (each draw ~0.5 µs)."""
    wanted = (lambda w: (w + h) - h != w and ((w + h) - 2 * h) + h != w,
              lambda w: (w - h) + h != w and ((w + h) - 2 * h) + h != w)
    found, draw, span = [], rng.random, high - low
    for fits in wanted:
        for _ in range(10_000_000):
            w = (low + span * draw()) * (1 if draw() < 0.5 else -1)
            if fits(w):
                found.append(w)
                break
        else:
            raise AssertionError(f"no drifting weight for h={h}")
    return found
