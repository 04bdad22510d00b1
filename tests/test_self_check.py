"""The self-check teaches the classic mistakes: `grader check` (the public
suite) fails each mistake the stubs and notebooks warn about, in its own item,
with the hint the hidden suite gives for it (issue 23)."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT, build_submission
from grader.manifest import load
from mutants import MUTANTS

HINTS = load().hints
BY_ID = {m["id"]: m for m in MUTANTS}
# mutant (tests/mutants.py) -> the hint the self-check must give
CLASSIC = {
    "add_assigns_to_self_only": "accumulate",
    "mul_assigns_instead_of_accumulating": "accumulate",
    "tanh_assigns_instead_of_accumulating": "accumulate",
    "exp_assigns_instead_of_accumulating": "accumulate",
    "tanh_forgets_out_grad": "local_derivative",
    "exp_forgets_out_grad": "local_derivative",
    "log_forgets_out_grad": "local_derivative",
    "relu_forgets_out_grad": "local_derivative",
    "sigmoid_forgets_out_grad": "local_derivative",
    "pow_forgets_out_grad": "local_derivative",
    "backward_without_root_gradient": "root_grad",
    "rsub_reversed": None,   # no public test uses 2.5 - a: the hidden suite's forward_value
    "bce_without_clipping": "bce_clip",
    "softmax_without_max_shift": "softmax_shift",
    "cross_entropy_without_log_sum_exp": "log_sum_exp",
    "cross_entropy_sums_instead_of_averaging": "ce_mean",
    "mse_sums_instead_of_averaging": "mse_mean",
    "mse_without_validation": "batch_errors",
    "mse_gradient_missing_2": "mse_gradient",
    "central_difference_missing_2": "central_difference",
    "partial_mutates_callers_list": "partial_fixed",
    "chain_rule_outer_at_x": "chain",
    "descent_step_climbs": "descent_sign",
    "descent_step_mutates_params": "no_mutation",
    "descent_direction_follows_derivative": "direction",
    "choose_loss_accepts_anything": "choose",
    "numeric_gradient_does_not_restore": "restore",
    "numeric_gradient_restores_by_subtracting": "restore",
    "numeric_gradient_central_missing_2": "numeric_central",
    "gradient_check_does_not_zero_grads": "gradient_check",
    "check_passes_not_strict": "strict",
    "check_passes_any_instead_of_all": "strict",
    "loss_goes_up_inverted": "goes_up",
    "loss_goes_up_keeps_stale_grad": "goes_up_stale",
}


def check(folder):
    done = subprocess.run([sys.executable, "-m", "grader", "check", str(folder), "--format", "json", "--seed", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    return json.loads(done.stdout)


@pytest.mark.parametrize("mutant", [m for m, hint in CLASSIC.items() if hint])
def test_self_check_catches_the_classic_mistake_with_its_hint(tmp_path, mutant):
    m = BY_ID[mutant]
    report = check(build_submission(tmp_path / "sub", [(m["file"], m["old"], m["new"])]))
    lost = {i["id"] for i in report["items"] if i["score"] < i["max_score"]}
    assert lost == {m["item"]}, (mutant, lost)
    failing = [t for i in report["items"] for t in i["tests"] if not t["passed"]]
    assert any(t.get("hint") == HINTS[CLASSIC[mutant]] for t in failing), [t["message"] for t in failing]
    assert all(t["kind"] in ("wrong", "raised") for t in failing)


def test_reference_passes_the_self_check(tmp_path):
    report = check(build_submission(tmp_path / "sub"))
    assert report["score"] == report["max_score"] and report["errors"] == []


def test_a_failing_value_test_draws_its_graph_in_the_self_check(tmp_path):
    m = BY_ID["tanh_forgets_out_grad"]
    report = check(build_submission(tmp_path / "sub", [(m["file"], m["old"], m["new"])]))
    (test,) = [t for i in report["items"] for t in i["tests"] if not t["passed"] and t.get("graph")]
    assert [n["label"] for n in test["graph"]["nodes"] if n["wrong"]] == ["a"]


def test_the_notebook_self_check_talks_only_about_its_notebook_and_draws_the_graph(tmp_path, monkeypatch, capsys):
    """The value notebook's last cell, run as the kernel would run it (In holds the executed cells)."""
    import nbformat
    notebook = nbformat.read(ROOT / "exercises" / "notebooks" / "value.ipynb", 4)
    cell = notebook.cells[-1].source
    m = BY_ID["tanh_forgets_out_grad"]
    source = (ROOT / "solutions" / "value.py").read_text(encoding="utf-8").replace(m["old"], m["new"])
    monkeypatch.chdir(tmp_path)   # no other module here: no "não há losses.py" for the value notebook
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    exec(compile(cell, "<autoavaliação>", "exec"), {"In": ["", source], "__name__": "__main__"})
    out = capsys.readouterr().out
    assert "Value e backpropagation:" in out and "Revisar derivadas" not in out
    assert "não há" not in out and "Atenção" not in out and "test_" not in out
    assert HINTS["local_derivative"] in out and "✗ errado" in out
    assert "IPython.core.display.HTML" in out   # the drawn graph (an SVG), displayed


def test_a_notebook_at_full_marks_says_nothing_about_other_files(tmp_path, monkeypatch, capsys):
    import nbformat
    notebook = nbformat.read(ROOT / "exercises" / "notebooks" / "derivatives.ipynb", 4)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    source = (ROOT / "solutions" / "derivatives.py").read_text(encoding="utf-8")
    exec(compile(notebook.cells[-1].source, "<autoavaliação>", "exec"), {"In": ["", source], "__name__": "__main__"})
    out = capsys.readouterr().out
    assert "Revisar derivadas: 10/10" in out and "Entender gradiente como direção: 10/10" in out
    assert "não há" not in out and "Problemas" not in out and "value" not in out


def test_a_failed_install_in_the_setup_cell_says_what_to_do(tmp_path, monkeypatch, capsys):
    import importlib.util

    import nbformat
    from grader.platforms.release import KIT_MARK
    notebook = nbformat.read(ROOT / "exercises" / "notebooks" / "derivatives.ipynb", 4)
    setup = next(c.source for c in notebook.cells if c.cell_type == "code")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "grader" else real(name, *a))
    # What pip says when it cannot reach the index: in English, coloured, and long.
    said = ("\x1b[33mWARNING: Retrying (Retry(total=4)) after connection broken\x1b[0m\n" * 30
            + "\x1b[31mERROR: Could not find a version that satisfies the requirement calculo-dl-grader\x1b[0m\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 1, "", said))
    monkeypatch.chdir(tmp_path)
    exec(compile(setup.replace(KIT_MARK, "git+https://example.invalid/kit"), "<preparação>", "exec"),
         {"__name__": "__main__"})
    out = capsys.readouterr().out
    assert "Não deu para instalar o avaliador. Confira a conexão com a internet e rode esta célula de novo." in out
    assert "\x1b" not in out and "só a autoavaliação no fim fica de fora" in out
    assert "    ERROR: Could not find a version that satisfies the requirement calculo-dl-grader" in out   # whole lines
    assert out.count("WARNING") <= 4
