"""Our hidden tests, run in one process with no child and no sandbox.

Used three ways by bench/compare.py: as the `student` fixture of the plain
pytest baseline, and, copied next to the notebook as `bench_shim.py`, as the
judge inside the Otter-Grader and nbgrader assignments, so that all tools
run exactly the same test functions with the same inputs. Standard library
and pytest only: it must import inside a peer's own environment.
"""
import importlib
import itertools
import random
import sys
import types

from grader.manifest import load

MODULES = load().modules   # what students write
SUITE = "grader.suites.hidden"


def plain(x):
    # The real child sends JSON, so a tuple arrives as a list; match that.
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def install_stand_in(student):
    """What the grader's child does once the student's value module is imported
    (grader/sandbox/child.py, install_stand_in): `import value` gives the judge's Value
    from then on (built on the student's class where it can be), the student's
    own stays `student_value` for value-backprop. Without it a Value bug would
    cost points in every item here and in one item in ours (SPEC section 2)."""
    from grader.manifest import stand_in_source
    scope = {"__name__": "value", "__stand_in__": True}
    exec(compile(stand_in_source("hidden"), "<Value do avaliador>", "exec"), scope)
    module = types.ModuleType("value")
    module.__dict__.update(scope)
    module.Value = scope["build"](getattr(student, "Value", None))
    if student is not None:
        sys.modules["student_value"] = student
    sys.modules["value"] = module
    sys.modules.pop("mlp", None)   # rebuilt on the stand-in, as in the child


class InProcessStudent:
    """What tests call as `student`: runs the code here, returns `result`."""

    def run(self, code, what=None, timeout=None, **variables):
        if not getattr(sys.modules.get("value"), "__stand_in__", False):   # a .py submission: import it first
            try:
                install_stand_in(importlib.import_module("value"))
            except ImportError:
                install_stand_in(None)
        scope = dict(variables)
        exec(compile(code, "<teste>", "exec"), scope)
        return plain(scope.get("result"))

    def begin_item(self, item, items_left, module=None):   # the real one shares out time; no limits here
        pass


def rng_for(seed, nodeid):
    return random.Random(f"{seed}:{nodeid}")


# -- for the notebook tools ---------------------------------------------------

def install(namespace):
    """Register the `%%module NAME` cell magic in the notebook's kernel: each
    student module's cell runs as that module (its own globals, importable by
    the tests and by the kit's mlp.py), as the grader's child imports the .py
    files, in the same order, with the judge's Value installed after `value`."""
    from IPython import get_ipython

    def module(line, cell):
        name = line.strip()
        made = types.ModuleType(name)
        made.__file__ = f"<{name}>"
        sys.modules[name] = made
        try:
            exec(compile(cell, f"<{name}>", "exec"), made.__dict__)
        except BaseException:
            sys.modules.pop(name, None)   # as a failed import: the tests that need it fail
            raise
        finally:
            if name == "value":   # after the student's value, even a broken one, as the child does
                install_stand_in(sys.modules.get("value"))
    get_ipython().register_magic_function(module, "cell", "module")


def cases(suite_files):
    """Every test of the suite as (file stem, function, parameter index or None)."""
    out = []
    for stem in suite_files:
        module = importlib.import_module(f"{SUITE}.{stem}")
        for name in dir(module):
            fn = getattr(module, name)
            if name.startswith("test_") and callable(fn):
                params = _parameters(fn)
                out += [(stem, name, None)] if params is None else [(stem, name, i) for i in range(len(params))]
    return out


def _parameters(fn):
    # The combinations of @pytest.mark.parametrize, in a fixed order, each with pytest's id.
    marks = [m for m in getattr(fn, "pytestmark", []) if m.name == "parametrize"]
    if not marks:
        return None
    axes = []
    for mark in marks:
        names, values = mark.args[0], mark.args[1]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        ids = mark.kwargs.get("ids") or (mark.args[2] if len(mark.args) > 2 else None)
        row = []
        for i, v in enumerate(values):
            given = getattr(v, "id", None) or (ids[i] if ids else None)
            v = getattr(v, "values", v)   # pytest.param(...)
            v = v if len(names) > 1 else [v]
            shown = given or "-".join(_id(x, n, i) for x, n in zip(v, names))
            row.append((dict(zip(names, v)), shown))
        axes.append(row)
    return [({k: x for d, _ in combo for k, x in d.items()}, "-".join(s for _, s in combo))
            for combo in itertools.product(*axes)]


def _id(value, name, index):
    # pytest's id for one parameter value (_pytest.python._idval, for the types the suite uses).
    if isinstance(value, (str, int, float, bool)) or value is None:
        return str(value)
    return f"{name}{index}"


def check(stem, name, index=None, seed=0):
    """Run one hidden test in this process: True, or raise what it raised
    (a Mismatch carries the student's message). Its inputs are the ones
    `grader grade --seed` gives the same test (the same node id)."""
    fn = getattr(importlib.import_module(f"{SUITE}.{stem}"), name)
    kwargs, shown = ({}, None) if index is None else _parameters(fn)[index]
    nodeid = f"hidden/{stem}.py::{name}" + ("" if index is None else f"[{shown}]")
    args = {"student": InProcessStudent(), "rng": rng_for(seed, nodeid), **kwargs}
    fn(**{k: v for k, v in args.items() if k in fn.__code__.co_varnames[:fn.__code__.co_argcount]})
    return True
