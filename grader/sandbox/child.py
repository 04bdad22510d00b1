"""The student side of the judge/child split.

This file runs inside the untrusted child process, alone: it imports nothing
from the grader, sees only the private copy of the submission, and answers
requests from the judge over two pipes with plain JSON. It never receives an
expected value, so nothing it forges can earn a point.

Protocol: one JSON object per line in each direction.
  request  {"op": "import", "module": "value", "alias": "student_value"}   (alias: optional)
           {"op": "stand_in", "code": "..."}   (after value: see install_stand_in)
           {"op": "run", "code": "...", "vars": {...}, "built_by": "value"}   (built_by: optional)
  response {"ok": true, "value": <plain data>, "id": <the request's id>}
           (with built_by: "value" is {"result": <plain data>, "types": [[name, module, qualname, file], ...]})
           {"ok": false, "error": {"type": ..., "message": ..., "where": ...}, "id": ...}
"""
import json
import os
import sys
import traceback
import types

MAX_ITEMS = 100_000   # elements in one returned structure
MAX_TEXT = 2_000      # characters of one string or message
READY = '{"ready": true}'   # the first line the child writes
SNIPPET = "<teste>"          # the module name of what a test's snippet defines
RECURSION_LIMIT = 3000  # deep enough for a Value graph of a few thousand nodes, shallow enough to fail fast


def encode(x, depth=0):
    """Plain data only; anything else is described, never passed through.

    The base-class slots are called directly, so a float or int subclass
    that overrides __float__/__eq__/__repr__ cannot change what crosses.
    """
    if depth > 20:
        return {"__object__": "estrutura aninhada demais"}
    if x is None or type(x) is bool:
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        return int.__int__(x) if type(x) is not int else x
    if isinstance(x, float):
        return float.__float__(x)
    if isinstance(x, str):
        return str.__str__(x)[:MAX_TEXT]
    if isinstance(x, (list, tuple)):
        if len(x) > MAX_ITEMS:
            return {"__object__": f"sequência com {len(x)} elementos"}
        return [encode(v, depth + 1) for v in x]
    numpy = sys.modules.get("numpy")   # only if the student's code imported it
    if numpy is not None and isinstance(x, (numpy.ndarray, numpy.generic)):
        # SPEC section 4: numpy arrays and scalars count as lists and numbers.
        # What tolist()/item() give goes through encode again, so only base
        # types cross; np.bool_ becomes bool, which never counts as a number.
        if isinstance(x, numpy.ndarray) and x.size > MAX_ITEMS:
            return {"__object__": f"sequência com {x.size} elementos"}
        plain = numpy.ndarray.tolist(x) if isinstance(x, numpy.ndarray) else numpy.generic.item(x)
        return encode(plain, depth + 1)
    return {"__object__": type(x).__name__}


def install_stand_in(code):
    """From here on, `import value` gives the judge's Value (SPEC section 2: a
    Value bug costs points only in value-backprop). It subclasses the student's
    class where it can, so an isinstance check in losses.py still holds; the
    student's own module stays reachable as `student_value` for value-backprop.
    """
    student = sys.modules.get("value")
    if getattr(student, "__stand_in__", False):   # a restarted child replays it
        return
    scope = {"__name__": "value", "__stand_in__": True}
    exec(compile(code, "<Value do avaliador>", "exec"), scope)
    module = types.ModuleType("value")
    module.__dict__.update(scope)
    module.Value = scope["build"](getattr(student, "Value", None))
    if student is not None:
        sys.modules["student_value"] = student
    sys.modules["value"] = module
    sys.modules.pop("mlp", None)   # an mlp imported by a notebook cell is rebuilt on the stand-in


# What a test binds or builds that is plain data, a function or a module: not
# something a Value test inspects. Compared by identity, so a class cannot pass
# for one of these by setting its __module__.
PLAIN = (type(None), bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset,
         types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType, types.GeneratorType)


def types_of(scope, given):
    """[name, module, qualname, file] of the class of each object the snippet
    left in `scope` (a class: itself), for the judge to check that the
    student's own class built it. `file` is the module's file, relative to
    the copy when it lies there."""
    here = os.getcwd() + os.sep
    found = []
    for name, obj in list(scope.items())[:MAX_ITEMS]:
        if name.startswith("__") or name in given or type(obj) in PLAIN:
            continue
        cls = obj if isinstance(obj, type) else type(obj)
        module = str(getattr(cls, "__module__", "") or "")
        file = str(getattr(sys.modules.get(module), "__file__", "") or "")
        file = file[len(here):] if file.startswith(here) else file
        found.append([name[:MAX_TEXT], module[:MAX_TEXT], str(getattr(cls, "__qualname__", ""))[:MAX_TEXT],
                      file[:MAX_TEXT]])
    return found


def where(exc):
    """The innermost frame of the student's own files, as 'file.py:line'.

    A notebook cell is compiled as '<x.ipynb, célula N (a que define f)>'
    (grader/judge/notebooks.py): it is reported as 'x.ipynb, célula N (a que define
    f), linha L'.
    """
    here = os.getcwd()
    spot = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith(here):
            spot = f"{os.path.basename(frame.filename)}:{frame.lineno}"
        elif frame.filename.startswith("<") and ".ipynb, célula " in frame.filename:
            spot = f"{frame.filename[1:-1]}, linha {frame.lineno}"
    return spot


def describe(exc):
    try:
        message = str(exc)[:MAX_TEXT]
    except BaseException:  # noqa: BLE001  (a student exception whose __str__ itself fails)
        message = ""
    return {"type": type(exc).__name__, "message": message, "where": where(exc)}


def handle(request, blocked):
    op = request["op"]
    if op == "import":
        name = request["module"]
        if name in blocked:
            raise ImportError(f"o módulo {name} não pôde ser importado")
        __import__(name)
        if request.get("alias"):   # value-backprop's name for the student's own value module
            sys.modules[request["alias"]] = sys.modules[name]
        return None
    if op == "stand_in":
        install_stand_in(request["code"])
        return None
    if op == "run":
        scope = {**(request.get("vars") or {}), "__name__": SNIPPET}
        exec(compile(request["code"], "<teste>", "exec"), scope)
        if request.get("built_by"):
            return {"result": encode(scope.get("result")), "types": types_of(scope, request.get("vars") or {})}
        return encode(scope.get("result"))
    raise ValueError(f"unknown op {op!r}")


def main():
    workdir, fd_in, fd_out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    blocked = set(filter(None, sys.argv[4].split(","))) if len(sys.argv) > 4 else set()
    requests = os.fdopen(fd_in, "r", encoding="utf-8")
    responses = os.fdopen(fd_out, "w", encoding="utf-8")
    os.chdir(workdir)
    sys.path.insert(0, workdir)
    for name in blocked:
        sys.modules[name] = None  # later imports raise ImportError at once
    sys.setrecursionlimit(RECURSION_LIMIT)
    # The sandbox is up and no student code has run yet: from here on, a child
    # that dies is the submission's doing, before it the grader's.
    responses.write(READY + "\n")
    responses.flush()
    for line in requests:
        request = {}
        try:
            request = json.loads(line)
            reply = {"ok": True, "value": handle(request, blocked)}
        except BaseException as exc:  # noqa: BLE001  (SystemExit and KeyboardInterrupt too: all go back as a reply)
            reply = {"ok": False, "error": describe(exc)}
        reply["id"] = request.get("id") if isinstance(request, dict) else None   # the judge matches replies to requests
        try:
            text = json.dumps(reply)
        except (TypeError, ValueError):
            text = json.dumps({"ok": False, "error": {"type": "EncodingError", "message": "", "where": ""}})
        responses.write(text + "\n")
        responses.flush()


if __name__ == "__main__":
    main()
