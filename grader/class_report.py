"""The class report: one self-contained HTML page for the instructor.

What the class did not understand, at a glance, and each student one click
away: the distribution of totals, how many students got each checklist item
fully right, every student's items (sortable, linked to their feedback and
report), the tests most students failed with the students who failed them,
each item's messages, submissions that look alike, and what went wrong with
the run. Plots are drawn with matplotlib's Agg canvas and embedded as data:
URIs, and the only script is the page's own table sorter, so the page loads
no external resource and can be mailed as is. Everything that came from a
student (ids, messages, code) is HTML-escaped. Portuguese by default; every
string the page shows is in STRINGS.
"""
import base64
import io
import re
from collections import Counter, defaultdict
from html import escape
from urllib.parse import quote

from .gradebook import NOT_ATTEMPTED, NOT_GRADED, OK, WITH_ERRORS, status_of
from .render import format_score

TOP_FAILING = 15        # rows in the failing-tests table
MESSAGES_PER_TEST = 3   # most common messages shown per failing test
# Test inputs differ per student (per-student seeds), so messages are grouped
# with their numbers masked: "esperava 3.5, veio 1.7" ~ "esperava 2.1, veio 1.0".
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w|\.\d)")

STRINGS = {
    "pt": {
        "lang": "pt-BR", "title": "Relatório da turma",
        "summary": "{students} alunos: {graded} corrigidos, {untouched} não tentaram (só os stubs), {missing} não "
                   "corrigidos; total do checklist {max} pontos; seed {seed}.",
        "nothing": "Nenhuma entrega foi corrigida.",
        "totals": "Distribuição das notas", "totals_note": "Média {mean:.1f}, mediana {median:.1f}, menor {low}, "
                  "maior {high} (só as entregas corrigidas; quem não tentou fica de fora).",
        "x_totals": "nota (de {max})", "y_students": "alunos",
        "items": "Acerto por item", "x_items": "% dos alunos corrigidos com nota cheia no item",
        "item": "Item", "full": "Nota cheia", "mean": "Média",
        "students": "Alunos", "student": "Aluno", "total": "Total", "status": "Situação", "links": "Arquivos",
        "sort": "Clique num cabeçalho para ordenar.", "feedback": "feedback", "report": "relatório",
        "overridden": "ajustado pelo professor: era {was} ({reason})",
        "failing": "Testes que mais falharam", "failing_note": "Os números das mensagens aparecem como …: as "
                   "entradas de cada aluno são outras.", "failing_none": "Todos os alunos corrigidos passaram em "
                   "todos os testes.", "failing_count": "Alunos", "test": "Teste",
        "common": "Mensagens mais comuns (alunos)", "who": "Quem",
        "messages": "Mensagens por item", "messages_none": "nenhuma falha",
        "similar": "Entregas parecidas", "similar_note": "Pares com {threshold:.0%} ou mais do código em comum "
                   "(copydetect, o winnowing do MOSS; o código dos stubs não conta). Não muda nenhuma nota: "
                   "é um ponto de partida para olhar de perto.", "similar_none": "Nenhum par passou de "
                   "{threshold:.0%}.", "pair": "Par", "shared": "Em comum", "passages": "Trechos em comum",
        "similar_off": "A comparação de entregas não rodou: {why}.",
        "similar_more": "{total} pares passaram de {threshold:.0%}; aqui estão os {listed} mais parecidos.",
        "problems": "Problemas", "problems_none": "Nenhum.",
        OK: "ok", WITH_ERRORS: "corrigido com erros", NOT_ATTEMPTED: "não tentou", NOT_GRADED: "não corrigido",
    },
    "en": {
        "lang": "en", "title": "Class report",
        "summary": "{students} students: {graded} graded, {untouched} not attempted (stubs only), {missing} not "
                   "graded; checklist total {max} points; seed {seed}.",
        "nothing": "No submission was graded.",
        "totals": "Distribution of totals", "totals_note": "Mean {mean:.1f}, median {median:.1f}, lowest {low}, "
                  "highest {high} (graded submissions only; not attempted ones are left out).",
        "x_totals": "total (out of {max})", "y_students": "students",
        "items": "Pass rate per checklist item", "x_items": "% of graded students with full marks on the item",
        "item": "Item", "full": "Full marks", "mean": "Mean score",
        "students": "Students", "student": "Student", "total": "Total", "status": "Status", "links": "Files",
        "sort": "Click a header to sort.", "feedback": "feedback", "report": "report",
        "overridden": "adjusted by the instructor: was {was} ({reason})",
        "failing": "Most common failing tests", "failing_note": "Numbers in messages are shown as … because each "
                   "student's inputs differ.", "failing_none": "Every graded student passed every test.",
        "failing_count": "Students failing", "test": "Test", "common": "Most common messages (students)",
        "who": "Who", "messages": "Messages per item", "messages_none": "no failure",
        "similar": "Similar submissions", "similar_note": "Pairs sharing {threshold:.0%} or more of their code "
                   "(copydetect, MOSS's winnowing; the stubs' code does not count). No score changes: it is "
                   "where to look closer.", "similar_none": "No pair reached {threshold:.0%}.", "pair": "Pair",
        "shared": "Shared", "passages": "Shared passages",
        "similar_off": "Submissions were not compared: {why}.",
        "similar_more": "{total} pairs reached {threshold:.0%}; the {listed} most alike are listed.",
        "problems": "Problems", "problems_none": "None.",
        OK: "ok", WITH_ERRORS: "graded with errors", NOT_ATTEMPTED: "not attempted", NOT_GRADED: "not graded",
    },
}

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; white-space: nowrap; }
table.sortable th { cursor: pointer; } td.low { background: #fdecea; } td.adjusted { font-style: italic; }
img { max-width: 100%; } .muted { color: #777; } ul.messages { margin: 0; padding-left: 1.2em; }
.problem { color: #a40000; } pre { white-space: pre-wrap; font-size: 0.85em; margin: 0; }
details { margin: 0.4em 0; } summary { cursor: pointer; }
"""

# The page's own sorter (no library, no network): a click on a header sorts
# that column, numbers as numbers, a second click reverses.
SORTER = """
document.querySelectorAll("table.sortable th").forEach(function (th, col) {
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], rows = Array.from(body.rows);
    var down = th.dataset.down !== "1"; th.dataset.down = down ? "1" : "0";
    function key(r) { var t = r.cells[col].dataset.sort || r.cells[col].textContent;
                      var n = parseFloat(t); return isNaN(n) ? t.toLowerCase() : n; }
    rows.sort(function (a, b) { var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (down ? 1 : -1); });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def build(outcomes: list, problems: list, manifest, seed: int, lang: str = "pt", similar=None) -> str:
    """The page as a string. outcomes: one per student (reports with the
    instructor's adjustments applied, see grader/overrides.py); problems:
    (entry, message) for entries that are not a student's submission at all;
    similar: similarity.Result or None."""
    t = STRINGS[lang]
    statuses = {o.student: status_of(o)[0] for o in outcomes}
    graded = sorted((o for o in outcomes if statuses[o.student] in (OK, WITH_ERRORS)), key=lambda o: o.student)
    max_score = sum(item.weight for item in manifest.items)
    counts = Counter(statuses.values())
    parts = [f"<h1>{t['title']}</h1><p class='muted'>" + escape(t["summary"].format(
        students=len(outcomes), graded=len(graded), untouched=counts[NOT_ATTEMPTED], missing=counts[NOT_GRADED],
        max=format_score(max_score), seed=seed)) + "</p>"]
    if graded:
        parts += [_totals_section(t, graded, max_score), _items_section(t, graded, manifest)]
    else:
        parts.append(f"<p>{t['nothing']}</p>")
    parts.append(_students_section(t, outcomes, statuses, manifest))
    if graded:
        failures = _failures(graded)
        parts += [_failing_section(t, graded, manifest, failures), _messages_section(t, manifest, failures)]
    if similar is not None:
        parts.append(_similar_section(t, similar))
    parts.append(_problems_section(t, outcomes, problems, statuses))
    return (f"<!DOCTYPE html>\n<html lang='{t['lang']}'><head><meta charset='utf-8'>"
            f"<title>{t['title']}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(parts) + f"\n<script>{SORTER}</script>\n</body></html>\n")


def _student_link(student, what="feedback"):
    """A relative link inside OUT to the student's feedback or report."""
    folder, suffix = ("feedback", ".md") if what == "feedback" else ("reports", ".json")
    return f"{folder}/{quote(student, safe='')}{suffix}"


def _who(students):
    return ", ".join(f"<a href='{_student_link(s)}'>{escape(s)}</a>" for s in sorted(students))


# -- sections -------------------------------------------------------------------

def _totals_section(t, graded, max_score):
    totals = [o.report["score"] for o in graded]
    ordered = sorted(totals)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    fig, ax = _figure(7, 3)
    bins = [max_score * k / 10 for k in range(11)]
    ax.hist(totals, bins=bins, color="#4878a8", edgecolor="white")
    ax.set_xlabel(t["x_totals"].format(max=format_score(max_score)))
    ax.set_ylabel(t["y_students"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max_score)
    note = t["totals_note"].format(mean=sum(totals) / len(totals), median=median, low=format_score(ordered[0]),
                                   high=format_score(ordered[-1]))
    return f"<h2>{t['totals']}</h2><p>{escape(note)}</p>{_img(fig, t['totals'])}"


def _items_section(t, graded, manifest):
    rows, names, rates = [], [], []
    for item in manifest.items:
        got = [_item(o.report, item.id) for o in graded]
        full = sum(i["score"] >= i["max_score"] for i in got) / len(got)
        mean = sum(i["score"] / i["max_score"] for i in got if i["max_score"]) / len(got)
        names.append(item.id)
        rates.append(100 * full)
        rows.append(f"<tr><td>{escape(item.title)} <span class='muted'>({escape(item.id)})</span></td>"
                    f"<td class='num'>{100 * full:.0f}%</td><td class='num'>{100 * mean:.0f}%</td></tr>")
    fig, ax = _figure(7, 0.45 * len(names) + 1)
    ax.barh(names[::-1], rates[::-1], color="#5a9e6f")
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["x_items"])
    return (f"<h2>{t['items']}</h2>" + _img(fig, t["items"])
            + f"<table><tr><th>{t['item']}</th><th>{t['full']}</th><th>{t['mean']}</th></tr>"
            + "".join(rows) + "</table>")


def _students_section(t, outcomes, statuses, manifest):
    head = "".join(f"<th title='{escape(i.title)}'>{escape(i.id)}</th>" for i in manifest.items)
    rows = []
    for o in sorted(outcomes, key=lambda o: o.student):
        status = statuses[o.student]
        cells = []
        for item in manifest.items:
            if o.report is None:
                cells.append("<td class='num' data-sort='-1'></td>")
                continue
            got = _item(o.report, item.id)
            adjusted = next(((a["was"], a["reason"]) for a in o.report.get("overrides", []) if a["item"] == item.id),
                            None)
            classes = "num" + (" low" if got["score"] < got["max_score"] else "") + (" adjusted" if adjusted else "")
            title = (f" title='{escape(t['overridden'].format(was=format_score(adjusted[0]), reason=adjusted[1]))}'"
                     if adjusted else "")
            mark = "*" if adjusted else ""
            cells.append(f"<td class='{classes}'{title}>{format_score(got['score'])}{mark}</td>")
        total = "" if o.report is None else format_score(o.report["score"])
        links = (f"<a href='{_student_link(o.student)}'>{t['feedback']}</a>"
                 + (f" · <a href='{_student_link(o.student, 'report')}'>{t['report']}</a>" if o.report else ""))
        rows.append(f"<tr><td><a href='{_student_link(o.student)}'>{escape(o.student)}</a></td>{''.join(cells)}"
                    f"<td class='num' data-sort='{total or -1}'>{total}</td><td>{t[status]}</td><td>{links}</td></tr>")
    if not rows:
        return ""
    return (f"<h2>{t['students']}</h2><p class='muted'>{t['sort']}</p><table class='sortable'><thead><tr>"
            f"<th>{t['student']}</th>{head}<th>{t['total']}</th><th>{t['status']}</th><th>{t['links']}</th>"
            f"</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _failures(graded):
    """{(item, test): {masked message: [students]}} over the graded students."""
    found = defaultdict(lambda: defaultdict(list))
    for o in graded:
        for item in o.report["items"]:
            for test in item["tests"]:
                if not test["passed"]:
                    found[(item["id"], test["name"])][NUMBER.sub("…", test["message"])].append(o.student)
    return found


def _failing_section(t, graded, manifest, failures):
    titles = {item.id: item.title for item in manifest.items}
    if not failures:
        return f"<h2>{t['failing']}</h2><p>{t['failing_none']}</p>"
    rows = []
    students = {key: {s for group in by_message.values() for s in group} for key, by_message in failures.items()}
    # Ties broken by item and test name, so the page is the same from run to run.
    for key in sorted(students, key=lambda k: (-len(students[k]), k))[:TOP_FAILING]:
        item_id, name = key
        common = sorted(failures[key].items(), key=lambda kv: (-len(kv[1]), kv[0]))[:MESSAGES_PER_TEST]
        listed = "".join(f"<li>{escape(text)} <span class='muted'>({len(who)})</span></li>" for text, who in common)
        count = len(students[key])
        rows.append(f"<tr><td class='num'>{count} ({100 * count / len(graded):.0f}%)</td>"
                    f"<td>{escape(titles.get(item_id, item_id))}</td><td><code>{escape(name)}</code></td>"
                    f"<td><ul class='messages'>{listed}</ul></td><td>{_who(students[key])}</td></tr>")
    return (f"<h2>{t['failing']}</h2><p class='muted'>{t['failing_note']}</p><table><tr>"
            f"<th>{t['failing_count']}</th><th>{t['item']}</th><th>{t['test']}</th><th>{t['common']}</th>"
            f"<th>{t['who']}</th></tr>" + "".join(rows) + "</table>")


def _messages_section(t, manifest, failures):
    blocks = []
    for item in manifest.items:
        messages = defaultdict(set)
        for (item_id, _), by_message in failures.items():
            if item_id == item.id:
                for text, who in by_message.items():
                    messages[text].update(who)
        if not messages:
            blocks.append(f"<details><summary>{escape(item.title)}: {t['messages_none']}</summary></details>")
            continue
        listed = "".join(f"<li>{escape(text)} <span class='muted'>({len(who)})</span>: {_who(who)}</li>"
                         for text, who in sorted(messages.items(), key=lambda kv: (-len(kv[1]), kv[0])))
        blocks.append(f"<details><summary>{escape(item.title)} ({len(messages)})</summary>"
                      f"<ul class='messages'>{listed}</ul></details>")
    return f"<h2>{t['messages']}</h2>" + "".join(blocks)


def _similar_section(t, similar):
    head = f"<h2>{t['similar']}</h2>"
    if similar.problem:
        return head + f"<p>{escape(t['similar_off'].format(why=similar.problem))}</p>"
    note = f"<p class='muted'>{escape(t['similar_note'].format(threshold=similar.threshold))}</p>"
    if not similar.pairs:
        return head + note + f"<p>{escape(t['similar_none'].format(threshold=similar.threshold))}</p>"
    if similar.total > len(similar.pairs):   # a class of copies: the list is capped (similarity.LISTED)
        note += "<p>" + escape(t["similar_more"].format(total=similar.total, threshold=similar.threshold,
                                                        listed=len(similar.pairs))) + "</p>"
    rows = []
    for pair in similar.pairs:
        passages = "".join(f"<tr><td><pre>{escape(a)}</pre></td><td><pre>{escape(b)}</pre></td></tr>"
                           for a, b in pair.passages)
        rows.append(f"<tr><td>{_who([pair.first])} · {_who([pair.second])}</td>"
                    f"<td class='num'>{pair.first_share:.0%} · {pair.second_share:.0%}</td>"
                    f"<td><details><summary>{len(pair.passages)}</summary><table>{passages}</table></details>"
                    "</td></tr>")
    return (head + note + f"<table><tr><th>{t['pair']}</th><th>{t['shared']}</th><th>{t['passages']}</th></tr>"
            + "".join(rows) + "</table>")


def _problems_section(t, outcomes, problems, statuses):
    items = [f"<li><b>{escape(entry)}</b>: {escape(message)}</li>" for entry, message in problems]
    for o in sorted(outcomes, key=lambda o: o.student):
        status, message = status_of(o)
        if status in (NOT_GRADED, WITH_ERRORS):
            items.append(f"<li><b>{escape(o.student)}</b> ({t[status]}): {escape(message)}</li>")
    if not items:
        return f"<h2>{t['problems']}</h2><p>{t['problems_none']}</p>"
    return f"<h2>{t['problems']}</h2><ul class='problem'>{''.join(items)}</ul>"


def _item(report, item_id):
    return next(i for i in report["items"] if i["id"] == item_id)


# -- plots ------------------------------------------------------------------------

def _figure(width, height):
    # The Agg canvas directly: no pyplot, no global state, no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _img(fig, alt):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<p><img alt='{escape(alt)}' src='data:image/png;base64,{data}'></p>"
