"""The instructor's view of a class: the example class of bench/example_class.py
(30 hand-ins as Moodle gives them) through `grader batch --ids moodle
--overrides`, then the page, the gradebook and the feedback it leaves."""
import csv
import io
import json
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import ROOT, build_submission
from grader.classroom import batch, intake, overrides
from grader.manifest import load

sys.path.insert(0, str(ROOT / "bench"))
import example_class  # noqa: E402  (the builder the README's screenshot script uses)


class Page(HTMLParser):
    """The links, tables and text of a page, and whether its tags balance."""

    def __init__(self):
        super().__init__()
        self.links, self.tables, self.stack, self.text = [], 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs)["href"])
        if tag == "table":
            self.tables += 1
        if tag not in ("img", "meta", "br", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    base = tmp_path_factory.mktemp("turma")
    roles = example_class.build(base / "class")
    example_class.overrides(base / "overrides.csv", roles["bug"][0])
    out = base / "run"
    summary = batch.run(base / "class", out, jobs=2, stream=io.StringIO(), ids="moodle",
                        view=batch.View(overrides=str(base / "overrides.csv")))
    html = (out / "class_report.html").read_text(encoding="utf-8")
    page = Page()
    page.feed(html)
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8"))))
    return {"roles": roles, "out": out, "summary": summary, "html": html, "page": page,
            "rows": {r["student"]: r for r in rows}}


def test_moodle_names_become_student_ids(example):
    every = sorted(s for role, ids in example["roles"].items() if role != "copied" for s in ids)
    assert sorted(example["rows"]) == every and len(every) == 30
    names = {r["student"]: r["name"] for r in csv.DictReader(open(example["out"] / "ids.csv", encoding="utf-8"))}
    assert names[example["roles"]["bug"][0]] == "Aluna Com Bug"


def test_every_student_is_one_click_from_their_feedback_and_report(example):
    links = set(example["page"].links)
    for student, row in example["rows"].items():
        feedback = f"feedback/{student}.html"
        assert feedback in links and (example["out"] / feedback).is_file()
        if row["status"] != "not graded":
            assert f"reports/{student}.json" in links
    for link in links:   # every link on the page is a file of OUT
        assert not link.startswith(("http", "/", "..")) and (example["out"] / unquote(link)).is_file(), link
    assert not example["page"].stack   # every tag closed


def test_untouched_stubs_are_not_attempted_and_out_of_the_statistics(example):
    for student in example["roles"]["untouched"]:
        assert example["rows"][student]["status"] == "not attempted"
    text = " ".join(example["page"].text)
    assert "3 não tentaram" in text
    table = example["html"].split("<h2>Alunos</h2>")[1].split("<h2>")[0]
    assert table.count("<td>não tentou</td>") == 3
    mistakes = example["html"].split("Erros típicos")[1].split("<h2>")[0]
    for student in example["roles"]["untouched"]:
        assert f"feedback/{student}.html" not in mistakes


def test_the_copied_pairs_are_flagged_and_no_honest_pair_is(example):
    pairs = {(p.first, p.second) for p in example["summary"].similar.pairs}
    copied = example["roles"]["copied"]
    expected = {tuple(sorted((copied[0], example["roles"]["copy"][0]))),
                tuple(sorted((copied[1], example["roles"]["renamed"][0])))}
    assert pairs == expected
    section = example["html"].split("Entregas parecidas")[1].split("Problemas")[0]
    for first, second in expected:
        assert f"feedback/{first}.html" in section and f"feedback/{second}.html" in section
    assert "&lt;" in section or "def " in section   # the shared passages, escaped


def test_an_override_shows_in_the_gradebook_the_report_and_the_feedback(example):
    student = example["roles"]["bug"][0]
    row = example["rows"][student]
    assert row["cross-entropy"] == "15"
    assert row["adjustments"] == "cross-entropy: 13 -> 15 (pedido de revisão aceito)"
    assert row["total"] == "97.61"
    report = json.loads((example["out"] / "reports" / f"{student}.json").read_text(encoding="utf-8"))
    (change,) = report["overrides"]
    assert change == {"item": "cross-entropy", "was": 13.0, "score": 15, "reason": "pedido de revisão aceito"}
    feedback = (example["out"] / "feedback" / f"{student}.md").read_text(encoding="utf-8")
    assert "## Ajustes do professor" in feedback and "pedido de revisão aceito" in feedback
    assert "nota ajustada pelo professor" in example["html"] and "pedido de revisão aceito" in example["html"]


def test_a_rerun_keeps_the_override_and_regrades_nothing(example, tmp_path):
    summary = batch.run(example["out"].parent / "class", example["out"], jobs=2, stream=io.StringIO(), ids="moodle",
                        view=batch.View(overrides=str(example["out"].parent / "overrides.csv")))
    assert all(o.cached for o in summary.outcomes if o.report is not None)
    student = example["roles"]["bug"][0]
    adjusted = next(o for o in summary.outcomes if o.student == student).report
    assert adjusted["overrides"][0]["was"] == 13.0   # the graded score, not the adjusted one again


def test_the_page_names_students_and_each_has_a_page_and_a_text(example):
    text = " ".join(example["page"].text)
    bug = example["roles"]["bug"][0]
    assert "Aluna Com Bug" in text and "avaliador versão" in text and "Erros típicos" in text
    page = (example["out"] / "feedback" / f"{bug}.html").read_text(encoding="utf-8")
    assert '<meta name="viewport"' in page and "<svg" in page   # its Value bug, drawn
    assert (example["out"] / "feedback" / f"{bug}.txt").read_text(encoding="utf-8").startswith("Resultado: ")


def test_a_module_that_did_not_import_is_one_line_of_feedback(example):
    student = example["roles"]["syntax"][0]
    feedback = (example["out"] / "feedback" / f"{student}.md").read_text(encoding="utf-8")
    fixes = feedback.split("## O que corrigir")[1]
    assert fixes.count("não pôde ser importado") == 1 and fixes.count("\n- ") == 1


# -- the pieces, one by one --------------------------------------------------------

def test_canvas_files_are_grouped_per_student_and_resubmissions_renamed(tmp_path):
    download = tmp_path / "canvas.zip"
    reference = build_submission(tmp_path / "ref")
    with zipfile.ZipFile(download, "w") as zf:
        for name in ("derivatives.py", "value.py", "losses.py", "gradient_check.py"):
            zf.write(reference / name, f"souzaana_12345_67890_{name}")
            zf.write(reference / name, f"limabruno_late_23456_78901_{name.replace('.py', '-1.py')}")
        zf.writestr("leia-me.txt", "x")
    result = intake.collect(download, tmp_path / "out", "canvas")
    assert sorted(result.files) == ["12345", "23456"]
    intake.extract(download, result.files["23456"], tmp_path / "bruno")
    assert sorted(p.name for p in (tmp_path / "bruno").iterdir()) == ["derivatives.py", "gradient_check.py",
                                                                     "losses.py", "value.py"]
    assert (tmp_path / "bruno" / "value.py").read_bytes() == (reference / "value.py").read_bytes()
    assert result.problems == [("leia-me.txt", "skipped: the name does not match the --ids pattern")]


def test_a_class_download_is_not_held_to_one_students_zip_limits(tmp_path):
    from grader.judge.unpack import MAX_MEMBERS
    download = tmp_path / "moodle.zip"
    with zipfile.ZipFile(download, "w") as zf:
        for student in range(MAX_MEMBERS // 4 + 10):   # more members than one student's zip may hold
            for module in ("derivatives", "value", "losses", "gradient_check"):
                zf.writestr(f"Aluno {student}_{20000 + student}_assignsubmission_file_/{module}.py", "x = 1\n")
    result = intake.collect(download, tmp_path / "out", "moodle")
    assert result.problems == [] and len(result.files) == MAX_MEMBERS // 4 + 10


def test_two_entries_claiming_one_file_are_refused_not_guessed(tmp_path):
    source = tmp_path / "download"
    source.mkdir()
    for late in ("", "_late"):
        (source / f"souzaana{late}_12345_6789{len(late)}_losses.py").write_text("x = 1\n")
    result = intake.collect(source, tmp_path / "out", "canvas")
    assert "12345" not in result.files
    assert "are both losses.py" in result.refused["12345"].problem


def test_a_pattern_without_a_student_group_is_a_clear_error(tmp_path):
    with pytest.raises(intake.IntakeError, match="group named student"):
        intake.collect(tmp_path, tmp_path / "out", r"(\d+)")


def test_overrides_are_checked_line_by_line(tmp_path):
    path = tmp_path / "ajustes.csv"
    path.write_text("student;item;score;reason\nana;mse;7,5;revisão\nana;nada;1;x\nbia;mse;11;x\n"
                    "caio;mse;abc;x\nana;mse;8;de novo\n", encoding="utf-8")
    found, problems = overrides.load(path, load())
    assert found == {"ana": {"mse": (7.5, "revisão")}}
    assert [p[1].split(":")[0] for p in problems] == ["ignored"] * 4


def test_the_gradebook_in_the_brazilian_spreadsheet_dialect(tmp_path):
    from grader.classroom import gradebook
    report = {"score": 96.37, "max_score": 100, "errors": [],
              "items": [{"id": i.id, "score": i.weight - (0.5 if i.id == "mse" else 0), "tests": []}
                        for i in load().items]}
    text = gradebook.gradebook_csv([batch.Outcome("ana", "ana", report=report)], load(), "semicolon")
    header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert row[header.index("mse")] == "9,5" and row[header.index("total")] == "96,37"


def test_the_class_report_in_english(tmp_path):
    from grader.classroom import class_report
    outcome = batch.Outcome("ana", "ana", report=json.loads(
        (Path(__file__).parent / "golden" / "aluno_seed_2026.json").read_text(encoding="utf-8")))
    html = class_report.build([outcome], [], load(), 0, lang="en")
    assert '<html lang="en">' in html and "Students" in html and "Alunos" not in html
