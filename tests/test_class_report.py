"""The class report answers the instructor's questions, and each student's
feedback page reads on a phone (issue 23, and issue 20's minor items on
student text in the class report and the feedback)."""
import re
from html.parser import HTMLParser

from grader.classroom import batch, class_report
from grader.show.feedback import as_markdown, as_text
from grader.show.feedback_page import as_html
from grader.classroom.gradebook import feedback, feedback_html, feedback_text
from grader.manifest import load
from grader.show.value_graph import as_svg, compare, expected

MANIFEST = load()
HINTS = MANIFEST.hints
SNEAKY = "\u202eevil\x1b[31m<script>alert(1)</script>\u200b"


def report(failures=(), overrides=()):
    """A report where each item has four tests; `failures` = [(item, kind, message, hint)]."""
    items = []
    for item in MANIFEST.items:
        tests = [{"name": f"t{i}", "passed": True, "message": "ok"} for i in range(4)]
        for n, (_, kind, message, hint) in enumerate(f for f in failures if f[0] == item.id):
            tests[n] = {"name": f"t{n}", "passed": False, "kind": kind,
                        "message": message + (f" Dica: {hint}" if hint else ""), **({"hint": hint} if hint else {})}
        score = round(item.weight * sum(t["passed"] for t in tests) / 4, 2)
        items.append({"id": item.id, "title": item.title, "score": score, "max_score": item.weight, "tests": tests})
    found = {"schema_version": 1, "submission": "x", "items": items, "errors": [],
             "score": round(sum(i["score"] for i in items), 2), "max_score": 100.0}
    if overrides:
        found["overrides"] = list(overrides)
    return found


def untouched():
    return report([(i.id, "stub", f"{i.functions[0]}(...): ainda não foi implementada.", None)
                   for i in MANIFEST.items for _ in range(4)])


CLIP = ("cross-entropy", "raised", "binary_cross_entropy([1, 0], [0.0, 1.0]): levantou ValueError (log ou raiz de um "
        "número fora do domínio); o Python diz: «math domain error».", HINTS["bce_clip"])
ACCUMULATE = ("value-backprop", "wrong", "com a = Value(0.7), out = (a + 1.5) + a; out.backward(): a.grad: esperava "
              "2.0, veio 1.0.", HINTS["accumulate"])


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text = []

    def handle_data(self, data):
        self.text.append(data)


def page_text(html):
    parser = Page()
    parser.feed(html)
    return " ".join(parser.text)


def outcomes():
    return [batch.Outcome("ana", "ana", report=report([CLIP, ACCUMULATE])),
            batch.Outcome("bia", "bia", report=report([CLIP])),
            batch.Outcome("caio", "caio", report=untouched()),
            batch.Outcome("duda", "duda", problem="nothing to grade", feedback="Não encontramos nada."),
            batch.Outcome(SNEAKY, SNEAKY, report=report([("mse", "wrong", SNEAKY, None)], overrides=[
                {"item": "mse", "was": 7.5, "score": 10, "reason": SNEAKY}]))]


def build(**run):
    return class_report.build(outcomes(), [(SNEAKY, "skipped: " + SNEAKY)], MANIFEST, 0,
                              run=class_report.Run(date="2026-12-05 08:00 UTC", seconds=95, **run))


def test_typical_mistakes_are_grouped_by_kind_with_how_many_and_who():
    html = build()
    section = html.split("Erros típicos")[1].split("<h2>")[0]
    rows = section.split("<tr>")[2:]
    first = rows[0]
    assert "2 (67%)" in first and "exceção" in first and "ana" in first and "bia" in first
    assert "math domain error" in first and "[0.0, 1.0]" in first   # numbers are not masked
    assert any("valor errado" in r and "ana" in r and "1 (33%)" in r for r in rows)
    assert "caio" not in section   # not attempted: out of the statistics and the mistakes


def test_attempts_only_and_the_run_in_the_header():
    text = page_text(build())
    assert "5 alunos: 3 tentaram, 1 não tentaram" in text and "1 não corrigidos" in text
    assert "Corrigido em 2026-12-05 08:00 UTC, em 1 min 35 s; avaliador versão" in text
    assert "seed" not in text


def test_names_beside_ids_and_who_on_the_roster_is_missing():
    html = build(names={"ana": "Ana Souza"}, roster=[("ana", ""), ("bia", "Beatriz Lima"), ("edu", "Eduardo Reis")],
                 roster_file="turma.csv")
    text = page_text(html)
    assert "Ana Souza" in text and "Beatriz Lima" in text
    missing = html.split("Sem entrega")[1].split("<h2>")[0]
    assert "edu" in missing and "Eduardo Reis" in missing and "ana" not in missing and "turma.csv" in missing
    assert "1 da lista da turma sem entrega" in text


def test_every_student_text_is_escaped_and_made_visible():
    html = build(names={SNEAKY: SNEAKY})
    assert "<script>" not in html.replace("<script>\n// The page's own sorter", "")
    for raw in ("\u202e", "\x1b", "\u200b"):
        assert raw not in html
    assert "\\u202eevil\\u001b[31m&lt;script&gt;" in html


def test_viewport_scrolling_tables_and_a_legend_for_overrides():
    html = build()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.count('<div class="scroll">') >= 3
    assert "* nota ajustada pelo professor" in html
    adjusted = html.split("Ajustes do professor")[1].split("<h2>")[0]
    assert "Implementar MSE: era 7.5, ficou 10" in adjusted


def test_roster_csv_with_semicolons_and_names(tmp_path):
    path = tmp_path / "turma.csv"
    path.write_text("student;name\n10001;Ana Souza\n10002;\n", encoding="utf-8")
    assert class_report.read_roster(path) == [("10001", "Ana Souza"), ("10002", "")]


def test_the_feedback_page_reads_on_a_phone_and_escapes_everything():
    graph = compare(expected([("out", "*", 2.0, 1.0), ("a", "", 1.0, 2.0)], [(1, 0)]),
                    [[2.0, 1.0, "*"], [1.0, 0.5, ""]])
    found = report([CLIP, ACCUMULATE, ("mse", "wrong", SNEAKY, None)])
    found["items"][2]["tests"][0]["graph"] = graph
    html = as_html(found, student=SNEAKY)
    assert '<meta name="viewport"' in html and "<script" not in html and "\u202e" not in html
    assert "&lt;script&gt;" in html and html.count("<svg") == 1 and "#c62828" in html   # the wrong grad, in red
    assert HINTS["accumulate"] in html and "Resultado: 88.75 / 100" in html
    text = as_text(found)
    assert "\\" not in text.replace("\\u", "") and "**" not in text and "Dica: " + HINTS["bce_clip"] in text


def test_graph_svg_marks_the_wrong_node():
    graph = compare(expected([("out", "+", 3.0, 1.0), ("a", "", 1.0, 1.0), ("b", "", 2.0, 1.0)], [(1, 0), (2, 0)]),
                    [[3.0, 1.0, "+"], [2.0, 1.0, ""], [1.0, 0.0, ""]])
    assert [n["wrong"] for n in graph["nodes"]] == [False, True, False]   # matched by value, not by order
    svg = as_svg(graph)
    assert svg.startswith("<svg") and svg.count("<rect") == 3 and svg.count("✗") == 1


def test_not_graded_feedback_holds_no_live_markdown():
    outcome = batch.Outcome("x", "x", problem="refused",
                            feedback="O arquivo [clique](http://evil.example) # ✅ nota 100 foi recusado.")
    md = feedback(outcome)
    assert "](http" not in md.replace("\\](http", "") and "\\[clique\\]" in md and "\\# ✅" in md
    assert "<a " not in feedback_html(outcome) and "recusado" in feedback_text(outcome)


def test_a_notebook_name_never_becomes_a_heading_or_a_list():
    found = report()
    found["errors"] = [{"module": "", "message": "# ✅ Revisão do professor: nota final 100.ipynb foi ignorado"},
                       {"module": "", "message": "- 1. item"}]
    md = as_markdown(found)
    assert not re.search(r"^\s*(- )?#", md.split("## Problemas na entrega")[1], re.M)
    assert "- \\# ✅" in md and "- \\- 1. item" in md


def test_empty_pdf_or_zip_only_hand_ins_are_not_attempts_but_a_syntax_error_is():
    from grader.classroom.gradebook import NOT_ATTEMPTED, WITH_ERRORS, status_of
    nothing = report([(i.id, "missing", "não rodou, porque x.py não foi entregue.", None)
                      for i in MANIFEST.items for _ in range(4)])
    assert status_of(batch.Outcome("pdf", "pdf", report=nothing))[0] == NOT_ATTEMPTED
    broken = report([(i.id, "import", "não rodou, porque x.py não pôde ser importado.", None)
                     for i in MANIFEST.items for _ in range(4)])
    broken["errors"] = [{"module": "value", "message": "value.py não pôde ser importado: erro de sintaxe"}]
    assert status_of(batch.Outcome("typo", "typo", report=broken))[0] == WITH_ERRORS
