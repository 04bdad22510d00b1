"""The class report: one self-contained HTML page for the instructor.

What the class did not understand, at a glance, and each student one click
away: who handed in what (names beside ids, who on the roster is missing),
the distribution of totals and how many got each item fully right (over the
real attempts only), the typical mistakes grouped by kind across students
(grader/judge/failures.py's classes, and within a wrong value the hint that fits
it) with how many students and who, every student's items (sortable, linked
to their feedback page), submissions that look alike, and what went wrong
with the run. The page is grader/show/templates/class_report.html.j2 (Jinja2,
autoescaped; every student-supplied text is also made visible with
report.inert, so no control or bidi character reorders it). Plots are
matplotlib's Agg canvas as data: URIs and the only script is the table
sorter: the page loads nothing and can be mailed as is.
"""
import base64
import csv
import io
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..errors import GraderError
from ..judge.failures import KINDS
from ..show.feedback import without_hint
from .gradebook import NOT_ATTEMPTED, NOT_GRADED, OK, WITH_ERRORS, status_of
from ..show.render import format_score
from ..judge.report import inert
from ..show.templates import environment

EXAMPLES = 3          # students named per mistake before "e mais N"

STRINGS = {
    "pt": {
        "lang": "pt-BR", "title": "Relatório da turma",
        "run": "Corrigido em {date}, em {duration}; avaliador versão {version}.",
        "counts": "{students} alunos: {attempted} tentaram, {untouched} não tentaram (só os stubs, ou nada), "
                  "{missing} não corrigidos{absent}; total do checklist {max} pontos.",
        "absent": "; {n} da lista da turma sem entrega",
        "nothing": "Nenhuma entrega foi tentada de verdade.",
        "totals": "Distribuição das notas", "totals_note": "Média {mean:.1f}, mediana {median:.1f}, menor {low}, "
                  "maior {high} (só quem tentou: entregas vazias, só com stubs ou não corrigidas ficam de fora).",
        "x_totals": "nota (de {max})", "y_students": "alunos",
        "items_title": "Acerto por item", "x_items": "% dos alunos que tentaram com nota cheia no item",
        "item": "Item", "full": "Nota cheia", "mean": "Média",
        "mistakes": "Erros típicos", "mistakes_note": "Cada falha classificada pelo tipo (arquivo faltando, "
                    "função não definida, stub, exceção, valor errado) e, nos erros de valor, pela dica que se "
                    "aplica; só entre quem tentou. Um exemplo de mensagem de um dos alunos.",
        "mistakes_none": "Ninguém que tentou errou nada.", "kind": "Tipo", "example": "Exemplo",
        "how_many": "Alunos", "who": "Quem", "more": "e mais {n}",
        "kinds": {"missing": "arquivo não entregue", "import": "arquivo não importa", "undefined": "função não "
                  "definida", "stub": "ainda o stub", "limit": "limite de tempo ou memória", "raised": "exceção",
                  "wrong": "valor errado"},
        "students": "Alunos", "student": "Aluno", "name": "Nome", "total": "Total", "status": "Situação",
        "links": "Arquivos", "sort": "Clique num cabeçalho para ordenar; a tabela rola para o lado.",
        "feedback": "feedback", "text": "texto", "report": "relatório",
        "legend": "* nota ajustada pelo professor (o motivo está na lista abaixo e no feedback do aluno); "
                  "em vermelho, itens sem nota cheia.",
        "adjusted": "Ajustes do professor", "overridden": "{item}: era {was}, ficou {score} ({reason})",
        "roster": "Sem entrega", "roster_note": "Na lista da turma ({file}), mas sem nenhuma entrega.",
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
        "run": "Graded on {date}, in {duration}; grader version {version}.",
        "counts": "{students} students: {attempted} attempted, {untouched} not attempted (stubs only, or nothing), "
                  "{missing} not graded{absent}; checklist total {max} points.",
        "absent": "; {n} on the roster without a submission",
        "nothing": "No submission was really attempted.",
        "totals": "Distribution of totals", "totals_note": "Mean {mean:.1f}, median {median:.1f}, lowest {low}, "
                  "highest {high} (attempts only: empty, stub-only and ungraded submissions are left out).",
        "x_totals": "total (out of {max})", "y_students": "students",
        "items_title": "Pass rate per checklist item",
        "x_items": "% of attempting students with full marks on the item",
        "item": "Item", "full": "Full marks", "mean": "Mean score",
        "mistakes": "Typical mistakes", "mistakes_note": "Each failure classified by kind (file missing, function "
                    "not defined, stub, exception, wrong value) and, for wrong values, by the hint that fits; "
                    "attempts only. One example message from one of the students.",
        "mistakes_none": "Nobody who attempted got anything wrong.", "kind": "Kind", "example": "Example",
        "how_many": "Students", "who": "Who", "more": "and {n} more",
        "kinds": {"missing": "file not handed in", "import": "file does not import", "undefined": "function not "
                  "defined", "stub": "still the stub", "limit": "time or memory limit", "raised": "exception",
                  "wrong": "wrong value"},
        "students": "Students", "student": "Student", "name": "Name", "total": "Total", "status": "Status",
        "links": "Files", "sort": "Click a header to sort; the table scrolls sideways.",
        "feedback": "feedback", "text": "text", "report": "report",
        "legend": "* score adjusted by the instructor (the reason is listed below and in the student's feedback); "
                  "in red, items without full marks.",
        "adjusted": "Instructor's adjustments", "overridden": "{item}: was {was}, now {score} ({reason})",
        "roster": "No submission", "roster_note": "On the class roster ({file}) but with no submission.",
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


class RosterError(GraderError):
    """The roster file cannot be read."""


@dataclass
class Run:
    """What the page says about the run itself, and what it knows of names."""
    date: str = ""                  # when it finished, as the instructor reads it
    seconds: float = 0.0
    version: str = __version__
    names: dict = field(default_factory=dict)     # student id -> name (ids.csv, the roster)
    roster: list = None             # the class roster's ids, when one was given
    roster_file: str = ""


def read_names(path):
    """{id: name} from a CSV whose header has `student` and `name` (ids.csv
    as intake writes it, or a roster); {} when there is none."""
    return {student: name for student, name in _rows(path)} if path and Path(path).is_file() else {}


def read_roster(path):
    """[(id, name)] of the class roster: a CSV with a `student` column (and
    `name`, if known), comma or semicolon separated."""
    try:
        return list(_rows(path))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise RosterError(f"roster {path} cannot be read: {err}") from None


def _rows(path):
    text = Path(path).read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text.strip() else ",", delimiters=",;")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if "student" not in (reader.fieldnames or []):
        raise RosterError(f"{path}: the first line must name the columns, one of them `student`")
    for row in reader:
        student = (row.get("student") or "").strip()
        if student:
            yield student, (row.get("name") or "").strip()


def build(outcomes: list, problems: list, manifest, seed: int, lang: str = "pt", similar=None,
          run: Run | None = None) -> str:
    """The page as a string. outcomes: one per student (reports with the
    instructor's adjustments applied, see grader/classroom/overrides.py); problems:
    (entry, message) for entries that are not a student's submission at all;
    similar: similarity.Result or None; run: the run's date, duration and names."""
    t, run = STRINGS[lang], run or Run(date=time.strftime("%Y-%m-%d %H:%M"))
    statuses = {o.student: status_of(o)[0] for o in outcomes}
    attempted = sorted((o for o in outcomes if statuses[o.student] in (OK, WITH_ERRORS)), key=lambda o: o.student)
    max_score = sum(item.weight for item in manifest.items)
    absent = [(s, n) for s, n in (run.roster or []) if s not in statuses]
    names = dict(run.names)
    names.update({s: n for s, n in (run.roster or []) if n})
    counts = {status: sum(1 for v in statuses.values() if v == status) for status in (NOT_ATTEMPTED, NOT_GRADED)}
    page = {
        "t": t, "seed": seed, "students_section": _students(t, outcomes, statuses, manifest, names),
        "run": t["run"].format(date=run.date, duration=_duration(run.seconds), version=run.version),
        "counts": t["counts"].format(students=len(outcomes), attempted=len(attempted),
                                     untouched=counts[NOT_ATTEMPTED], missing=counts[NOT_GRADED],
                                     absent=t["absent"].format(n=len(absent)) if run.roster is not None else "",
                                     max=format_score(max_score)),
        "absent": [{"student": inert(s), "name": inert(n or names.get(s, ""))} for s, n in absent],
        "roster_note": t["roster_note"].format(file=run.roster_file),
        "similar": _similar(t, similar, names) if similar is not None else None,
        "problems": _problems(t, outcomes, problems, statuses),
        "adjusted": _adjusted(t, outcomes, manifest),
    }
    if attempted:
        page["totals"] = _totals(t, attempted, max_score)
        page["items"] = _items(t, attempted, manifest)
        page["mistakes"] = _mistakes(t, attempted, manifest, names)
    return environment().get_template("class_report.html.j2").render(**page)


def _duration(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def student_link(student, what="feedback"):
    """A relative link inside OUT to a student's feedback page, its text, or the report."""
    folder, suffix = {"feedback": ("feedback", ".html"), "text": ("feedback", ".txt"),
                      "markdown": ("feedback", ".md"), "report": ("reports", ".json")}[what]
    return f"{folder}/{quote(student, safe='')}{suffix}"


def _person(student, names):
    return {"student": inert(student), "name": inert(names.get(student, "")), "href": student_link(student)}


# -- sections -------------------------------------------------------------------

def _totals(t, attempted, max_score):
    totals = sorted(o.report["score"] for o in attempted)
    middle = len(totals) // 2
    median = totals[middle] if len(totals) % 2 else (totals[middle - 1] + totals[middle]) / 2
    fig, ax = _figure(7, 3)
    ax.hist(totals, bins=[max_score * k / 10 for k in range(11)], color="#4878a8", edgecolor="white")
    ax.set_xlabel(t["x_totals"].format(max=format_score(max_score)))
    ax.set_ylabel(t["y_students"])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max_score)
    note = t["totals_note"].format(mean=sum(totals) / len(totals), median=median, low=format_score(totals[0]),
                                   high=format_score(totals[-1]))
    return {"note": note, "img": _png(fig)}


def _items(t, attempted, manifest):
    rows, names, rates = [], [], []
    for item in manifest.items:
        got = [_item(o.report, item.id) for o in attempted]
        full = sum(i["score"] >= i["max_score"] for i in got) / len(got)
        mean = sum(i["score"] / i["max_score"] for i in got if i["max_score"]) / len(got)
        names.append(item.id)
        rates.append(100 * full)
        rows.append({"title": item.title, "id": item.id, "full": f"{100 * full:.0f}%", "mean": f"{100 * mean:.0f}%"})
    fig, ax = _figure(7, 0.45 * len(names) + 1)
    ax.barh(names[::-1], rates[::-1], color="#5a9e6f")
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["x_items"])
    return {"rows": rows, "img": _png(fig)}


def _mistakes(t, attempted, manifest, names):
    """The classified failures of the students who attempted, grouped by item,
    kind and what the kind is about (the hint for a wrong value or an
    exception, the module or function otherwise): most students first."""
    titles = {item.id: item.title for item in manifest.items}
    groups = defaultdict(lambda: {"students": set(), "example": ""})
    for o in attempted:
        for item in o.report["items"]:
            for test in item["tests"]:
                if test["passed"]:
                    continue
                kind = test.get("kind") if test.get("kind") in KINDS else "wrong"
                about = test.get("hint") or test.get("function") or test.get("module") or ""
                group = groups[(item["id"], kind, about)]
                group["students"].add(o.student)
                group["example"] = group["example"] or without_hint(test)
    order = sorted(groups.items(), key=lambda kv: (-len(kv[1]["students"]), kv[0]))
    rows = []
    for (item_id, kind, about), group in order:
        who = sorted(group["students"])
        rows.append({"count": len(who), "share": f"{100 * len(who) / len(attempted):.0f}%",
                     "item": titles.get(item_id, item_id), "kind": t["kinds"][kind], "about": inert(about),
                     "example": inert(group["example"]), "who": [_person(s, names) for s in who[:EXAMPLES]],
                     "more": t["more"].format(n=len(who) - EXAMPLES) if len(who) > EXAMPLES else ""})
    return rows


def _students(t, outcomes, statuses, manifest, names):
    rows = []
    for o in sorted(outcomes, key=lambda o: o.student):
        adjusted = {a["item"] for a in (o.report or {}).get("overrides", [])}
        cells = []
        for item in manifest.items:
            if o.report is None:
                cells.append({"text": "", "sort": -1, "low": False, "adjusted": False})
                continue
            got = _item(o.report, item.id)
            cells.append({"text": format_score(got["score"]) + ("*" if item.id in adjusted else ""),
                          "sort": got["score"], "low": got["score"] < got["max_score"],
                          "adjusted": item.id in adjusted})
        total = "" if o.report is None else format_score(o.report["score"])
        rows.append(dict(_person(o.student, names), cells=cells, total=total, total_sort=total or -1,
                         status=t[statuses[o.student]], text=student_link(o.student, "text"),
                         report=student_link(o.student, "report") if o.report else ""))
    return {"head": [{"id": i.id, "title": i.title} for i in manifest.items], "rows": rows,
            "names": any(r["name"] for r in rows)}


def _adjusted(t, outcomes, manifest):
    titles = {item.id: item.title for item in manifest.items}
    found = []
    for o in sorted(outcomes, key=lambda o: o.student):
        for a in (o.report or {}).get("overrides", []):
            found.append({"student": inert(o.student), "href": student_link(o.student),
                          "text": t["overridden"].format(item=titles.get(a["item"], a["item"]),
                                                         was=format_score(a["was"]), score=format_score(a["score"]),
                                                         reason=inert(a["reason"]))})
    return found


def _similar(t, similar, names):
    if similar.problem:
        return {"off": t["similar_off"].format(why=similar.problem)}
    more = (t["similar_more"].format(total=similar.total, threshold=similar.threshold, listed=len(similar.pairs))
            if similar.total > len(similar.pairs) else "")   # a class of copies: the list is capped
    return {"off": "", "note": t["similar_note"].format(threshold=similar.threshold), "more": more,
            "none": t["similar_none"].format(threshold=similar.threshold),
            "pairs": [{"first": _person(p.first, names), "second": _person(p.second, names),
                       "shares": f"{p.first_share:.0%} · {p.second_share:.0%}",
                       "passages": [(inert(a), inert(b)) for a, b in p.passages]} for p in similar.pairs]}


def _problems(t, outcomes, problems, statuses):
    found = [{"who": inert(entry), "status": "", "message": inert(message)} for entry, message in problems]
    for o in sorted(outcomes, key=lambda o: o.student):
        status, message = status_of(o)
        if status in (NOT_GRADED, WITH_ERRORS):
            found.append({"who": inert(o.student), "status": t[status], "message": inert(message)})
    return found


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


def _png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
