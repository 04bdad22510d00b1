"""Shows a report: a terminal table, markdown, or JSON."""
import json


def first_failure(item):
    if not item["tests"]:
        return "nenhum teste rodou"
    return next((t["message"] for t in item["tests"] if not t["passed"]), "")


def format_score(x):
    return f"{x:g}"


def as_json(report):
    return json.dumps(report, ensure_ascii=False, indent=2)


def as_table(report, width=100):
    rows = [(i["title"], f"{format_score(i['score'])}/{format_score(i['max_score'])}", first_failure(i) or "ok")
            for i in report["items"]]
    left = max(len(r[0]) for r in rows)
    mid = max(len(r[1]) for r in rows)
    room = max(20, width - left - mid - 6)
    lines = [f"{'Item':<{left}}  {'Nota':>{mid}}  Primeira falha", "-" * min(width, left + mid + room + 4)]
    for title, score, message in rows:
        short = message if len(message) <= room else message[: room - 1] + "…"
        lines.append(f"{title:<{left}}  {score:>{mid}}  {short}")
    lines.append("-" * min(width, left + mid + room + 4))
    lines.append(f"{'Total':<{left}}  {format_score(report['score']) + '/' + format_score(report['max_score']):>{mid}}")
    for error in report["errors"]:
        lines.append(f"Erro: {error['message']}")
    return "\n".join(lines)


def as_markdown(report):
    out = [f"# Resultado: {format_score(report['score'])} / {format_score(report['max_score'])}", "",
           "| Item | Nota | Primeira falha |", "|---|---|---|"]
    for item in report["items"]:
        message = (first_failure(item) or "ok").replace("|", "\\|").replace("\n", " ")
        out.append(f"| {item['title']} | {format_score(item['score'])}/{format_score(item['max_score'])} | {message} |")
    if report["errors"]:
        out += ["", "## Problemas na entrega", ""] + [f"- {e['message']}" for e in report["errors"]]
    failing = [(i, t) for i in report["items"] for t in i["tests"] if not t["passed"]]
    if failing:
        out += ["", "## O que corrigir", ""]
        out += [f"- **{i['title']}** — `{t['name']}`: {t['message']}" for i, t in failing]
    return "\n".join(out) + "\n"


FORMATS = {"table": as_table, "json": as_json, "markdown": as_markdown}
