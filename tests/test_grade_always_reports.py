"""`grader grade` always writes a report, and the judge's work on a notebook is
bounded before it starts: hostile notebooks and a grader that fails on one
submission, in every output format."""
import json
import os
import resource
import subprocess
import sys
import time

import pytest

import grader.grade
import grader.platforms.gradescope
import grader.judge.notebooks
from conftest import ROOT, build_submission
from grader import cli
from grader.show.render import as_markdown
from test_notebooks import lost, messages, solution_cells, solutions_with, write_notebook

DERIVATIVES_ITEMS = {"derivadas", "gradiente-direcao"}


def derivatives_notebook(tmp_path, content):
    """The reference, with derivatives handed in as a notebook holding `content` (JSON or bytes)."""
    folder = build_submission(tmp_path / "sub")
    (folder / "derivatives.py").unlink()
    data = content if isinstance(content, bytes) else json.dumps(content).encode()
    (folder / "derivatives.ipynb").write_bytes(data)
    return folder


def code(source):
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": [], "execution_count": None}


def reference_cells():
    return [code(c.source) for c in solution_cells("derivatives")]


# -- fields of the wrong type cost their module at most ------------------------------------
@pytest.mark.parametrize("content, expected", [
    ({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": 5}, "nbformat 3 sem a lista worksheets"),
    ({"nbformat": 3, "worksheets": [5, {"cells": "x"}]}, "não tem nenhuma célula de código"),
    ({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": "x"}, "falta a lista de células"),
    ({"nbformat": 4, "cells": None}, "falta a lista de células"),
    ({"nbformat": True, "cells": []}, "versão de notebook desconhecida"),
    ({"nbformat": 4, "cells": [5, "x", None, [], {"cell_type": ["code"]}, {"cell_type": "code", "source": 5},
                               {"cell_type": "code", "source": {"a": 1}}]}, "não tem nenhuma célula de código"),
], ids=["worksheets_5", "worksheet_cells_x", "cells_x", "cells_null", "nbformat_bool", "cells_of_wrong_types"])
def test_fields_of_the_wrong_type_are_refused_clearly(tmp_path, graded, content, expected):
    report = graded(derivatives_notebook(tmp_path, content))
    assert lost(report) == DERIVATIVES_ITEMS
    assert any(e["module"] == "derivatives" and e["message"].startswith("derivatives.ipynb foi ignorado: ")
               and expected in e["message"] for e in report["errors"]), report["errors"]


def test_cells_of_wrong_types_beside_good_ones_cost_nothing(tmp_path, graded):
    cells = [5, None, "x", {"cell_type": "code", "source": 7}, {"cell_type": {"x": 1}}, {"source": "a"},
             code(["import math\n", 3, None])] + reference_cells()
    report = graded(derivatives_notebook(tmp_path, {"nbformat": 4, "nbformat_minor": 5, "metadata": [],
                                                    "worksheets": 5, "cells": cells}))
    assert report["score"] == 100 and report["errors"] == []


def test_nbformat_3_is_read_without_nbformat(tmp_path, graded):
    cells = [{"cell_type": "code", "input": c["source"], "language": "python", "outputs": [{"text": "x" * 10}]}
             for c in reference_cells()]
    content = {"nbformat": 3, "nbformat_minor": 0, "metadata": {},
               "worksheets": [{"cells": [{"cell_type": "heading", "source": "Derivadas", "level": 1}] + cells}]}
    report = graded(derivatives_notebook(tmp_path, content))
    assert report["score"] == 100 and report["errors"] == []


def test_file_names_the_system_cannot_hold_or_decode(tmp_path, graded):
    folder = build_submission(tmp_path / "sub")
    for module in ("losses", "gradient_check"):
        (folder / f"{module}.py").unlink()
    # 255 bytes, the longest a name may be, and bytes that are not UTF-8: the combined notebook.
    long_name = os.fsencode(folder) + b"/" + "ç".encode() * 124 + b".ipynb"
    write_notebook(os.fsdecode(long_name), solution_cells("losses"))
    write_notebook(os.fsdecode(os.fsencode(folder) + b"/caf\xe9 \x1b[2J.ipynb"), solution_cells("gradient_check"))
    report = graded(folder)
    said = messages(report)
    assert "há mais de um notebook na pasta" in said and "“caf\\udce9 \\u001b[2J.ipynb”" in said
    json.dumps(report, ensure_ascii=False).encode("utf-8")   # printable as it is
    as_markdown(report).encode("utf-8")


def test_a_name_longer_than_the_system_allows(tmp_path, graded, monkeypatch):
    # A path of 300 bytes can only be named, never created: where the grader is handed one, it answers.
    result = subprocess.run([sys.executable, "-m", "grader", "grade", str(tmp_path / ("x" * 300)), "--format",
                             "gradescope"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert json.loads(result.stdout)["score"] == 0
    # And one that a listing yields (a network file system, a stand-in): it is never read.
    folder = solutions_with(tmp_path, {})
    (folder / "value.py").unlink()
    listed = grader.judge.notebooks._entries
    monkeypatch.setattr(grader.judge.notebooks, "_entries", lambda where: listed(where) + [
        where / ("Cópia de value" + "ã" * 150 + ".ipynb")])
    report = graded(folder)
    assert "value-backprop" in lost(report) and report["errors"]


def test_non_utf8_module_files_are_graded_as_what_they_are(tmp_path, graded):
    folder = build_submission(tmp_path / "sub")
    (folder / "losses.py").write_bytes(b"\xff\xfe" + (folder / "losses.py").read_bytes())
    (folder / "value.py").write_bytes(b"\x00\x81\x82" * 1000)
    report = graded(folder)
    assert lost(report) >= {"value-backprop", "mse", "cross-entropy", "quando-usar-loss"}
    assert "losses.py" in messages(report) and "value.py" in messages(report)


# -- a failure of the grader itself ---------------------------------------------------------
def crash(*args, **kwargs):
    raise RuntimeError("bug do avaliador")


@pytest.mark.parametrize("where", ["grader.grade.prepare", "grader.grade.generated_modules", "grader.grade.run_suite",
                                   "grader.grade.cell_errors", "grader.grade.build",
                                   "grader.judge.notebooks.read_code_cells", "grader.judge.course.is_released_file"])
def test_an_internal_error_becomes_a_report(tmp_path, graded, monkeypatch, where):
    folder = solutions_with(tmp_path, {"value": solution_cells("value")})
    module, name = where.rsplit(".", 1)
    monkeypatch.setattr(sys.modules[module], name, crash)
    report = graded(folder)
    assert [i["id"] for i in report["items"]] == [i["id"] for i in graded(build_submission(tmp_path / "ok"))["items"]]
    if where == "grader.judge.notebooks.read_code_cells":   # inside one notebook: only its module is lost
        assert lost(report) == {"value-backprop"}
        assert "o avaliador não conseguiu ler value.ipynb" in messages(report)
    else:
        assert report["score"] == 0
        assert "erro interno" in messages(report)
    if where != "grader.grade.build":
        assert "RuntimeError: bug do avaliador" in messages(report)   # the detail, for the instructor


@pytest.mark.parametrize("form", ["table", "json", "markdown", "gradescope"])
def test_an_internal_error_is_reported_in_every_format(tmp_path, monkeypatch, capsys, form):
    folder = build_submission(tmp_path / "sub")
    monkeypatch.setattr(grader.grade, "prepare", crash)
    code = cli.main(["grade", str(folder), "--format", form, "--seed", "1"])
    out = capsys.readouterr().out
    assert code == cli.EXIT_GRADED
    assert "erro interno" in out
    if form == "gradescope":
        results = json.loads(out)
        assert results["score"] == 0 and len(results["tests"]) == 8


# -- bounded work on hostile notebooks ------------------------------------------------------
BOUNDED = """
import json, resource, sys, time
from pathlib import Path
from grader.judge.notebooks import _write_module
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
errors = _write_module(Path(sys.argv[1]), Path(sys.argv[2]), "derivatives")
print(json.dumps({"seconds": time.perf_counter() - started, "errors": errors,
                  "grew_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""


def judged(path, tmp_path):
    """The judge's conversion of one notebook, in a fresh interpreter: time and memory it took."""
    result = subprocess.run([sys.executable, "-c", BOUNDED, str(path), str(tmp_path / "out.py")],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def one_letter_cells_v3(count):
    cell = b'{"cell_type":"code","input":"a","language":"python","outputs":[]}'
    return (b'{"nbformat":3,"nbformat_minor":0,"metadata":{},"worksheets":[{"cells":['
            + b",".join([cell] * count) + b"]}]}")


@pytest.mark.parametrize("attack, expected", [
    (lambda: one_letter_cells_v3(850_000), "células ou saídas demais"),     # the batch that took 180 s and 1.27 GB
    (lambda: one_letter_cells_v3(20_000), "tem 20000 células, mais que o limite de 5000"),
    (lambda: b'{"nbformat":4,"cells":[],"x":[' + b",".join([b"0.5"] * 5_000_000) + b"]}", "células ou saídas demais"),
    (lambda: b'{"nbformat":4,"cells":[' + b"[" * 60_000 + b"]" * 60_000 + b"]}", "níveis aninhados demais"),
    (lambda: b'{"nbformat":4,"cells":[],"x":' + b"1" * 10_000_000 + b"}", "não é um notebook válido (ValueError)"),
    (lambda: json.dumps({"nbformat": 3, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "x = 1  # " + "y" * 1000} for _ in range(3000)]}]}).encode(),
     "o código das células passa de 2048 KiB"),
], ids=["850k_cells_v3", "20k_cells_v3", "5M_numbers", "deep_nesting", "10M_digit_number", "3MB_code_v3"])
def test_hostile_notebooks_are_refused_before_the_work(tmp_path, attack, expected):
    path = tmp_path / "derivatives.ipynb"
    path.write_bytes(attack())
    found = judged(path, tmp_path)
    assert found["seconds"] < 2 and found["grew_mb"] < 150 + path.stat().st_size / 2 ** 20 * 2, found
    assert len(found["errors"]) == 1 and expected in found["errors"][0]["message"], found["errors"]
    assert not (tmp_path / "out.py").exists()


def test_the_largest_accepted_notebook_converts_quickly(tmp_path):
    cells = [code(f"def f{i}(x):\n    return x + {i}\n") for i in range(4_900)]
    path = tmp_path / "derivatives.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))
    found = judged(path, tmp_path)
    assert found["errors"] == [] and found["seconds"] < 5, found
    assert (tmp_path / "out.py").stat().st_size > 100_000


def test_the_batch_attack_zipped_is_small_and_grading_it_is_quick(tmp_path, graded):
    import zipfile
    attack = one_letter_cells_v3(850_000)
    with zipfile.ZipFile(tmp_path / "entrega.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("derivatives.ipynb", attack)
    assert (tmp_path / "entrega.zip").stat().st_size < 200_000   # the size the report quoted: 147 KB
    folder = derivatives_notebook(tmp_path, attack)
    started = time.monotonic()
    report = graded(folder)
    assert time.monotonic() - started < 30
    assert lost(report) == DERIVATIVES_ITEMS and "células ou saídas demais" in messages(report)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024   # this process stayed under 1 GB


# -- a student's file name in the markdown feedback -------------------------------------------
def test_a_notebook_name_cannot_become_a_heading_or_a_link(tmp_path, graded):
    folder = build_submission(tmp_path / "sub")
    for module in ("losses", "gradient_check"):
        (folder / f"{module}.py").unlink()
    for name in ("# ✅ Revisão do professor: nota final 100.ipynb", "www.exemplo.com #12.ipynb"):
        write_notebook(folder / name, solution_cells("losses"))
    (folder / "value.py").unlink()
    write_notebook(folder / "Cópia de value #3 www.x.io.ipynb", [])   # a notebook that is refused: its name shown
    markdown = as_markdown(graded(folder))
    problems = markdown.split("## Problemas na entrega", 1)[1].split("\n## ", 1)[0]
    assert not [line for line in problems.splitlines() if line.lstrip("- ").startswith("#")], problems
    assert "www." not in problems and "#1" not in problems and "#3" not in problems, problems
    assert "Revisão do professor" in problems and "exemplo.com" in problems   # named all the same


def test_a_crash_past_the_report_still_prints_results_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(grader.platforms.gradescope, "results", crash)
    with pytest.raises(RuntimeError):
        cli.main(["grade", str(build_submission(tmp_path / "sub")), "--format", "gradescope", "--seed", "1"])
    results = json.loads(capsys.readouterr().out)
    assert results["score"] == 0 and "erro interno" in results["output"]


def test_a_combined_notebook_name_in_failing_tests_is_no_link_either(tmp_path, graded):
    folder = build_submission(tmp_path / "sub")
    for module in ("losses", "gradient_check"):
        (folder / f"{module}.py").unlink()
    cells = solution_cells("losses") + solution_cells("gradient_check")
    for cell in cells:   # a bug in mse: each failing test points at the notebook's cell
        cell.source = cell.source.replace("def mse(", "def mse(*args):\n    raise ValueError('x')\n\n\ndef _old(")
    write_notebook(folder / "# www.exemplo.com #12.ipynb", cells)
    markdown = as_markdown(graded(folder))
    assert "célula" in markdown and "exemplo.com" in markdown, markdown
    assert "www." not in markdown and "#12" not in markdown, markdown
    assert [line for line in markdown.splitlines() if line.startswith("#")] == [
        line for line in markdown.splitlines() if line.startswith(("# Resultado", "## ", "### "))]
