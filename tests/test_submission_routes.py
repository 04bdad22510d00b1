"""A submission is what the student meant: the student README's browser route, run as
a student would (a release's template, filled notebooks uploaded beside the stubs)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import build_submission
from grader.manifest import load
from grader.platforms.release import build_release
from test_notebooks import fill_with_solutions

MODULES = list(load().modules)
# What a browser download of a Colab notebook is called, module by module, then uploaded at the top.
UPLOADED_AS = {"derivatives": "derivatives.ipynb", "value": "Cópia de value.ipynb",
               "losses": "losses (1).ipynb", "gradient_check": "Copy of gradient_check-2.ipynb"}


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    build_release(out / "out")
    return out / "out"


def student_repository(release, tmp_path):
    """The student's repository as GitHub Classroom creates it from the template."""
    return Path(shutil.copytree(release / "student", tmp_path / "repo"))


def filled(release, module):
    """The release's notebook for `module`, filled in with the reference, as Colab saves it."""
    notebook = nbformat.read(release / "student" / "notebooks" / f"{module}.ipynb", 4)
    return fill_with_solutions(notebook, module)


def upload(repo, release, names):
    for module, name in names.items():
        nbformat.write(filled(release, module), repo / name)


def said(report):
    return {e["module"]: e["message"] for e in report["errors"]}


def test_filled_notebooks_uploaded_beside_the_stubs_score_full_marks(release, tmp_path, graded):
    repo = student_repository(release, tmp_path)
    upload(repo, release, UPLOADED_AS)
    report = graded(repo)
    assert report["score"] == 100, report["errors"]
    messages = said(report)
    assert messages["derivatives"] == ("derivatives.py ainda é o modelo entregue sem alterações; "
                                       "foi avaliado derivatives.ipynb")
    assert messages["value"] == "value.py ainda é o modelo entregue sem alterações; foi avaliado “Cópia de value.ipynb”"
    assert messages["losses"].endswith("foi avaliado “losses (1).ipynb”")
    assert messages["gradient_check"].endswith("foi avaliado “Copy of gradient_check-2.ipynb”")


def test_stubs_with_windows_line_ends_are_still_the_stubs(release, tmp_path, graded):
    repo = student_repository(release, tmp_path)
    for module in MODULES:   # a checkout with core.autocrlf, or an editor that saved it again
        path = repo / f"{module}.py"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"  \r\n"))
    upload(repo, release, UPLOADED_AS)
    report = graded(repo)
    assert report["score"] == 100, report["errors"]


def test_colab_save_to_github_overwrites_the_notebooks_folder(release, tmp_path, graded):
    # Colab's "Salvar uma cópia no GitHub" writes notebooks/x.ipynb in place.
    repo = student_repository(release, tmp_path)
    upload(repo, release, {m: f"notebooks/{m}.ipynb" for m in MODULES})
    report = graded(repo)
    assert report["score"] == 100, report["errors"]
    assert said(report)["value"].endswith("foi avaliado “notebooks/value.ipynb”")


def test_an_untouched_notebook_does_not_hide_the_filled_copy(release, tmp_path, graded):
    repo = student_repository(release, tmp_path)
    for module in MODULES:   # the template's notebook dragged along with the filled one
        shutil.copyfile(repo / "notebooks" / f"{module}.ipynb", repo / f"{module}.ipynb")
    upload(repo, release, {m: f"Cópia de {m}.ipynb" for m in MODULES})
    report = graded(repo)
    assert report["score"] == 100, report["errors"]


def test_one_combined_notebook_beside_the_stubs(release, tmp_path, graded):
    repo = student_repository(release, tmp_path)
    combined = filled(release, MODULES[0])
    for module in MODULES[1:]:
        combined.cells += filled(release, module).cells
    nbformat.write(combined, repo / "Entrega final.ipynb")
    report = graded(repo)
    assert report["score"] == 100, report["errors"]
    assert said(report)["losses"] == ("losses.py ainda é o modelo entregue sem alterações; foi avaliado o notebook "
                                      "“Entrega final.ipynb”")


def test_an_edited_py_still_wins_over_its_notebook(release, tmp_path, graded):
    repo = student_repository(release, tmp_path)
    build_submission(repo, files=["value.py"])   # the student's own value.py: the reference
    upload(repo, release, {"value": "Cópia de value.ipynb"})
    report = graded(repo)
    assert next(i for i in report["items"] if i["id"] == "value-backprop")["score"] == 20
    assert said(report)["value"] == "value.py e “Cópia de value.ipynb” foram entregues; value.py foi avaliado"


def test_a_stub_left_alone_scores_zero_and_says_why(release, tmp_path, graded):
    repo = student_repository(release, tmp_path)
    upload(repo, release, {m: UPLOADED_AS[m] for m in MODULES if m != "losses"})
    report = graded(repo)
    assert {i["id"] for i in report["items"] if i["score"] < i["max_score"]} == {"mse", "cross-entropy",
                                                                                 "quando-usar-loss"}
    assert said(report)["losses"].startswith("losses.py ainda é o modelo entregue sem alterações (nenhuma função "
                                             "foi implementada), e a entrega não tem um notebook losses.ipynb "
                                             "preenchido: as funções de losses valem 0")


def test_the_student_kit_sees_the_stubs_too(release, tmp_path):
    # `grader check` / `grader ci` in the student's repository run the vendored kit.
    repo = student_repository(release, tmp_path)
    upload(repo, release, UPLOADED_AS)
    env = {**os.environ, "PYTHONPATH": str(release / "student" / "kit")}
    result = subprocess.run([sys.executable, "-m", "grader", "check", str(repo), "--format", "json"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert '"score": 100' in result.stdout and "ainda é o modelo entregue" in result.stdout



def test_edited_modules_beside_the_untouched_notebooks_folder_say_nothing(release, tmp_path, graded):
    repo = student_repository(release, tmp_path)
    build_submission(repo)   # every .py filled in; notebooks/ as the template has it
    report = graded(repo)
    assert report["score"] == 100 and report["errors"] == []
