"""Notebooks both ways: .ipynb submissions grade like .py ones, and the students'
notebooks are generated from the stubs and run cleanly with the reference filled in."""
import ast
import json
import os
import sys
import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import grader.judge.notebooks
from conftest import EXERCISES, ROOT, SOLUTIONS, build_submission, scores

sys.path.insert(0, str(ROOT / "tools"))
import make_notebooks  # noqa: E402  (the authoring tool, outside the package)

from grader.manifest import load
from mutants import MUTANTS

MODULES = list(load().modules)
NOTEBOOKS = EXERCISES / "notebooks"
SEED = 4242


# -- helpers ------------------------------------------------------------------
def py_to_cells(text):
    """A .py file as a student would paste it: one code cell per top-level statement."""
    tree = ast.parse(text)
    lines = text.split("\n")
    starts = [node.lineno - 1 for node in tree.body[1:]]
    cuts = [0] + starts + [len(lines)]
    chunks = ["\n".join(lines[a:b]).strip("\n") for a, b in zip(cuts, cuts[1:])]
    return [new_code_cell(chunk) for chunk in chunks if chunk.strip()]


def noisy(cells, module):
    """What a real notebook brings along: magics, shell lines, plt.show(), saved outputs."""
    first = cells[0]
    first.outputs = [new_output("stream", name="stdout", text="saída antiga\n"),
                     new_output("error", ename="NameError", evalue="x", traceback=["..."])]
    # If these lines were not neutralised, the cell would fail before its first definition.
    for cell in cells:
        if cell.source.startswith(("def ", "class ")):
            cell.source = "display('oi')\nplt.show()\n" + cell.source
            break
    return [new_markdown_cell(f"# {module}"),
            new_code_cell("%matplotlib inline\n!pip install -q micrograd\n%load_ext autoreload")] + cells


def write_notebook(path, cells):
    nbformat.write(new_notebook(cells=cells), path)
    return path


def as_notebooks(folder, out, combined=None):
    """Turn the .py modules of `folder` into per-module notebooks (or one combined notebook) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    every = []
    for module in MODULES:
        cells = noisy(py_to_cells((folder / f"{module}.py").read_text(encoding="utf-8")), module)
        if combined:
            every += cells
        else:
            write_notebook(out / f"{module}.ipynb", cells)
    if combined:
        write_notebook(out / combined, every)
    return out


def outcomes(report):
    return [(i["id"], t["name"], t["passed"]) for i in report["items"] for t in i["tests"]]


def lost(report):
    return {item for item, (score, best) in scores(report).items() if score < best}


def messages(report):
    return " | ".join(e["message"] for e in report["errors"])


def solutions_with(tmp_path, replace):
    """The reference as .py files, with the modules in `replace` given as notebooks {name: cells}."""
    folder = build_submission(tmp_path / "sub")
    for module, cells in replace.items():
        (folder / f"{module}.py").unlink()
        write_notebook(folder / f"{module}.ipynb", cells)
    return folder


def solution_cells(module):
    return py_to_cells((SOLUTIONS / f"{module}.py").read_text(encoding="utf-8"))


# -- the same code scores the same ------------------------------------------------
def test_reference_scores_the_same_as_py_per_module_and_combined(tmp_path, graded):
    py = graded(SOLUTIONS, seed=SEED)
    per_module = graded(as_notebooks(SOLUTIONS, tmp_path / "per"), seed=SEED)
    combined = graded(as_notebooks(SOLUTIONS, tmp_path / "one", combined="meu_trabalho.ipynb"), seed=SEED)
    for report in (py, per_module, combined):
        assert report["errors"] == [], report["errors"]
        assert report["score"] == report["max_score"] == 100
    assert outcomes(per_module) == outcomes(py)
    assert outcomes(combined) == outcomes(py)


# Bugs spread over the items; none depends on the order of a set.
SAMPLE = ["chain_rule_outer_at_x", "tanh_derivative_wrong", "softmax_without_max_shift",
          "choose_loss_swapped", "numeric_gradient_central_missing_2"]


@pytest.mark.parametrize("mutant", [m for m in MUTANTS if m["id"] in SAMPLE], ids=SAMPLE)
def test_buggy_submission_scores_the_same_as_notebooks(tmp_path, graded, mutant):
    folder = build_submission(tmp_path / "py", [(mutant["file"], mutant["old"], mutant["new"])])
    py = graded(folder, seed=SEED)
    per_module = graded(as_notebooks(folder, tmp_path / "per"), seed=SEED)
    combined = graded(as_notebooks(folder, tmp_path / "one", combined="tudo.ipynb"), seed=SEED)
    assert mutant["item"] in lost(py)
    for report in (per_module, combined):
        assert scores(report) == scores(py)
        assert outcomes(report) == outcomes(py)
        assert report["errors"] == []


def test_feedback_names_the_notebook_cell(tmp_path, graded):
    mutant = next(m for m in MUTANTS if m["id"] == "softmax_without_max_shift")
    folder = build_submission(tmp_path / "py", [(mutant["file"], mutant["old"], mutant["new"])])
    report = graded(as_notebooks(folder, tmp_path / "per"), seed=SEED)
    cells = nbformat.read(tmp_path / "per" / "losses.ipynb", 4).cells
    where = next(n for n, c in enumerate(cells, 1) if c.source.startswith("def softmax"))
    failing = [t["message"] for i in report["items"] for t in i["tests"] if not t["passed"]]
    assert any(f"losses.ipynb, célula {where} (a que define softmax), linha" in m for m in failing), failing


def test_mixed_py_and_notebooks(tmp_path, graded):
    folder = solutions_with(tmp_path, {"value": solution_cells("value"),
                                       "gradient_check": solution_cells("gradient_check")})
    report = graded(folder)
    assert report["errors"] == []
    assert report["score"] == 100


def test_py_wins_over_notebook_and_the_report_says_so(tmp_path, graded):
    folder = build_submission(tmp_path / "sub")
    write_notebook(folder / "derivatives.ipynb", py_to_cells((EXERCISES / "derivatives.py").read_text()))
    report = graded(folder)
    assert report["score"] == 100
    assert report["errors"] == [{"module": "derivatives", "message": "derivatives.py e derivatives.ipynb foram "
                                 "entregues; derivatives.py foi avaliado"}]


def test_several_loose_notebooks_are_not_guessed(tmp_path, graded):
    folder = solutions_with(tmp_path, {})
    (folder / "losses.py").unlink()
    write_notebook(folder / "rascunho.ipynb", solution_cells("losses"))
    write_notebook(folder / "outro.ipynb", solution_cells("losses"))
    report = graded(folder)
    assert lost(report) == {"mse", "cross-entropy", "quando-usar-loss"}
    assert "mais de um notebook" in messages(report) and "rascunho.ipynb" in messages(report)


def test_one_loose_notebook_fills_only_the_missing_modules(tmp_path, graded):
    folder = solutions_with(tmp_path, {})
    for module in ("losses", "gradient_check"):
        (folder / f"{module}.py").unlink()
    write_notebook(folder / "Untitled.ipynb", solution_cells("losses") + solution_cells("gradient_check"))
    report = graded(folder)
    assert report["errors"] == []
    assert report["score"] == 100


@pytest.mark.parametrize("where", ["Cópia de {m}.ipynb", "{m} (1).ipynb", "Copy of {m}.ipynb", "{m}-2.ipynb",
                                   "notebooks/{m}.ipynb", "notebooks/Cópia de {m} (2).ipynb"])
def test_notebooks_under_the_names_students_give_them_are_graded_with_a_note(tmp_path, graded, where):
    folder = solutions_with(tmp_path, {})
    for module in ("value", "losses"):
        (folder / f"{module}.py").unlink()
        path = folder / where.format(m=module)
        path.parent.mkdir(exist_ok=True)
        write_notebook(path, solution_cells(module))
    report = graded(folder)
    assert report["score"] == 100, report["errors"]
    said = messages(report)
    for module in ("value", "losses"):
        assert f"{module}.ipynb não foi entregue com esse nome; “{where.format(m=module)}” foi avaliado" in said


def test_a_submission_with_none_of_the_modules_says_what_it_holds(tmp_path, graded):
    folder = tmp_path / "entrega"
    (folder / "trabalho").mkdir(parents=True)   # two folders: neither is taken for the submission itself
    (folder / "rascunho").mkdir()
    (folder / "leia-me.txt").write_text("oi")
    report = graded(folder)
    assert report["score"] == 0
    assert "na entrega; ela tem: “leia-me.txt”, “rascunho/”, “trabalho/”" in messages(report)


# -- cells that fail ---------------------------------------------------------------
def test_syntax_error_in_a_cell_loses_only_that_cell(tmp_path, graded):
    cells = solution_cells("losses")
    where = next(n for n, c in enumerate(cells, 1) if c.source.startswith("def choose_loss"))
    cells[where - 1].source = cells[where - 1].source.replace("def choose_loss(task):", "def choose_loss(task)")
    report = graded(solutions_with(tmp_path, {"losses": cells}))
    assert lost(report) == {"quando-usar-loss"}
    item = next(i for i in report["items"] if i["id"] == "quando-usar-loss")
    assert any(t["passed"] for t in item["tests"])  # sigmoid_output_gradients still graded
    label = f'losses.ipynb, célula {where} (a que começa com "def choose_loss(task)"): erro de sintaxe'
    assert any(label in e["message"] and e["module"] == "losses"
               for e in report["errors"]), report["errors"]


def test_cell_that_raises_at_import_is_reported_and_the_rest_graded(tmp_path, graded):
    cells = solution_cells("derivatives")
    where = next(n for n, c in enumerate(cells, 1) if c.source.startswith("def chain_rule"))
    cells[where - 1].source = "raise RuntimeError('ops')\n" + cells[where - 1].source
    report = graded(solutions_with(tmp_path, {"derivatives": cells}))
    assert lost(report) == {"derivadas"}
    said = messages(report)
    assert f"derivatives.ipynb, célula {where} (a que define chain_rule): levantou RuntimeError" in said
    assert "o Python diz: «ops»" in said


def test_cell_that_hangs_at_import_is_interrupted(tmp_path, graded):
    cells = solution_cells("derivatives")
    cells.insert(1, new_code_cell("while True:\n    pass"))
    started = time.monotonic()
    report = graded(solutions_with(tmp_path, {"derivatives": cells}))
    assert time.monotonic() - started < 30
    assert report["score"] == 100
    assert 'derivatives.ipynb, célula 2 (a que começa com "while True:"): passou de' in messages(report)


def test_cells_marked_not_graded_are_skipped(tmp_path, graded):
    cells = solution_cells("derivatives") + [new_code_cell("# não avaliada: experimento\nraise SystemExit(1)")]
    report = graded(solutions_with(tmp_path, {"derivatives": cells}))
    assert report["errors"] == [] and report["score"] == 100


# -- bad notebooks ----------------------------------------------------------------
def bad_derivatives(tmp_path, graded, content):
    folder = build_submission(tmp_path / "sub")
    (folder / "derivatives.py").unlink()
    target = folder / "derivatives.ipynb"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(json.dumps(content), encoding="utf-8")
    return graded(folder)


@pytest.mark.parametrize("content, expected", [
    (b'{"cells": [', "não é um notebook válido"),
    (b"\xff\xfe\x00garbage", "não é um notebook válido"),
    ({"nbformat": 99, "cells": []}, "versão de notebook desconhecida"),
    ([1, 2, 3], "não tem o formato de um notebook"),
    ({"nbformat": 2, "metadata": {}}, "formato de notebook antigo (nbformat 2)"),
    ({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
      "cells": [{"cell_type": "markdown", "metadata": {}, "source": "só texto"}]},
     "não tem nenhuma célula de código"),
], ids=["broken_json", "not_utf8", "unknown_version", "not_an_object", "old_and_broken", "no_code_cells"])
def test_unusable_notebook_costs_only_its_module(tmp_path, graded, content, expected):
    report = bad_derivatives(tmp_path, graded, content)
    assert lost(report) == {"derivadas", "gradiente-direcao"}
    assert any(e["module"] == "derivatives" and e["message"].startswith("derivatives.ipynb foi ignorado: ")
               and expected in e["message"] for e in report["errors"]), report["errors"]


def test_old_nbformat_3_is_converted(tmp_path, graded):
    cells = [{"cell_type": "code", "input": c.source, "language": "python", "outputs": [], "metadata": {},
              "collapsed": False} for c in solution_cells("derivatives")]
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "derivadas"},
          "worksheets": [{"cells": [{"cell_type": "markdown", "source": "# antigo", "metadata": {}}] + cells,
                          "metadata": {}}]}
    report = bad_derivatives(tmp_path, graded, v3)
    assert report["errors"] == [] and report["score"] == 100


def test_huge_saved_outputs_are_dropped_and_graded(tmp_path, graded):
    cells = solution_cells("derivatives")
    picture = "A" * (150 * 1024 * 1024)  # 150 MB of "image" in a saved output
    cells[0].outputs = [new_output("display_data", data={"image/png": picture})]
    folder = solutions_with(tmp_path, {"derivatives": cells})
    del picture, cells
    assert (folder / "derivatives.ipynb").stat().st_size > 150 * 1024 * 1024
    report = graded(folder)
    assert report["errors"] == [] and report["score"] == 100


def test_notebook_over_the_size_cap_is_refused_clearly(tmp_path, graded, monkeypatch):
    monkeypatch.setattr(grader.judge.notebooks, "MAX_NOTEBOOK", 1024 * 1024)
    folder = solutions_with(tmp_path, {"derivatives": solution_cells("derivatives")})
    with open(folder / "derivatives.ipynb", "ab") as f:
        f.truncate(3 * 1024 * 1024)
    report = graded(folder)
    assert lost(report) == {"derivadas", "gradiente-direcao"}
    assert "Limpe as saídas" in messages(report)


def test_symlinked_notebook_is_refused(tmp_path, graded):
    folder = build_submission(tmp_path / "sub")
    (folder / "value.py").unlink()
    real = write_notebook(tmp_path / "elsewhere.ipynb", solution_cells("value"))
    (folder / "value.ipynb").symlink_to(real)
    report = graded(folder)
    assert "value-backprop" in lost(report)
    assert "value.ipynb foi ignorado: é um link simbólico" in messages(report)


def test_clean_cell_neutralises_notebook_only_syntax():
    clean = grader.judge.notebooks.clean_cell
    assert clean("%matplotlib inline\n!pip install x\nfiles = !ls\nx = 5 % 3") == "pass\npass\npass\nx = 5 % 3"
    assert clean("if True:\n    %time f()\n    y = 1") == "if True:\n    pass\n    y = 1"
    assert clean("from IPython.display import display\ndisplay(\n    1)\nplt.show()  # mostra") == "pass\npass\n\npass"
    assert clean("plt.plot(x); plt.show()") == "plt.plot(x); plt.show()"  # shares a line: left alone
    assert clean("%%time\ndef f():\n    return 1") == "\ndef f():\n    return 1"
    assert clean("%%bash\nls") is None
    assert clean("# Não avaliada\nraise SystemExit") is None
    assert clean("s = '''\n%d linhas\n'''") == "s = '''\n%d linhas\n'''"  # valid Python is never touched
    assert clean("   \n") is None


# -- the students' notebooks ------------------------------------------------------
def test_generated_notebooks_are_up_to_date(tmp_path):
    assert make_notebooks.main(["--out", str(tmp_path)]) == 0
    for module in MODULES:
        fresh = nbformat.read(tmp_path / f"{module}.ipynb", 4)
        shipped = nbformat.read(NOTEBOOKS / f"{module}.ipynb", 4)
        assert [(c.cell_type, c.source) for c in shipped.cells] == [(c.cell_type, c.source) for c in fresh.cells], \
            f"{module}.ipynb is stale: run python tools/make_notebooks.py"


@pytest.mark.parametrize("module", MODULES)
def test_generated_notebook_validates_and_teaches(module):
    notebook = nbformat.read(NOTEBOOKS / f"{module}.ipynb", 4)
    nbformat.validate(notebook)
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert grader.judge.notebooks.SKIP_MARK.match(code[0]) and "autoavaliação" in code[-1]
    stubs = [c for c in code if "raise NotImplementedError" in c and not grader.judge.notebooks.SKIP_MARK.match(c)]
    assert stubs and all(c.count('"""') == 0 for c in stubs if c.startswith("def "))  # docstrings are markdown


def fill_with_solutions(notebook, module):
    """Replace each stub code cell by the reference's source; add the reference's helpers."""
    text = (SOLUTIONS / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    defined = {n.name: ast.get_source_segment(text, n) for n in tree.body
               if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    used, first_stub = set(), None
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or grader.judge.notebooks.SKIP_MARK.match(cell.source):
            continue
        names = [n.name for n in ast.parse(cell.source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        if len(names) == 1 and names[0] in defined:
            cell.source = defined[names[0]]
            used.add(names[0])
            first_stub = number if first_stub is None else first_stub
    helpers = [ast.get_source_segment(text, n) for n in tree.body
               if isinstance(n, (ast.Import, ast.ImportFrom)) or getattr(n, "name", None) in set(defined) - used]
    notebook.cells.insert(first_stub, new_code_cell("\n\n\n".join(helpers)))
    return notebook


def execute_in_order(folder, monkeypatch, prepare=lambda notebook, module: notebook):
    """Run the four notebooks in one folder, as a student would; return {module: (notebook, stream text)}."""
    from nbconvert.preprocessors import ExecutePreprocessor
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    folder.mkdir()
    ran = {}
    for module in MODULES:  # in order: the value notebook saves value.py for the ones after it
        notebook = prepare(nbformat.read(NOTEBOOKS / f"{module}.ipynb", 4), module)
        executor = ExecutePreprocessor(timeout=300, kernel_name="python3")
        executor.preprocess(notebook, {"metadata": {"path": str(folder)}})
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"], module
        ran[module] = notebook, "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    return ran


def test_generated_notebooks_run_end_to_end_with_the_reference(tmp_path, monkeypatch, graded):
    started = time.monotonic()
    ran = execute_in_order(tmp_path / "work", monkeypatch, fill_with_solutions)
    assert time.monotonic() - started < 60
    submitted = tmp_path / "submitted"
    submitted.mkdir()
    for module, (notebook, text) in ran.items():
        for item in load().items:  # the self-check ran and saw full marks
            if item.id in make_notebooks.MODULE_ITEMS[module]:
                assert f"{item.title}: {item.weight:g}/{item.weight:g}" in text, text
        # Plots and the experiment ran through, not into their "not yet" messages.
        assert "não rodou" not in text and "não saiu" not in text and "Implemente" not in text, text
        nbformat.write(notebook, submitted / f"{module}.ipynb")
    assert (tmp_path / "work" / "value.py").exists() and (tmp_path / "work" / "mlp.py").exists()
    # The executed notebooks, outputs and all, are a full-marks submission.
    report = graded(submitted)
    assert report["errors"] == [] and report["score"] == 100


def test_generated_notebooks_run_cleanly_as_handed_out(tmp_path, monkeypatch):
    started = time.monotonic()
    ran = execute_in_order(tmp_path / "work", monkeypatch)
    assert time.monotonic() - started < 60
    text = "".join(text for _, text in ran.values())
    for hint in ("Implemente numeric_derivative acima", "Implemente gradient_descent",
                 "Implemente sigmoid_output_gradients acima", "Ainda falta implementar"):
        assert hint in text
    assert "Revisar derivadas: 0/10" in text  # the self-check ran on the stubs


@pytest.mark.parametrize("module", MODULES)
def test_each_notebook_alone_in_an_empty_folder_runs_without_an_error_cell(tmp_path, monkeypatch, module):
    # As a student opens it in Colab: no value.py, no mlp.py, no other notebook.
    from nbconvert.preprocessors import ExecutePreprocessor
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    notebook = nbformat.read(NOTEBOOKS / f"{module}.ipynb", 4)
    executor = ExecutePreprocessor(timeout=300, kernel_name="python3")
    executor.preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == [], [(e.ename, e.evalue) for e in errors]


def test_in_colab_value_py_reaches_the_other_notebooks_through_the_drive(tmp_path, monkeypatch):
    # Each Colab notebook runs on its own machine: the value notebook saves
    # value.py to the student's Drive, and losses and gradient_check, each
    # alone in an empty folder, find it there. google.colab is faked: its
    # drive "mounts" a folder of this test.
    from nbconvert.preprocessors import ExecutePreprocessor
    fake = tmp_path / "fake" / "google" / "colab"
    fake.mkdir(parents=True)
    (fake.parent / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "drive.py").write_text("def mount(path, **kwargs):\n    pass\n")
    (fake / "files.py").write_text("def download(path):\n    pass\n")
    drive = tmp_path / "drive"
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), str(fake.parent.parent),
                                                      os.environ.get("PYTHONPATH", "")]))
    said = {}
    for module in ("value", "losses", "gradient_check"):
        notebook = fill_with_solutions(nbformat.read(NOTEBOOKS / f"{module}.ipynb", 4), module)
        for cell in notebook.cells:
            cell.source = cell.source.replace(make_notebooks.DRIVE_FOLDER, str(drive / "MyDrive" / "calculo-dl"))
        machine = tmp_path / module
        machine.mkdir()
        executor = ExecutePreprocessor(timeout=300, kernel_name="python3")
        executor.preprocess(notebook, {"metadata": {"path": str(machine)}})
        said[module] = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert (drive / "MyDrive" / "calculo-dl" / "value.py").is_file()
    assert "salvo também no seu Google Drive" in said["value"]
    for module in ("losses", "gradient_check"):
        assert "value.py copiado do seu Google Drive" in said[module]
        for item in load().items:
            if item.id in make_notebooks.MODULE_ITEMS[module]:
                assert f"{item.title}: {item.weight:g}/{item.weight:g}" in said[module], said[module]


def test_notebook_with_too_much_code_is_refused_before_any_parsing(tmp_path, graded):
    # 4.5 MB of code in 500 cells: refused from its size alone, before the judge
    # parses or compiles a cell (that work grows with the code).
    cells = [new_code_cell(f"x{i} = [{', '.join(str(j) for j in range(1500))}]") for i in range(500)]
    folder = solutions_with(tmp_path, {"derivatives": cells})
    started = time.monotonic()
    report = graded(folder)
    assert time.monotonic() - started < 5
    assert lost(report) == {"derivadas", "gradiente-direcao"}
    assert "passa de 2048 KiB" in messages(report)
