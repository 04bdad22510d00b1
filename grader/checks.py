"""Judge-side comparisons for the suites.

Everything the child returns is plain JSON data; these helpers check its type
and shape and compare it with the judge's own tolerance, raising `Mismatch`
with a Portuguese message the student can act on (never a traceback).
"""
import math

from .manifest import load


class Mismatch(AssertionError):
    """A test failure whose message is written for the student; `hint` is
    the hint alone, for when the manifest shows less than the full message."""

    def __init__(self, message, hint=""):
        super().__init__(message)
        self.hint = hint


def hint(key):
    return load().hints[key]


def _fail(message, hint_key=None):
    text = hint(hint_key) if hint_key else ""
    raise Mismatch(f"{message} Dica: {text}" if text else message, text)


def show(x):
    if isinstance(x, dict) and "__object__" in x:
        return f"um objeto do tipo {x['__object__']}"
    if isinstance(x, float):
        return f"{x:.6g}"
    if isinstance(x, list):
        inner = ", ".join(show(v) for v in x[:6])
        return f"[{inner}{', ...' if len(x) > 6 else ''}]"
    return repr(x)[:200]


def real(x, what):
    """x as a float, if it is a real number (int or float, never bool)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        _fail(f"{what} devolveu {show(x)}; esperava um número real.")
    return float(x)


def sequence(x, what, length=None):
    if not isinstance(x, list):
        _fail(f"{what} devolveu {show(x)}; esperava uma lista.")
    if length is not None and len(x) != length:
        _fail(f"{what} devolveu {len(x)} elementos; esperava {length}.")
    return x


def is_close(got, expected, rel=1e-6, abs_tol=1e-6):
    if math.isnan(expected):
        return math.isnan(got)
    return math.isclose(got, expected, rel_tol=rel, abs_tol=abs_tol)


def close(got, expected, what, hint_key=None, rel=1e-6, abs_tol=1e-6):
    value = real(got, what)
    if not is_close(value, expected, rel, abs_tol):
        _fail(f"{what}: esperava {expected:.6g}, veio {value:.6g}.", hint_key)
    return value


def close_all(got, expected, what, hint_key=None, rel=1e-6, abs_tol=1e-6):
    values = sequence(got, what, len(expected))
    for i, (g, e) in enumerate(zip(values, expected)):
        close(g, e, f"{what}[{i}]", hint_key, rel, abs_tol)
    return values


def finite(got, what, hint_key=None):
    value = real(got, what)
    if not math.isfinite(value):
        _fail(f"{what} devolveu {value}; esperava um número finito.", hint_key)
    return value


def equal(got, expected, what, hint_key=None):
    if type(got) is not type(expected) or got != expected:
        _fail(f"{what}: esperava {show(expected)}, veio {show(got)}.", hint_key)
    return got


def raises(outcome, exc_type, what, hint_key=None):
    """outcome is the child's report of an expected exception (see suites)."""
    if outcome != exc_type:
        came = "nenhuma exceção" if outcome is None else outcome
        _fail(f"{what}: esperava {exc_type}, veio {came}.", hint_key)


def require(condition, message, hint_key=None):
    if not condition:
        _fail(message, hint_key)
