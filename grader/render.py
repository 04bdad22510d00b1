"""Shows a report: a terminal table, markdown, or JSON."""
import json
import shutil
import textwrap


def first_failure(item):
    if not item["tests"]:
        return "nenhum teste rodou"
    return next((t["message"] for t in item["tests"] if not t["passed"]), "")


def format_score(x):
    return f"{x:g}"


def as_json(report) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def as_table(report, width: int | None = None) -> str:
    """One row per item with its score; under it, the first failure's whole
    message and its hint, wrapped to the terminal's width (never cut).
    Messages are already inert (report.build escapes control characters)."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    rows = [(i["title"], f"{format_score(i['score'])}/{format_score(i['max_score'])}", first_failure(i) or "ok")
            for i in report["items"]]
    left = max(len(r[0]) for r in rows)
    mid = max(len(r[1]) for r in rows)
    indent = left + mid + 4
    room = width - indent
    if room < 30:   # a narrow terminal: messages go under the row, indented a little
        indent, room = 4, max(20, width - 4)
    rule = "-" * min(width, max(indent + room, left + mid + 20))
    lines = [f"{'Item':<{left}}  {'Nota':>{mid}}  Primeira falha", rule]
    for title, score, message in rows:
        text = [line for part in message.replace(" Dica: ", "\nDica: ").split("\n")
                for line in textwrap.wrap(part, room, break_long_words=True, break_on_hyphens=False) or [""]]
        head = f"{title:<{left}}  {score:>{mid}}"
        if indent == left + mid + 4 or message == "ok":
            lines.append(f"{head}  {text[0]}")
            lines += [" " * indent + line for line in text[1:]]
        else:
            lines.append(head)
            lines += [" " * indent + line for line in text]
    lines.append(rule)
    lines.append(f"{'Total':<{left}}  {format_score(report['score']) + '/' + format_score(report['max_score']):>{mid}}")
    for error in report["errors"]:
        lines += textwrap.wrap(f"Erro: {error['message']}", width, subsequent_indent="      ") or ["Erro:"]
    return "\n".join(lines)


# A message never starts a line (it follows a list item's label or sits in a
# table cell), so only the inline syntax needs escaping, plus HTML and @mentions.
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"} |
                          {"<": "&lt;", "&": "&amp;", "@": "&#64;", "\n": " ", "\r": " "})


def plain(text):
    """Text (a message holds a submission's own words) that takes no effect as
    markdown or HTML on GitHub: no heading, link, comment, bold or @mention."""
    return str(text).translate(_MARKDOWN)


def as_markdown(report) -> str:
    """The score line first, from the grader; every message as plain text."""
    out = [f"# Resultado: {format_score(report['score'])} / {format_score(report['max_score'])}", "",
           "| Item | Nota | Primeira falha |", "|---|---|---|"]
    for item in report["items"]:
        message = plain(first_failure(item) or "ok")
        out.append(f"| {item['title']} | {format_score(item['score'])}/{format_score(item['max_score'])} | {message} |")
    if report.get("overrides"):   # the instructor's adjustments (grader/overrides.py)
        titles = {i["id"]: i["title"] for i in report["items"]}
        out += ["", "## Ajustes do professor", ""] + [
            f"- **{titles.get(o['item'], o['item'])}**: {format_score(o['was'])} → {format_score(o['score'])}"
            + (f" ({plain(o['reason'])})" if o["reason"] else "") for o in report["overrides"]]
    if report["errors"]:
        out += ["", "## Problemas na entrega", ""] + [f"- {plain(e['message'])}" for e in report["errors"]]
    failing = [(i, t) for i in report["items"] for t in i["tests"] if not t["passed"]]
    # A module that did not import fails every test that needs it with the same
    # cause: one line for the module, not one per test.
    causes = {e["module"]: e["message"].split(": ", 1)[1] for e in report["errors"]
              if e.get("module") and e["message"].startswith(f"{e['module']}.py não pôde ser importado: ")}
    lost = {module: [t for _, t in failing if cause in t["message"]] for module, cause in causes.items()}
    skipped = {id(t) for tests in lost.values() for t in tests}
    if failing:
        out += ["", "## O que corrigir", ""]
        out += [f"- **{module}.py** não pôde ser importado, e os {len(tests)} testes que dependem dele não "
                f"rodaram: {plain(causes[module])}" for module, tests in lost.items() if tests]
        out += [f"- **{i['title']}** — `{t['name']}`: {plain(t['message'])}" for i, t in failing
                if id(t) not in skipped]
    return "\n".join(out) + "\n"


FORMATS = {"table": as_table, "json": as_json, "markdown": as_markdown}
