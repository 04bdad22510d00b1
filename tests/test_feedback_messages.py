"""What a student reads: each kind of failure gets its own explanation, a hint
only where the evidence fits it, no English from Python without Portuguese
around it, and the points each cause really cost (issue 23)."""
import json
import re
import shutil

import pytest

from conftest import EXERCISES, build_submission
from grader.show.feedback import as_markdown, as_text
from grader.grade import grade
from grader.manifest import SUITES, load
from grader.testing import Mismatch, close_all, raises, signed

HINTS = load().hints
MODULES = load().modules
# Python's words that must never reach a student bare.
ENGLISH = re.compile(r"cannot import name|has no attribute|Traceback|halted; None in sys.modules|/tmp/|grader-")


def failing(report, item=None):
    return [t for i in report["items"] if item in (None, i["id"]) for t in i["tests"] if not t["passed"]]


def every_text(report):
    """Everything a student reads of a report (not the submission's path the instructor gave)."""
    shown = [t["message"] for t in failing(report)] + [e["message"] for e in report["errors"]]
    return json.dumps(shown, ensure_ascii=False) + as_markdown(report) + as_text(report)


@pytest.fixture(scope="module")
def graded_as(tmp_path_factory):
    cache = {}

    def run(name, replacements=(), drop=(), stubs=False, suite="hidden"):
        if (name, suite) not in cache:
            folder = tmp_path_factory.mktemp(name) / "sub"
            if stubs:
                folder.mkdir()
                for module in MODULES:
                    shutil.copyfile(EXERCISES / f"{module}.py", folder / f"{module}.py")
            else:
                build_submission(folder, replacements)
            for module in drop:
                (folder / f"{module}.py").unlink()
            cache[(name, suite)] = grade(folder, seed=7, suite=suite)
        return cache[(name, suite)]
    return run


def test_untouched_stubs_get_a_short_feedback_without_hints(graded_as):
    report = graded_as("stubs", stubs=True)
    assert report["score"] == 0
    assert {t["kind"] for t in failing(report)} == {"stub"}
    assert not any("Dica" in t["message"] for t in failing(report))
    markdown = as_markdown(report)
    assert len(markdown.splitlines()) <= 8, markdown
    assert "NotImplementedError do stub" in markdown and "custou 100 pontos" in markdown
    assert "numeric\\_derivative" in markdown and "Dica" not in markdown
    assert len(as_text(report).splitlines()) <= 14   # the score of each item, the note, the stubs


def test_empty_hand_in_is_a_few_lines_naming_each_missing_file(tmp_path):
    (tmp_path / "sub").mkdir()
    report = grade(tmp_path / "sub", seed=1)
    assert {t["kind"] for t in failing(report)} == {"missing"}
    markdown = as_markdown(report)
    assert len(markdown.splitlines()) <= 16, markdown
    for module in MODULES:
        assert plain_name(module) + ".py (ou" in markdown
    assert "Dica" not in markdown and not ENGLISH.search(every_text(report))


def plain_name(module):
    return module.replace("_", "\\_")


def test_missing_file_costs_its_items_and_says_how_much(graded_as):
    report = graded_as("no-value", drop=["value"])
    lost = [t for t in failing(report)]
    assert lost and {t["kind"] for t in lost} == {"missing"} and {t["module"] for t in lost} == {"value"}
    assert not any("Dica" in t["message"] for t in lost)
    markdown = as_markdown(report)
    assert "value.py (ou value.ipynb) não foi entregue" in markdown and "custou 20 pontos" in markdown
    assert "O que corrigir" in markdown and markdown.count("não foi entregue") == 1


def test_self_check_without_value_blames_the_missing_file_not_mlp(graded_as):
    report = graded_as("no-value", drop=["value"], suite="public")
    for test in failing(report):
        assert test["kind"] == "missing" and "mlp.py" not in test["message"], test
    markdown = as_markdown(report)
    lost = 100 - report["score"]
    assert f"custou {lost:g} pontos" in markdown
    assert not ENGLISH.search(every_text(report))


def test_syntax_error_is_one_line_with_file_line_and_points(graded_as):
    report = graded_as("syntax", [("value.py", "    def __add__(self, other):", "    def __add__(self, other)")])
    assert {t["kind"] for t in failing(report)} == {"import"}
    markdown = as_markdown(report)
    fixes = markdown.split("## O que corrigir")[1]
    assert fixes.count("\n- ") == 1, fixes
    line = next(x for x in fixes.splitlines() if x.startswith("- "))
    assert "value.py não pôde ser importado: erro de sintaxe em value.py, linha" in line
    assert "custou 20 pontos" in line and "Dica" not in markdown


def test_undefined_function_is_named_in_portuguese(graded_as):
    report = graded_as("renamed", [("derivatives.py", "def numeric_derivative(", "def numeric_derivativ(")])
    tests = failing(report)
    assert tests and all(t["kind"] == "undefined" and t["function"] == "numeric_derivative" for t in tests)
    assert not ENGLISH.search(every_text(report))
    markdown = as_markdown(report)
    assert "numeric\\_derivative não está definida em derivatives.py" in markdown
    assert "Dica" not in markdown


@pytest.mark.parametrize("name, replacements, item, hint, unwanted", [
    ("root-not-seeded", [("value.py", "        self.grad = 1.0\n        for v in reversed(topo):\n",
                          "        for v in reversed(topo):\n")], "value-backprop", "root_grad", "local_derivative"),
    ("rsub-reversed", [("value.py", "        return other + (-self)\n", "        return self + (-other)\n")],
     "value-backprop", "forward_value", "local_derivative"),
    ("no-restore", [("gradient_check.py", "    finally:\n        param.data = original\n\n\ndef gradient_check",
                     "    finally:\n        pass\n\n\ndef gradient_check")],
     "gradient-check", "restore", "numeric_central"),
    ("goes-up-inverted", [("gradient_check.py", "    analytic_up = param.grad > 0\n",
                           "    analytic_up = param.grad < 0\n")], "gradient-check", "goes_up", "goes_up_stale"),
    ("goes-up-stale", [("gradient_check.py", "    param.grad = 0.0\n    loss = compute_loss()\n",
                        "    loss = compute_loss()\n")], "gradient-check", "goes_up_stale", None),
])
def test_hint_follows_the_evidence(graded_as, name, replacements, item, hint, unwanted):
    report = graded_as(name, replacements)
    tests = failing(report, item)
    assert tests and all(t["kind"] == "wrong" for t in tests)
    hints = {t.get("hint") for t in tests}
    assert HINTS[hint] in hints, hints
    if unwanted:
        assert HINTS[unwanted] not in hints
    if hint == "goes_up":
        assert not any("valor velho" in t["message"] for t in tests)


def test_a_failing_value_test_carries_its_graph_with_the_wrong_grad_marked(graded_as):
    report = graded_as("tanh-no-out-grad", [("value.py", "(1 - t ** 2) * out.grad", "(1 - t ** 2)")])
    (test,) = failing(report)
    graph = test["graph"]
    wrong = [n for n in graph["nodes"] if n["wrong"]]
    assert [n["label"] for n in wrong] == ["a"] and graph["nodes"][0]["label"] == "out"
    assert "✗ errado" in as_markdown(report) and "```text" in as_markdown(report)
    assert "✗ errado" in as_text(report)


def test_a_raised_exception_is_explained_in_portuguese_with_its_hint(graded_as):
    report = graded_as("bce-no-clip", [("losses.py", "            p = min(max(p, eps), 1 - eps)\n", "")])
    raised = [t for t in failing(report, "cross-entropy") if t["kind"] == "raised"]
    assert raised, failing(report, "cross-entropy")
    message = raised[0]["message"]
    assert "levantou ValueError (log ou raiz de um número fora do domínio" in message
    assert "o Python diz: «math domain error»" in message and HINTS["bce_clip"] in message


def test_messages_read_as_portuguese():
    with pytest.raises(Mismatch) as caught:
        raises(None, "ValueError", "mse([], [])")
    assert str(caught.value) == "mse([], []): deveria levantar ValueError, mas não levantou nenhuma exceção."
    with pytest.raises(Mismatch) as caught:
        raises("NotImplementedError", "ValueError", "mse([], [])", "batch_errors")
    assert caught.value.kind == "stub" and "Dica" not in str(caught.value)
    with pytest.raises(Mismatch) as caught:
        close_all([6.0, 1.0], [6.0, 2.0], "[b.data, a.grad] para b = a + a")
    assert str(caught.value).startswith("a.grad para b = a + a: esperava 2.0, veio 1.0")
    assert f"(w{signed(2.73)})" == "(w + 2.73)" and f"(w{signed(-2.73)})" == "(w - 2.73)"
    for folder in ("hidden", "public"):
        for path in (SUITES / folder).glob("*.py"):
            assert "prediç" not in path.read_text(encoding="utf-8"), path


def test_a_notebook_cell_starting_with_a_magic_is_cited_as_written(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    folder = build_submission(tmp_path / "sub")
    (folder / "losses.py").unlink()
    source = (EXERCISES.parent / "solutions" / "losses.py").read_text(encoding="utf-8")
    cells = [new_code_cell(source), new_code_cell("%time x = 1\nmse(\n")]
    nbformat.write(new_notebook(cells=cells), folder / "losses.ipynb")
    report = grade(folder, seed=1)
    messages = " ".join(e["message"] for e in report["errors"])
    assert 'a que começa com "%time x = 1"' in messages and '"pass"' not in messages


def test_the_text_format_from_the_command_line():
    import subprocess
    import sys
    from conftest import ROOT
    done = subprocess.run([sys.executable, "-m", "grader", "grade", "exercises", "--format", "text", "--seed", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.stdout.startswith("Resultado: 0 / 100\n") and "Revisar derivadas: 0/10" in done.stdout
    assert "\\_" not in done.stdout and "#" not in done.stdout and "test_" not in done.stdout
