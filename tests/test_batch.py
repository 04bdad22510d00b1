"""`grader batch`: a class in, reports, feedback, gradebook and class report out.

Small classes (3 to 6 students) built from the reference solutions and the
one-bug mutants; every hostile entry sits next to honest ones, which must
still be graded.
"""
import contextlib
import csv
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile

import jsonschema
import pytest

from conftest import ITEM_IDS, ROOT, build_submission
from grader import cli
from grader.classroom import batch, gradebook
from grader.manifest import load
from grader.platforms.gradescope import results
from grader.judge.unpack import MAX_TOTAL, UnpackError, safe_extract
from mutants import MUTANTS

MODULES = tuple(f"{m}.py" for m in load().modules)
HEADER = ["student", *ITEM_IDS, "total", "max", "status", "message", "adjustments"]
STATUS, TOTAL, MESSAGE = HEADER.index("status"), HEADER.index("total"), HEADER.index("message")
MUTANT = {m["id"]: m for m in MUTANTS}


def mutant(folder, mutant_id):
    m = MUTANT[mutant_id]
    return build_submission(folder, [(m["file"], m["old"], m["new"])])


def zip_folder(folder, archive, prefix=""):
    with zipfile.ZipFile(archive, "w") as zf:
        for name in MODULES:
            zf.write(folder / name, prefix + name)
    return archive


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def snapshot(folder):
    """Every path under folder, for 'nothing was written outside OUT'."""
    return {os.path.join(d, n) for d, dirs, files in os.walk(folder) for n in dirs + files}


def run_batch(subs, out, **kwargs):
    kwargs.setdefault("jobs", 2)
    kwargs.setdefault("stream", io.StringIO())
    return batch.run(subs, out, **kwargs)


# -- a class with every kind of bad entry ------------------------------------------------

def evil_zip(path, members):
    """members: (ZipInfo or name, bytes)."""
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def symlink_member(name, target):
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def lying_zip(path, real_size=MAX_TOTAL + 1024 * 1024, claimed=1000):
    """A bomb whose headers claim `claimed` bytes for a member of real_size."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("derivatives.py", b"#" * real_size)
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central headers
        at = data.find(signature)
        data[at + offset:at + offset + 4] = claimed.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    subs = base / "subs"
    subs.mkdir()
    build_submission(subs / "ana")                                              # correct folder
    zip_folder(mutant(base / "b", "descent_step_climbs"), subs / "bruno.zip")    # buggy zip
    zip_folder(build_submission(base / "c"), subs / "carla.zip", prefix="carla/")  # zip of the folder
    (subs / "notes.txt").write_text("não é uma entrega", encoding="utf-8")
    build_submission(subs / "dora")                                             # dora twice
    zip_folder(build_submission(base / "d"), subs / "dora.zip")
    escape_target = base / "escaped.txt"
    evil_zip(subs / "eva.zip", [("derivatives.py", b"x = 1\n"),
                                ("../" * 30 + str(escape_target).lstrip("/"), b"pwned")])
    evil_zip(subs / "fabio.zip", [("derivatives.py", b"x = 1\n"), (str(base / "absolute.txt"), b"pwned")])
    evil_zip(subs / "gil.zip", [("derivatives.py", b"x = 1\n"), symlink_member("value.py", "/etc/passwd")])
    with zipfile.ZipFile(subs / "hugo.zip", "w", zipfile.ZIP_DEFLATED) as zf:   # honest bomb
        zf.writestr("derivatives.py", b"0" * (MAX_TOTAL + 1))
    lying_zip(subs / "iris.zip")                                                # lying bomb
    os.mkdir(os.path.join(os.fsencode(subs), b"jo\xe3o"))                        # not UTF-8
    build_submission(os.fsdecode(os.path.join(os.fsencode(subs), b"jo\xe3o")))
    html_payload = build_submission(subs / "lia")   # its import error ends up in the page
    with open(html_payload / "losses.py", "a", encoding="utf-8") as f:
        f.write("\nraise ValueError('<script>alert(1)</script><img src=http://x/y.png>')\n")
    (subs / "notebook_only.ipynb").write_text(json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    before = snapshot(base)
    out = base / "out"
    summary = run_batch(subs, out)
    return {"base": base, "out": out, "summary": summary, "before": before,
            "escapes": [escape_target, base / "absolute.txt"]}


def test_honest_entries_are_graded_next_to_hostile_ones(hostile_class):
    rows = {r[0]: r for r in read_csv(hostile_class["out"] / "gradebook.csv")[1:]}
    assert rows["ana"][STATUS] == "ok" and rows["ana"][TOTAL] == "100"
    assert rows["carla"][STATUS] == "ok" and rows["carla"][TOTAL] == "100"  # modules one folder down
    bruno = dict(zip(HEADER, rows["bruno"]))
    assert float(bruno["gradiente-direcao"]) < 10 and bruno["derivadas"] == "10"


@pytest.mark.parametrize("student, snippet", [
    ("dora", "2 entries for one student"),
    ("eva", "zip-slip"), ("fabio", "absolute path"), ("gil", "symbolic link"),
    ("hugo", "zip bomb"), ("iris", "zip"),
])
def test_bad_entries_are_refused_with_a_clear_message(hostile_class, student, snippet):
    rows = {r[0]: dict(zip(HEADER, r)) for r in read_csv(hostile_class["out"] / "gradebook.csv")[1:]}
    assert rows[student]["status"] == "not graded"
    assert snippet in rows[student]["message"]
    assert rows[student]["total"] == ""
    assert not (hostile_class["out"] / "reports" / f"{student}.json").exists()
    feedback = (hostile_class["out"] / "feedback" / f"{student}.md").read_text(encoding="utf-8")
    assert "não foi corrigida" in feedback
    assert snippet in batch.describe(hostile_class["summary"])


def test_entries_without_a_student_are_reported(hostile_class):
    text = batch.describe(hostile_class["summary"])
    assert "notes.txt: skipped: not a submission" in text
    assert "jo\\xe3o: skipped: the name is not valid UTF-8" in text
    html = (hostile_class["out"] / "class_report.html").read_text(encoding="utf-8")
    assert "notes.txt" in html and "not valid UTF-8" in html


def test_a_notebook_entry_is_graded_or_clearly_refused(hostile_class):
    row = {r[0]: dict(zip(HEADER, r)) for r in read_csv(hostile_class["out"] / "gradebook.csv")[1:]}
    nb = row["notebook_only"]
    if nb["status"] == "not graded":  # until the grader reads notebooks
        assert "notebook" in nb["message"]
    else:
        assert nb["total"] != ""


def test_nothing_is_written_outside_the_output_folder(hostile_class):
    for target in hostile_class["escapes"]:
        assert not target.exists()
    after = snapshot(hostile_class["base"])
    out = str(hostile_class["out"])
    assert {p for p in after - hostile_class["before"] if not p.startswith(out)} == set()
    leftovers = [p for p in snapshot(hostile_class["out"]) if ".work" in p or p.endswith(".partial")]
    assert leftovers == []


def test_gradebook_columns_and_order(hostile_class):
    rows = read_csv(hostile_class["out"] / "gradebook.csv")
    assert rows[0] == HEADER
    students = [r[0] for r in rows[1:]]
    assert students == sorted(students)
    assert set(students) == {"ana", "bruno", "carla", "dora", "eva", "fabio", "gil", "hugo", "iris",
                             "lia", "notebook_only"}
    for row in rows[1:]:
        assert len(row) == len(HEADER) and row[HEADER.index("max")] == "100"
        if row[STATUS] == "ok":
            items = [float(x) for x in row[1:1 + len(ITEM_IDS)]]
            assert abs(sum(items) - float(row[HEADER.index("total")])) < 0.02


def test_feedback_and_reports_for_every_graded_student(hostile_class):
    out = hostile_class["out"]
    for student in ("ana", "bruno", "carla"):
        report = json.loads((out / "reports" / f"{student}.json").read_text(encoding="utf-8"))
        assert [i["id"] for i in report["items"]] == ITEM_IDS
        assert report["batch"]["student"] == student and len(report["batch"]["key"]) == 64
        feedback = (out / "feedback" / f"{student}.md").read_text(encoding="utf-8")
        assert feedback.startswith("# Resultado:")
    assert "Entender gradiente como direção" in (out / "feedback" / "bruno.md").read_text(encoding="utf-8")


def test_class_report_is_self_contained(hostile_class):
    html = (hostile_class["out"] / "class_report.html").read_text(encoding="utf-8")
    tags = re.findall(r"<[^>]+>", html)  # real tags only: escaped student text has no '<'
    assert not [t for t in tags if re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", t, re.I)]
    assert all(src.startswith("data:image/png;base64,")
               for t in tags for src in re.findall(r"""src\s*=\s*['"]([^'"]*)""", t))
    # The only script is the page's own table sorter, inline.
    assert re.findall(r"<script[^>]*>", html) == ["<script>"] and "table.sortable" in html.split("<script>")[1]
    assert "<link" not in html and "url(" not in html
    assert "&lt;script&gt;alert(1)" in html  # a student's text is shown, never run
    assert html.count('src="data:image/png;base64,') == 2   # histogram and pass rates
    assert "test_descent_step" in html or "gradient_descent_step" in html  # bruno's failing test
    assert "Problemas" in html and "zip-slip" in html


def test_spreadsheet_formulas_from_students_are_neutralised():
    manifest = load()
    report = {"score": 0, "max_score": 100, "errors": [{"message": "=HYPERLINK(\"http://x\")"}],
              "items": [{"id": i.id, "score": 0} for i in manifest.items]}
    text = gradebook.gradebook_csv([batch.Outcome("=cmd", "=cmd", report=report)], manifest)
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[0] == "'=cmd" and row[MESSAGE].startswith("'=HYPERLINK")


# -- unpacking, unit by unit ----------------------------------------------------------------

@pytest.mark.parametrize("members, kind", [
    ([("../evil.py", b"x")], "slip"),
    ([("a/../../evil.py", b"x")], "slip"),
    ([("/tmp/evil.py", b"x")], "slip"),
    ([("C:\\evil.py", b"x")], "slip"),
    ([symlink_member("value.py", "/etc/passwd")], "special"),
    ([("a.py", b"x"), ("a.py", b"y")], "duplicate"),
])
def test_unsafe_zips_write_nothing(tmp_path, members, kind):
    dest = tmp_path / "dest"
    dest.mkdir()
    archive = tmp_path / "x.zip"
    with pytest.warns(UserWarning) if kind == "duplicate" else contextlib.nullcontext():
        evil_zip(archive, members)
    with pytest.raises(UnpackError) as err:
        safe_extract(archive, dest)
    assert err.value.kind == kind
    if kind != "duplicate":  # refused from the headers, before any byte
        assert list(dest.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dest", "x.zip"]


def test_zip_bomb_refused_from_headers_and_while_extracting(tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as zf:
        for i in range(20):
            zf.writestr(f"f{i}.py", b"x")
    with pytest.raises(UnpackError, match="members"):
        safe_extract(tmp_path / "many.zip", dest, max_members=10)
    with pytest.raises(UnpackError) as err:   # headers say 1000 bytes: the data says otherwise
        safe_extract(lying_zip(tmp_path / "lying.zip", real_size=5 * 1024 * 1024), dest)
    assert err.value.kind in ("bomb", "corrupt")
    written = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    assert written <= 1000


def test_zip_with_utf8_flag_and_invalid_name_is_refused(tmp_path):
    archive = evil_zip(tmp_path / "x.zip", [("derivatives.py", b"x = 1\n")])
    data = bytearray(archive.read_bytes())
    for signature, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.find(signature)
        data[at + flag_at + 1] |= 0x08                         # bit 11: names are UTF-8
        data[at + name_at] = 0xFF                              # ... and this one is not
    archive.write_bytes(bytes(data))
    (tmp_path / "dest").mkdir()
    with pytest.raises(UnpackError) as err:
        safe_extract(archive, tmp_path / "dest")
    assert err.value.kind == "corrupt"


# -- empty folder, reruns, determinism -----------------------------------------------------

def test_empty_folder_completes_with_an_empty_gradebook(tmp_path, capsys):
    (tmp_path / "subs").mkdir()
    code = cli.main(["batch", str(tmp_path / "subs"), "--out", str(tmp_path / "out")])
    assert code == 0
    assert "No submissions found" in capsys.readouterr().out
    assert read_csv(tmp_path / "out" / "gradebook.csv") == [HEADER]
    assert (tmp_path / "out" / "class_report.html").exists()


def test_missing_folder_cannot_run(tmp_path, capsys):
    assert cli.main(["batch", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "not found" in capsys.readouterr().err


def small_class(folder):
    build_submission(folder / "ana")
    mutant(folder / "beto", "central_difference_missing_2")
    mutant(folder / "caio", "mse_sums_instead_of_averaging")
    return folder


def test_same_class_same_gradebook_bytes_and_reruns_grade_only_changes(tmp_path):
    subs = small_class(tmp_path / "subs")
    first = run_batch(subs, tmp_path / "out1")
    second = run_batch(subs, tmp_path / "out2")
    csv1 = (tmp_path / "out1" / "gradebook.csv").read_bytes()
    assert csv1 == (tmp_path / "out2" / "gradebook.csv").read_bytes()
    assert [o.cached for o in first.outcomes + second.outcomes] == [False] * 6

    again = run_batch(subs, tmp_path / "out1")
    assert [o.cached for o in again.outcomes] == [True, True, True]
    assert (tmp_path / "out1" / "gradebook.csv").read_bytes() == csv1

    (subs / "beto" / "derivatives.py").write_text(
        (ROOT / "solutions" / "derivatives.py").read_text(encoding="utf-8"), encoding="utf-8")
    build_submission(subs / "duda")
    stream = io.StringIO()
    changed = run_batch(subs, tmp_path / "out1", stream=stream)
    assert {o.student: o.cached for o in changed.outcomes} == {"ana": True, "beto": False,
                                                              "caio": True, "duda": False}
    assert "2 remaining" not in stream.getvalue() and "1 remaining" in stream.getvalue()
    assert "elapsed" in stream.getvalue()
    rows = {r[0]: r for r in read_csv(tmp_path / "out1" / "gradebook.csv")[1:]}
    assert rows["beto"][HEADER.index("total")] == "100"


def test_a_new_hidden_suite_regrades_everyone(tmp_path, monkeypatch):
    build_submission(tmp_path / "subs" / "ana")
    run_batch(tmp_path / "subs", tmp_path / "out")
    assert [o.cached for o in run_batch(tmp_path / "subs", tmp_path / "out").outcomes] == [True]
    monkeypatch.setattr(batch, "grading_inputs_digest", lambda: "another hidden suite")
    assert [o.cached for o in run_batch(tmp_path / "subs", tmp_path / "out").outcomes] == [False]
    assert [o.cached for o in run_batch(tmp_path / "subs", tmp_path / "out", seed=1).outcomes] == [False]


def test_resume_after_kill(tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    for i in range(6):
        folder = build_submission(subs / f"s{i}")
        with open(folder / "derivatives.py", "a", encoding="utf-8") as f:
            f.write("\nimport time\ntime.sleep(0.5)\n")  # slow enough to be killed mid-class
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "grader", "batch", str(subs), "--out", str(out),
                             "--jobs", "1", "--sandbox", "process", "--allow-weak-sandbox"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    reports = out / "reports"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if reports.is_dir() and len([p for p in reports.iterdir() if p.suffix == ".json"]) >= 2:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "the batch finished before it could be killed"
    assert not (out / "gradebook.csv").exists()  # never a half-written gradebook
    saved = {p.name: p.read_bytes() for p in reports.iterdir() if p.suffix == ".json"}
    assert 2 <= len(saved) < 6
    for data in saved.values():
        json.loads(data)  # every report on disk is whole

    monkeypatch.setenv("GRADER_ALLOW_WEAK_SANDBOX", "1")   # the process sandbox, knowingly (docs/security.md)
    summary = run_batch(subs, out, jobs=2, sandbox="process")
    cached = {o.student for o in summary.outcomes if o.cached}
    assert {f"{s}.json" for s in cached} == set(saved)
    assert len(summary.outcomes) - len(cached) == 6 - len(saved)
    for name, data in saved.items():
        assert (reports / name).read_bytes() == data  # not regraded, not rewritten
    rows = read_csv(out / "gradebook.csv")
    assert [r[0] for r in rows[1:]] == [f"s{i}" for i in range(6)]
    assert all(r[HEADER.index("status")] == "ok" and r[HEADER.index("total")] == "100" for r in rows[1:])
    assert not [p for p in snapshot(out) if p.endswith(".partial") or ".work" in p]


# -- Gradescope -----------------------------------------------------------------------------

# Written from Gradescope's autograder specification (results.json, "Output format").
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
TEXT_FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
GRADESCOPE_SCHEMA = {
    "type": "object",
    "required": ["score", "tests"],
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": TEXT_FORMAT,
        "test_output_format": TEXT_FORMAT,
        "test_name_format": TEXT_FORMAT,
        "visibility": VISIBILITY,
        "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "leaderboard": {"type": "array"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "score", "max_score", "output", "visibility"],
            "additionalProperties": False,
            "properties": {
                "score": {"type": "number"},
                "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]},
                "name": {"type": "string"},
                "name_format": TEXT_FORMAT,
                "number": {"type": "string"},
                "output": {"type": "string"},
                "output_format": TEXT_FORMAT,
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": VISIBILITY,
                "extra_data": {"type": "object"},
            }}},
    },
}


def test_gradescope_results_match_the_documented_format(tmp_path, capsys):
    folder = mutant(tmp_path / "sub", "descent_step_climbs")
    assert cli.main(["grade", str(folder), "--format", "gradescope", "--seed", "7"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, GRADESCOPE_SCHEMA)
    assert [t["name"].rsplit("(", 1)[1].rstrip(")") for t in data["tests"]] == ITEM_IDS
    assert abs(sum(t["score"] for t in data["tests"]) - data["score"]) < 0.02
    failed = [t for t in data["tests"] if t["status"] == "failed"]
    assert [t["name"] for t in failed] == ["Entender gradiente como direção (gradiente-direcao)"]
    assert "gradient_descent_step" in failed[0]["output"] and "falharam" in failed[0]["output"]
    assert all(t["score"] == t["max_score"] for t in data["tests"] if t["status"] == "passed")


def test_gradescope_result_for_a_submission_that_cannot_be_graded(tmp_path, capsys):
    assert cli.main(["grade", str(tmp_path / "missing"), "--format", "gradescope"]) == 2
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, GRADESCOPE_SCHEMA)
    assert data["score"] == 0 and "não pôde ser corrigida" in data["output"]


def test_gradescope_results_of_the_reference_are_full_marks(graded):
    data = results(graded(ROOT / "solutions"))
    jsonschema.validate(data, GRADESCOPE_SCHEMA)
    assert data["score"] == 100 and {t["status"] for t in data["tests"]} == {"passed"}
