"""LMS downloads in, grades back into the LMS, and a batch no student can break.

Each download is built in the naming its LMS documents or writes in its own
source (grader/classroom/lms_moodle.py, grader/classroom/lms_canvas.py say where), and the files
written back are read the way that LMS's importer reads them.
"""
import csv
import io
import zipfile

import pytest

from conftest import ROOT, build_submission
from grader import cli
from grader.classroom import batch, gradebook, intake, lms_moodle
from grader.manifest import load
from grader.classroom.safe_text import FORMULA_STARTS, cell, inert, visible
from grader.judge.unpack import MAX_TOTAL, UnpackError

MODULES = ("derivatives.py", "value.py", "losses.py", "gradient_check.py")
SOLUTION = {name: (ROOT / "solutions" / name).read_bytes() for name in MODULES}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def run(subs, out, **kwargs):
    kwargs.setdefault("jobs", 2)
    kwargs.setdefault("stream", io.StringIO())
    return batch.run(subs, out, **kwargs)


# -- Moodle: folders per student and plugin, as download_submissions writes them ----------------

def moodle(name, number, plugin="file", trailing="_"):
    return f"{name}_{number}_assignsubmission_{plugin}{trailing}"


FORMULA_NAME = '=HYPERLINK("x.example?q="&A1,"nota")'   # clean_filename keeps these


@pytest.fixture(scope="module")
def moodle_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("moodle")
    members = {}
    for module, data in SOLUTION.items():   # 101: files, and the online text Moodle adds beside them
        members[f"{moodle('Ana Souza', 101)}/{module}"] = data
    members[f"{moodle('Ana Souza', 101, 'onlinetext')}/onlinetext.html"] = b"<p>segue a entrega</p>"
    members[f"{moodle('Bruno Lima', 102)}/entrega.zip"] = zipped(   # 102: the student's own zip
        {f"minha-entrega/{m}": d for m, d in SOLUTION.items()})
    members[f"{moodle('Carla Dias', 103)}/relatorio.pdf"] = b"%PDF-1.4 nada para corrigir"   # 103: PDF only
    for module, data in SOLUTION.items():   # 104: a full name that is a spreadsheet formula (Moodle 4.1+ folders)
        members[f"{moodle(FORMULA_NAME, 104, trailing='')}/{module}"] = data
    members[f"{moodle('Eva Rocha', 105, 'onlinetext')}/onlinetext.html"] = b""   # 105: online text only
    for module, data in SOLUTION.items():   # 107 twice, the second with Arabic-Indic digits and another name
        members[f"{moodle('Gil Neto', 107)}/{module}"] = data
        members[f"{moodle('Outro Nome', '١٠٧')}/{module}"] = data
    download = base / "CALC-Lista 3-4242.zip"
    download.write_bytes(zipped(members))
    out = base / "out"
    stream = io.StringIO()
    summary = run(download, out, ids="moodle", stream=stream)
    rows = {r["student"]: r for r in read_csv(out / "gradebook.csv")}
    return {"out": out, "summary": summary, "rows": rows, "text": batch.describe(summary) + stream.getvalue()}


def test_moodle_every_student_of_the_download_has_a_row(moodle_class):
    assert sorted(moodle_class["rows"]) == ["101", "102", "103", "104", "105", "107"]


def test_moodle_plugin_folders_of_one_student_are_one_student(moodle_class):
    row = moodle_class["rows"]["101"]
    assert row["status"] == "ok" and row["total"] == "100"
    assert "already stands" not in moodle_class["text"]


def test_moodle_a_zip_the_student_uploaded_is_unpacked(moodle_class):
    row = moodle_class["rows"]["102"]
    assert row["status"] == "ok" and row["total"] == "100"


@pytest.mark.parametrize("student, found", [("103", "relatorio.pdf"), ("105", "onlinetext.html")])
def test_moodle_nothing_gradable_is_not_graded_with_empty_cells(moodle_class, student, found):
    row = moodle_class["rows"][student]
    assert row["status"] == "not graded" and "nothing to grade" in row["message"] and found in row["message"]
    assert row["total"] == "" and all(row[item.id] == "" for item in load().items)
    feedback = (moodle_class["out"] / "feedback" / f"{student}.md").read_text(encoding="utf-8")
    assert "nenhum arquivo .py ou .ipynb" in feedback and found in feedback


def test_moodle_one_id_under_two_names_is_refused_with_why(moodle_class):
    row = moodle_class["rows"]["107"]
    assert row["status"] == "not graded" and "two names for one id" in row["message"]
    assert row["total"] == ""


def test_moodle_worksheet_is_what_the_offline_importer_reads(moodle_class):
    out = moodle_class["out"]
    text = (out / lms_moodle.WORKSHEET).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    # The columns gradingtable.php writes, in its order; the importer looks these three up by name.
    assert header == ["Identifier", "Full name", "Status", "Grade", "Maximum grade", "Grade can be changed",
                      "Last modified (submission)", "Last modified (grade)"]
    grades = {r[0]: r[header.index("Grade")] for r in rows[1:]}
    assert grades == {"Participant 101": "100", "Participant 102": "100", "Participant 103": "",
                      "Participant 104": "100", "Participant 105": "", "Participant 107": ""}
    names = {r[0]: r[1] for r in rows[1:]}
    assert names["Participant 101"] == "Ana Souza"
    assert names["Participant 104"].startswith("'=")      # a formula name stays text
    assert all(r[header.index("Last modified (grade)")] for r in rows[1:])


def participant_of(path, parts_needed=4):
    """assignfeedback_file_zip_importer::is_valid_filename_for_import, in Python
    (Moodle 4.1 and later need 4 parts, earlier versions 5)."""
    for part in path.split("/"):
        info = part.split("_", 4)
        if len(info) >= parts_needed and info[1].isdigit():
            return int(info[1]), (info[2], info[3])
    return None, None


def test_moodle_feedback_zip_is_matched_to_each_participant(moodle_class):
    with zipfile.ZipFile(moodle_class["out"] / lms_moodle.FEEDBACK_ZIP) as zf:
        names = zf.namelist()
        matched = {participant_of(n)[0]: n for n in names}
        assert sorted(matched) == [101, 102, 103, 104, 105, 107]
        assert {participant_of(n, parts_needed=5)[0] for n in names} == set(matched)   # before 4.1 too
        assert {participant_of(n)[1] for n in names} == {("assignfeedback", "file")}
        assert zf.read(matched[101]).decode("utf-8").startswith("# Resultado:")
        assert "não foi corrigida" in zf.read(matched[103]).decode("utf-8")


def test_moodle_ids_csv_holds_names_as_text(moodle_class):
    rows = {r["student"]: r for r in read_csv(moodle_class["out"] / "ids.csv")}
    assert rows["104"]["name"].startswith("'=HYPERLINK")
    assert rows["107"]["refused"].startswith("two names")


def test_nothing_of_the_download_stays_in_out(moodle_class):
    out = moodle_class["out"]
    assert not (out / ".intake").exists() and not (out / ".work").exists()


def test_moodle_flat_layout_is_grouped_per_student(tmp_path):
    download = tmp_path / "flat"
    download.mkdir()
    for module, data in SOLUTION.items():
        (download / f"Ana Souza_101_assignsubmission_file_{module}").write_bytes(data)
        (download / f"Bruno Lima_102_assignsubmission_file_{module}").write_bytes(data)
    (download / "Bruno Lima_102_assignsubmission_onlinetext_onlinetext.html").write_text("<p>oi</p>")
    staged = intake.collect(download, tmp_path / "out", "moodle")
    assert staged.problems == [] and staged.refused == {}
    for student in ("101", "102"):
        intake.extract(download, staged.files[student], tmp_path / student)
        assert sorted(p.name for p in (tmp_path / student).iterdir()) == sorted(MODULES)
    assert staged.left_out == {"102": ["onlinetext.html"]}


# -- Canvas: one file per submitted file ----------------------------------------------------------

@pytest.fixture(scope="module")
def canvas_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("canvas")
    download = base / "submissions"
    download.mkdir()
    for module, data in SOLUTION.items():
        (download / f"souzaana_201_9001_{module}").write_bytes(data)
    (download / "limabruno_late_202_9002_entrega-1.zip").write_bytes(zipped(SOLUTION))
    (download / "diascarla_203_9003_relatorio.pdf").write_bytes(b"%PDF-1.4")
    (download / "evil_204_9004_.").write_bytes(b"x = 1\n")     # once crashed the whole run
    (download / "evil_204_9005_..").write_bytes(b"x = 1\n")
    out = base / "out"
    summary = run(download, out, ids="canvas", view=batch.View(assignment="Lista 3 (4567)"))
    rows = {r["student"]: r for r in read_csv(out / "gradebook.csv")}
    return {"out": out, "summary": summary, "rows": rows}


def test_canvas_files_and_zip_entries_are_graded(canvas_class):
    rows = canvas_class["rows"]
    assert sorted(rows) == ["201", "202", "203", "204"]
    assert rows["201"]["total"] == "100" and rows["202"]["total"] == "100"
    assert rows["203"]["status"] == "not graded" and "relatorio.pdf" in rows["203"]["message"]


def test_canvas_entries_named_dot_or_dotdot_cost_only_their_student(canvas_class):
    row = canvas_class["rows"]["204"]
    assert row["status"] == "not graded" and row["total"] == ""
    text = batch.describe(canvas_class["summary"])
    assert "evil_204_9004_.: skipped: the file name '.' cannot be used" in text
    assert "evil_204_9005_..: skipped: the file name '..' cannot be used" in text


def test_canvas_import_csv_matches_students_by_canvas_id(canvas_class):
    rows = list(csv.reader(io.StringIO((canvas_class["out"] / "canvas_gradebook_import.csv")
                                       .read_text(encoding="utf-8"))))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lista 3 (4567)"]
    assert [(r[1], r[5]) for r in rows[1:]] == [("201", "100"), ("202", "100")]   # not graded: left as Canvas has it
    assert rows[1][0] == "souzaana"


def test_hand_named_entries_keep_only_todays_csv(tmp_path):
    build_submission(tmp_path / "subs" / "ana")
    run(tmp_path / "subs", tmp_path / "out")
    assert not list(tmp_path.glob("out/moodle_*")) and not list(tmp_path.glob("out/canvas_*"))


# -- bad instructor input says what to do ---------------------------------------------------------

def test_a_class_zip_without_ids_is_explained(tmp_path, capsys):
    download = tmp_path / "turma.zip"
    download.write_bytes(zipped({f"{moodle('Ana', 101)}/{m}": d for m, d in SOLUTION.items()}))
    assert cli.main(["batch", str(download), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "not found" not in err and "Moodle download: add --ids moodle" in err
    other = tmp_path / "pastas.zip"
    other.write_bytes(zipped({"ana/derivatives.py": b"x = 1\n"}))
    assert cli.main(["batch", str(other), "--out", str(tmp_path / "out")]) == 2
    assert "--ids moodle|canvas|REGEX" in capsys.readouterr().err


@pytest.mark.parametrize("ids, says", [("blackboard", "not one of moodle, canvas"), ("(", "not one of moodle")])
def test_an_unknown_ids_mode_lists_the_modes(tmp_path, capsys, ids, says):
    (tmp_path / "subs").mkdir()
    assert cli.main(["batch", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--ids", ids]) == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# -- one student cannot break the run ---------------------------------------------------------

def test_an_unexpected_exception_costs_only_that_student(tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    for student in ("ana", "beto", "caio", "duda"):
        build_submission(subs / student)
    real_grade, real_digest, real_save = batch.grade, batch.entry_digest, batch._save

    def grade(source, **kwargs):   # in the worker: forked after the patch
        if "beto" in source:
            raise MemoryError("injected")
        return real_grade(source, **kwargs)

    def entry_digest(entry):
        if entry.student == "caio":
            raise PermissionError("injected")
        return real_digest(entry)

    def save(out, outcome, key, submissions):
        if outcome.student == "duda":
            raise OSError(28, "No space left on device (injected)")
        return real_save(out, outcome, key, submissions)

    monkeypatch.setattr(batch, "grade", grade)
    monkeypatch.setattr(batch, "entry_digest", entry_digest)
    monkeypatch.setattr(batch, "_save", save)
    summary = run(subs, tmp_path / "out")
    rows = {r["student"]: r for r in read_csv(tmp_path / "out" / "gradebook.csv")}
    assert rows["ana"]["total"] == "100"
    for student in ("beto", "caio", "duda"):
        assert rows[student]["status"] == "not graded" and "internal error" in rows[student]["message"], student
        assert not (tmp_path / "out" / "reports" / f"{student}.json").exists()   # graded again next run
    assert "injected" in batch.describe(summary)


REAL_GRADE_ENTRY = batch.grade_entry


def unpicklable_for_beto(entry, *args):
    """grade_entry whose answer for beto cannot be sent back from the worker
    (module level: the pool sends the function by name)."""
    outcome = REAL_GRADE_ENTRY(entry, *args)
    if entry.student == "beto":
        outcome.report["unpicklable"] = lambda: None
    return outcome


def test_an_answer_that_cannot_come_back_from_the_worker_costs_only_that_student(tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    for student in ("ana", "beto"):
        build_submission(subs / student)
    monkeypatch.setattr(batch, "grade_entry", unpicklable_for_beto)
    run(subs, tmp_path / "out")
    rows = {r["student"]: r for r in read_csv(tmp_path / "out" / "gradebook.csv")}
    assert rows["ana"]["total"] == "100"
    assert rows["beto"]["status"] == "not graded" and "internal error while grading" in rows["beto"]["message"]


def test_an_unexpected_exception_while_reading_names_costs_only_that_name(tmp_path, monkeypatch):
    download = tmp_path / "download"
    download.mkdir()
    for module, data in SOLUTION.items():
        (download / f"souzaana_201_9001_{module}").write_bytes(data)
        (download / f"limabruno_202_9002_{module}").write_bytes(data)
    real = intake._target

    def target(member, *args):
        if "_202_" in member.parts[0]:
            raise RuntimeError("injected")
        return real(member, *args)

    monkeypatch.setattr(intake, "_target", target)
    staged = intake.collect(download, tmp_path / "out", "canvas")
    assert [f.relative for f in staged.files["201"]] == sorted(MODULES)
    assert ("limabruno_202_9002_losses.py", "skipped: internal error (RuntimeError: injected)") in staged.problems


# -- the staging is bounded -----------------------------------------------------------------------

def bomb_download(path, bombs=2, size=MAX_TOTAL + 1):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for module, data in SOLUTION.items():
            zf.writestr(f"{moodle('Ana', 101)}/{module}", data)
        for number in range(bombs):   # each expands past one student's cap, from ~50 KB
            zf.writestr(f"{moodle('Bomba', 900 + number)}/losses.py", b"#" * size)
            zf.writestr(f"{moodle('Bomba', 900 + number)}/video.mp4", b"\0" * size)   # never staged
    return path


def tree_bytes(folder):
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_a_bomb_in_a_class_zip_refuses_that_student_before_writing(tmp_path):
    download = bomb_download(tmp_path / "turma.zip")
    assert download.stat().st_size < 1024 * 1024
    staged = intake.collect(download, tmp_path / "out", "moodle")
    assert sorted(staged.refused) == ["900", "901"] and "zip bomb" in staged.refused["900"].problem
    assert sorted(staged.files) == ["101"]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ids.csv"]   # names and sizes only: nothing unpacked


def test_a_class_download_is_never_unpacked_whole(tmp_path):
    # Nothing of the download is written but the student being graded, in .work, removed after.
    download = bomb_download(tmp_path / "turma.zip", bombs=2, size=9 * 1024 * 1024)
    summary = run(download, tmp_path / "out", ids="moodle")
    rows = {o.student: o for o in summary.outcomes}
    assert rows["101"].report["score"] == 100 and len(rows) == 3
    out = tmp_path / "out"
    assert tree_bytes(out) < 1024 * 1024   # an oversize module's code is not kept in code/ either
    assert not (out / ".work").exists() and not (out / ".intake").exists()


def test_a_member_whose_header_lies_refuses_its_student_only(tmp_path):
    download = tmp_path / "turma.zip"
    with zipfile.ZipFile(download, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{moodle('Bomba', 900)}/losses.py", b"#" * (5 * 1024 * 1024))
        for module, data in SOLUTION.items():
            zf.writestr(f"{moodle('Ana', 101)}/{module}", data)
    data = bytearray(download.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):   # the first member claims 1000 bytes
        at = data.find(signature)
        data[at + offset:at + offset + 4] = (1000).to_bytes(4, "little")
    download.write_bytes(bytes(data))
    staged = intake.collect(download, tmp_path / "out", "moodle")
    with pytest.raises(UnpackError) as err:
        intake.extract(download, staged.files["900"], tmp_path / "bomba")
    assert err.value.kind in ("bomb", "corrupt") and tree_bytes(tmp_path / "bomba") <= 1000
    intake.extract(download, staged.files["101"], tmp_path / "ana")
    assert sorted(p.name for p in (tmp_path / "ana").iterdir()) == sorted(MODULES)


# -- names from students reach no terminal and no spreadsheet raw ------------------------------------

@pytest.mark.parametrize("value", ["=cmd", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1", "\u00a0=1",
                                   "\u00a0 \u2007+1", "  @x"])
def test_formula_guard(value):
    assert inert(value).startswith("'")
    shown = cell(value)   # a tab or CR is first shown as its escape: text either way
    assert shown.startswith("'") or not shown.lstrip().startswith(FORMULA_STARTS)


def test_escape_codes_and_direction_marks_are_shown_escaped(tmp_path):
    assert visible("ana\x1b[2J\u202egnp.exe") == "ana\\x1b[2J\\u202egnp.exe"
    subs = tmp_path / "subs"
    build_submission(subs / "ana")
    build_submission(subs / "bia\x1b]0;pwned\x07")
    build_submission(subs / "caio\u202etxt.py")
    stream = io.StringIO()
    summary = run(subs, tmp_path / "out", stream=stream)
    text = batch.describe(summary) + stream.getvalue()
    assert "\x1b" not in text.replace("\r\x1b[K", "") and "\u202e" not in text and "\x07" not in text
    assert "\\x1b]0;pwned" in text and "\\u202e" in text
    csv_text = (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
    assert "\x1b" not in csv_text and "\u202e" not in csv_text


def test_gradebook_ids_with_leading_spaces_before_a_formula_are_inert():
    manifest = load()
    report = {"score": 0, "max_score": 100, "errors": [], "items": [{"id": i.id, "score": 0} for i in manifest.items]}
    for student in (" =cmd", "\u00a0=cmd", "\u00a0@cmd"):
        text = gradebook.gradebook_csv([batch.Outcome(student, student, report=report)], manifest)
        assert list(csv.reader(io.StringIO(text)))[1][0].startswith("'")


# -- one student, one id ------------------------------------------------------------------------------

@pytest.mark.parametrize("names", [("1006", "١٠٠٦"), ("1006", "１００６"), ("Ana", "ana"),
                                   ("jo\u00e3o", "joa\u0303o")])
def test_ids_that_differ_only_in_form_are_one_student(tmp_path, names):
    subs = tmp_path / "subs"
    for name in names:
        build_submission(subs / name)
    entries, duplicated, problems = batch.discover(subs, tmp_path / "out")
    assert entries == [] and len(duplicated) == 1
    assert "2 entries for one student" in duplicated[0].problem and "differ only" in duplicated[0].problem


def test_an_id_in_other_digits_alone_becomes_the_ascii_id(tmp_path):
    build_submission(tmp_path / "subs" / "١٠٠٦")
    (entry,), _, _ = batch.discover(tmp_path / "subs", tmp_path / "out")
    assert entry.student == "1006"


def test_moodle_folders_with_other_digits_are_the_same_participant(tmp_path):
    download = tmp_path / "download"
    for number in ("101", "١٠١"):
        folder = download / moodle("Ana Souza", number)
        folder.mkdir(parents=True)
        (folder / "derivatives.py").write_bytes(SOLUTION["derivatives.py"])
    staged = intake.collect(download, tmp_path / "out", "moodle")
    assert list(staged.refused) == ["101"] and "are both derivatives.py" in staged.refused["101"].problem
    assert staged.files == {}


def test_lms_ids_that_differ_only_in_case_are_refused_not_split(tmp_path):
    download = tmp_path / "download"
    download.mkdir()
    for user in ("Ana.Souza", "ana.souza"):
        (download / f"{user}-derivatives.py").write_bytes(SOLUTION["derivatives.py"])
    staged = intake.collect(download, tmp_path / "out", r"(?P<student>[^-]+)-(?P<file>.+)")
    assert sorted(staged.refused) == ["Ana.Souza", "ana.souza"] and staged.files == {}
    assert "differ only in case" in staged.refused["ana.souza"].problem


def test_the_canvas_assignment_column_comes_from_the_command_line(tmp_path, capsys):
    download = tmp_path / "submissions.zip"
    download.write_bytes(zipped({f"souzaana_201_9001_{m}": d for m, d in SOLUTION.items()}))
    out = tmp_path / "out"
    assert cli.main(["batch", str(download), "--out", str(out), "--ids", "canvas", "--jobs", "1",
                     "--assignment", "Lista 3 (4567)"]) == 0
    rows = list(csv.reader(io.StringIO((out / "canvas_gradebook_import.csv").read_text(encoding="utf-8"))))
    assert rows == [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lista 3 (4567)"],
                    ["souzaana", "201", "", "", "", "100"]]


def test_a_tampered_class_zip_is_refused_whole_and_links_in_a_folder_are_skipped(tmp_path):
    download = tmp_path / "turma.zip"
    download.write_bytes(zipped({f"{moodle('Ana', 101)}/losses.py": b"x = 1\n", "../fora.py": b"x = 1\n"}))
    with pytest.raises(intake.IntakeError, match="zip-slip"):
        intake.collect(download, tmp_path / "out", "moodle")
    assert not (tmp_path / "fora.py").exists()
    folder = tmp_path / "download" / moodle("Ana", 101)
    folder.mkdir(parents=True)
    (folder / "losses.py").symlink_to("/etc/passwd")
    staged = intake.collect(tmp_path / "download", tmp_path / "out", "moodle")
    assert staged.files["101"] == () and "not a regular file" in dict(staged.problems)[moodle("Ana", 101)]
