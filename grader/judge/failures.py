"""What kind of failure a test saw, and the Portuguese words for it.

Every failed test is classified before its message is chosen, so each cause
gets one explanation, in the right place:

    missing     the module's file was not handed in
    import      the module did not import (a syntax error, a top-level line that raised)
    undefined   the function (or class) the test calls is not defined in the module
    stub        the function still raises the stub's NotImplementedError
    limit       a time or memory limit ran out, or the student's process died
    raised      the student's code raised an exception
    wrong       the student's code returned a wrong value

A bug hint only fits the last two: a stub or a missing file says nothing
about a bug. Python's own (English) words reach the student only quoted,
after a Portuguese sentence that says what happened (the sentences live in
manifest.toml, [exceptions]).
"""
import re

from ..manifest import load

KINDS = ("missing", "import", "undefined", "stub", "limit", "raised", "wrong")
HINTED = ("raised", "wrong")          # the kinds a bug hint may go with
UNTOUCHED = ("missing", "stub")       # a hand-in whose every failure is one of these was not attempted

_CANNOT_IMPORT = re.compile(r"cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)'")
_NO_ATTRIBUTE = re.compile(r"module '(?P<module>[\w.]+)' has no attribute '(?P<name>\w+)'")
_HALTED = re.compile(r"import of (?P<module>[\w.]+) halted")
_SYNTAX_AT = re.compile(r"\((?P<file>[^()]+?\.py), line (?P<line>\d+)\)$")


class Classified:
    """A failure's kind, its message for the student, and what it is about."""

    def __init__(self, kind, message, module="", function=""):
        self.kind, self.message, self.module, self.function = kind, message, module, function


def explain_exception(kind, text, where=""):
    """'levantou ZeroDivisionError (uma divisão por zero) em losses.py:12 — o
    Python diz: «float division by zero»': the Portuguese first, Python's words quoted."""
    words = load().exceptions
    special = next((sentence for pattern, sentence in words.get("messages", {}).items() if pattern in text), "")
    sentence = special or words.get("types", {}).get(kind, words.get("types", {}).get("default", ""))
    out = f"levantou {kind}" + (f" ({sentence})" if sentence else "")
    out += f" em {where}" if where else ""
    if text:
        out += f"; o Python diz: «{text}»"
    return out


def import_problem(error):
    """Why a module did not import, in Portuguese, with its file and line."""
    if not isinstance(error, dict):
        return ""
    kind, text, where = str(error.get("type", "")), str(error.get("message", "")), str(error.get("where", ""))
    if kind in ("SyntaxError", "IndentationError", "TabError"):
        found = _SYNTAX_AT.search(text)
        spot = f"{found['file']}, linha {found['line']}" if found else where
        detail = _SYNTAX_AT.sub("", text).strip()
        what = "erro de indentação" if kind != "SyntaxError" else "erro de sintaxe"
        return f"{what}" + (f" em {spot}" if spot else "") + (f" (o Python diz: «{detail}»)" if detail else "")
    return explain_exception(kind, text, where)


def classify(err, what=""):
    """A StudentError (grader/judge/student_process.py) as a Classified failure."""
    what = what or getattr(err, "what", "")
    prefix = f"{what}: " if what else ""
    kind = getattr(err, "kind", "")
    if kind == "unavailable":
        module = getattr(err, "module", "")
        state = getattr(err, "state", "")
        if state == "missing":
            return Classified("missing", f"{prefix}não rodou, porque {module}.py (ou {module}.ipynb) não foi "
                              "entregue.", module)
        return Classified("import", f"{prefix}não rodou, porque {module}.py não pôde ser importado (veja o "
                          "motivo em “Problemas na entrega”).", module)
    if kind in ("timeout", "crashed", "budget"):
        return Classified("limit", err.message if err.message.endswith(".") else err.message + ".")
    error = getattr(err, "error", None) or {}
    etype, text, where = str(error.get("type", "")), str(error.get("message", "")), str(error.get("where", ""))
    if etype == "NotImplementedError":
        return Classified("stub", f"{prefix}ainda não foi implementada (levanta o NotImplementedError do stub).")
    for pattern in (_CANNOT_IMPORT, _NO_ATTRIBUTE):
        found = pattern.search(text) if etype in ("ImportError", "AttributeError") else None
        if found and found["module"] in load().modules:
            return Classified("undefined", f"{prefix}{found['name']} não está definida em {found['module']}. Confira "
                              "se o nome está escrito como no enunciado e, num notebook, se a célula que a define "
                              "roda sem erro (depois de reiniciar o ambiente, rode todas as células de novo).",
                              found["module"], found["name"])
    halted = _HALTED.search(text) if etype in ("ImportError", "ModuleNotFoundError") else None
    if halted:
        module = halted["module"]
        return Classified("missing", f"{prefix}não rodou, porque precisa de {module}.py, que não foi entregue ou "
                          "não pôde ser importado.", module)
    if not error:
        return Classified("raised", err.message if err.message.endswith(".") else err.message + ".")
    return Classified("raised", f"{prefix}{explain_exception(etype, text, where)}.")
