"""Shows a report: a terminal table, markdown, plain text, or JSON (the
feedback's wording is decided in grader/show/feedback.py)."""
import json
import shutil
import textwrap

from .feedback import as_markdown, as_text, format_score, plain  # noqa: F401  (the writers, re-exported)


def first_failure(item):
    if not item["tests"]:
        return "nenhum teste rodou"
    return next((t["message"] for t in item["tests"] if not t["passed"]), "")


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


FORMATS = {"table": as_table, "json": as_json, "markdown": as_markdown, "text": as_text}
