"""A student's feedback, decided once and written three ways.

`summarize` reads a report (grader/judge/report.py) and decides what to say, in
the order a student should fix things: the files that were not handed in or
did not import, the functions that are not defined, those still raising the
stub's NotImplementedError (one line each, with the points they really cost),
then, item by item, what the code got wrong, each hint once. The writers
only lay that out: `as_markdown` (GitHub: PR comments, CI, batch's .md),
`as_text` (an LMS comment box), and grader/show/feedback_page.py (HTML).

Messages are already inert (report.build escapes control characters); the
Markdown writer also neutralises Markdown and HTML in them.
"""
import re
from dataclasses import dataclass, field

from ..judge.failures import HINTED, UNTOUCHED
from ..manifest import load
from ..judge.report import inert
from .value_graph import as_text as graph_text

MESSAGES_PER_ITEM = 4      # failures listed per item; the rest are counted
GRAPHS_PER_ITEM = 1        # drawn graphs per item (the first failing Value tests)
_CALLED = re.compile(r"^([A-Za-z_]\w*)")


def format_score(x):
    return f"{x:g}"


@dataclass
class Cause:
    """One cause that failed several tests: a file, a function, the stubs."""
    kind: str
    subject: str             # module or function name (kit text)
    text: str                # what to say (may hold a submission's words)
    lost: float
    items: list = field(default_factory=list)


@dataclass
class ItemBlock:
    title: str
    score: float
    max_score: float
    messages: list = field(default_factory=list)   # message without its hint
    more: int = 0                                   # failures not listed
    hints: list = field(default_factory=list)
    graphs: list = field(default_factory=list)


@dataclass
class Summary:
    score: float
    max_score: float
    untouched: bool                  # not attempted: every test met a stub or a missing file
    rows: list                       # (title, score, max_score, first problem or "ok")
    causes: list
    blocks: list
    problems: list                   # errors not already told as a cause
    overrides: list


def without_hint(test):
    """A failure's message without its hint; made visible again (report.build did it once, but a
    report may come back from disk)."""
    message, hint = test["message"], test.get("hint", "")
    suffix = f" Dica: {hint}"
    return inert(message[: -len(suffix)] if hint and message.endswith(suffix) else message)


def _lost(item, test):
    return item["max_score"] / len(item["tests"]) if item["tests"] else 0.0


def summarize(report) -> Summary:
    causes, by_key = [], {}
    import_errors = {e["module"]: e["message"] for e in report["errors"] if e.get("module")
                     and e["message"].startswith(f"{e['module']}.py não pôde ser importado")}

    def cause(kind, subject, text, lost, title):
        key = (kind, subject)
        if key not in by_key:
            by_key[key] = Cause(kind, subject, text, 0.0)
            causes.append(by_key[key])
        found = by_key[key]
        found.lost += lost
        if title not in found.items:
            found.items.append(title)

    blocks, rows = [], []
    functions = {f for item in load().items for f in item.functions}   # what a stub's message may name
    for item in report["items"]:
        failing = [t for t in item["tests"] if not t["passed"]]
        block = ItemBlock(item["title"], item["score"], item["max_score"])
        for test in failing:
            kind, lost = test.get("kind", "wrong"), _lost(item, test)
            module, function = test.get("module", ""), test.get("function", "")
            if kind == "missing" and module:
                cause("missing", module, f"{module}.py (ou {module}.ipynb) não foi entregue", lost, item["title"])
            elif kind == "import" and module:
                reason = inert(import_errors.get(module, f"{module}.py não pôde ser importado"))
                cause("import", module, reason, lost, item["title"])
            elif kind == "undefined" and function:
                place = f"{module}.py" if module else "o seu código"
                cause("undefined", function, f"{function} não está definida em {place}", lost, item["title"])
            elif kind == "stub":
                called = _CALLED.match(test["message"])
                cause("stub", "", "", lost, item["title"])
                stub = by_key[("stub", "")]
                name = called.group(1) if called else ""
                if name in functions and name not in stub.subject.split(", "):
                    stub.subject = ", ".join(filter(None, [stub.subject, name]))
            else:
                message = without_hint(test)
                if test.get("hint") and message == inert(test["hint"]):
                    pass   # feedback at "hint": the message is the hint, shown once as the hint below
                elif len(block.messages) < MESSAGES_PER_ITEM:
                    block.messages.append(message)
                else:
                    block.more += 1
                if kind in HINTED and test.get("hint") and inert(test["hint"]) not in block.hints:
                    block.hints.append(inert(test["hint"]))
                if test.get("graph") and len(block.graphs) < GRAPHS_PER_ITEM:
                    block.graphs.append(test["graph"])
        if block.messages or block.hints:
            blocks.append(block)
        first = next((t for t in failing), None)
        rows.append((item["title"], item["score"], item["max_score"],
                     "ok" if first is None else _row_text(first)))
    told = {c.subject for c in causes if c.kind == "import"}
    problems = [inert(e["message"]) for e in report["errors"] if not (e.get("module") in told and e["message"] ==
                                                               import_errors.get(e.get("module")))
                and e.get("kind") != "stub"]
    tests = [t for i in report["items"] for t in i["tests"]]
    untouched = bool(tests) and all(not t["passed"] and t.get("kind") in UNTOUCHED for t in tests)
    stubs = [e["module"] for e in report["errors"] if e.get("kind") == "stub"]
    if stubs and not untouched:   # one line for the modules still as released (the untouched note says it too)
        problems.append(inert(_still_released(stubs)))
    titles = {i["id"]: i["title"] for i in report["items"]}
    overrides = [dict(o, title=titles.get(o["item"], o["item"]), reason=inert(o["reason"]))
                 for o in report.get("overrides", [])]
    return Summary(report["score"], report["max_score"], untouched, rows, causes, blocks, problems, overrides)


def _still_released(modules):
    files = ", ".join(f"{m}.py" for m in modules)
    if len(modules) == 1:
        return (f"{files} ainda é o modelo entregue sem alterações, e a entrega não tem o notebook preenchido de "
                f"mesmo nome: complete o arquivo ou entregue o notebook.")
    return (f"{files} ainda são os modelos entregues sem alterações, e a entrega não tem os notebooks preenchidos "
            f"de mesmo nome: complete os arquivos ou entregue os notebooks.")


def _row_text(test):
    kind = test.get("kind", "wrong")
    return {"missing": "arquivo não entregue", "import": "o arquivo não pôde ser importado",
            "undefined": "função não definida", "stub": "ainda não implementado"}.get(kind) or without_hint(test)


def more_failed(count):
    return ("e mais 1 teste deste item falhou." if count == 1 else
            f"e mais {count} testes deste item falharam.")


def cause_sentence(c):
    """The whole line for a cause, in kit words plus the cause's text."""
    cost = f"custou {format_score(round(c.lost, 2))} ponto{'s' if round(c.lost, 2) != 1 else ''}"
    where = c.items[0] if len(c.items) == 1 else ", ".join(c.items[:-1]) + " e " + c.items[-1]
    if c.kind == "missing":
        return f"{c.text}: os testes de {where} não rodaram, e isso {cost}."
    if c.kind == "import":
        return f"{c.text}: os testes de {where} que dependem dele não rodaram, e isso {cost}."
    if c.kind == "undefined":
        return (f"{c.text}: confira se o nome está escrito como no enunciado e, num notebook, se a célula que a "
                f"define roda sem erro ({where}; {cost}).")
    return (f"Ainda não implementadas (levantam o NotImplementedError do stub): {c.subject or 'funções de ' + where}"
            f" ({cost}).")


def untouched_note(summary):
    return ("Nada do seu código rodou ainda: as funções ainda são os stubs (ou os arquivos não vieram). Implemente "
            "as funções, rode a autoavaliação (a última célula de cada notebook, ou grader check na pasta) e "
            "envie de novo; se você fez os notebooks, entregue-os junto (com o nome original ou o de uma cópia).")


# -- Markdown (GitHub) --------------------------------------------------------

# A message never starts a line (it follows a list item's label or sits in a
# table cell), so only the inline syntax needs escaping, plus HTML and @mentions.
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|~#"} |
                          {"<": "&lt;", ">": "&gt;", "&": "&amp;", "@": "&#64;", "\n": " ", "\r": " "})


_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])")   # a list, a quote or a numbered list, at a line's start


def plain(text):
    """Text (a message holds a submission's own words) that takes no effect as
    markdown or HTML on GitHub: no heading, list, link, comment, bold or @mention."""
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), str(text).translate(_MARKDOWN))


def as_markdown(report) -> str:
    s = summarize(report)
    out = [f"# Resultado: {format_score(s.score)} / {format_score(s.max_score)}", ""]
    if s.untouched:
        out += [plain(untouched_note(s)), "", "## O que corrigir", ""]
        out += [f"- {plain(cause_sentence(c))}" for c in s.causes]
        out += _markdown_problems(s)
        return "\n".join(out) + "\n"
    out += ["| Item | Nota | Primeira falha |", "|---|---|---|"]
    out += [f"| {plain(title)} | {format_score(score)}/{format_score(best)} | {plain(text)} |"
            for title, score, best, text in s.rows]
    out += _markdown_overrides(s)
    if s.causes or s.blocks:
        out += ["", "## O que corrigir", ""]
        out += [f"- {plain(cause_sentence(c))}" for c in s.causes]
        for block in s.blocks:
            out += ["", f"### {plain(block.title)} ({format_score(block.score)}/{format_score(block.max_score)})", ""]
            out += [f"- {plain(m)}" for m in block.messages]
            if block.more:
                out.append(f"- {more_failed(block.more)}")
            out += [f"\n**Dica:** {plain(h)}" for h in block.hints]
            for graph in block.graphs:
                out += ["", "O grafo que o teste montou (✗ marca os grads errados):", "", "```text",
                        graph_text(graph).replace("`", "'"), "```"]
    out += _markdown_problems(s)
    return "\n".join(out) + "\n"


def _markdown_overrides(s):
    if not s.overrides:
        return []
    return ["", "## Ajustes do professor", ""] + [
        f"- {plain(o.get('title') or o['item'])}: {format_score(o['was'])} → {format_score(o['score'])}"
        + (f" ({plain(o['reason'])})" if o["reason"] else "") for o in s.overrides]


def _markdown_problems(s):
    if not s.problems:
        return []
    return ["", "## Problemas na entrega", ""] + [f"- {plain(m)}" for m in s.problems]


# -- plain text (an LMS comment box) ----------------------------------------------

def as_text(report) -> str:
    """No markup at all: pasted into Moodle's or Canvas's comment box it reads as written."""
    s = summarize(report)
    out = [f"Resultado: {format_score(s.score)} / {format_score(s.max_score)}", ""]
    out += [f"{title}: {format_score(score)}/{format_score(best)}" for title, score, best, _ in s.rows]
    if s.untouched:
        out += ["", untouched_note(s), ""] + [f"- {cause_sentence(c)}" for c in s.causes]
    else:
        if s.overrides:
            out += ["", "Ajustes do professor:"] + [
                f"- {o.get('title') or o['item']}: {format_score(o['was'])} -> {format_score(o['score'])}"
                + (f" ({o['reason']})" if o["reason"] else "") for o in s.overrides]
        if s.causes or s.blocks:
            out += ["", "O que corrigir:"] + [f"- {cause_sentence(c)}" for c in s.causes]
            for block in s.blocks:
                out += ["", f"{block.title} ({format_score(block.score)}/{format_score(block.max_score)}):"]
                out += [f"- {m}" for m in block.messages]
                if block.more:
                    out.append(f"- {more_failed(block.more)}")
                out += [f"Dica: {h}" for h in block.hints]
                for graph in block.graphs:
                    out += ["O grafo que o teste montou (✗ marca os grads errados):", graph_text(graph)]
    if s.problems:
        out += ["", "Problemas na entrega:"] + [f"- {m}" for m in s.problems]
    return "\n".join(out) + "\n"
