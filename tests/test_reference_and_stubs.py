"""The reference scores full marks, the stubs score zero, the report follows SPEC."""
import json
import subprocess
import sys

import pytest

from conftest import EXERCISES, ITEM_IDS, MODULE_FILES, ROOT, SOLUTIONS, scores
from grader.manifest import load

MODULES = list(load().modules)
SPEC_TITLES = {
    "derivadas": "Revisar derivadas", "gradiente-direcao": "Entender gradiente como direção",
    "value-backprop": "Value e backpropagation", "mse": "Implementar MSE",
    "cross-entropy": "Implementar Cross-Entropy", "loss-mlp": "Calcular loss do MLP",
    "quando-usar-loss": "Entender quando usar cada loss", "gradient-check": "Gradient check (entregável)",
}


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reference_scores_full_marks(graded, seed):
    report = graded(SOLUTIONS, seed=seed)
    assert report["errors"] == []
    failing = [(i["id"], t["name"], t["message"]) for i in report["items"] for t in i["tests"] if not t["passed"]]
    assert failing == []
    assert report["score"] == report["max_score"] == 100


def test_cli_json_matches_spec():
    result = run_cli("grade", "solutions", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["schema_version"] == 1
    assert report["submission"] == "solutions"
    assert [i["id"] for i in report["items"]] == list(SPEC_TITLES)
    assert {i["id"]: i["title"] for i in report["items"]} == SPEC_TITLES
    assert report["score"] == report["max_score"] == sum(i["max_score"] for i in report["items"])
    assert report["errors"] == []
    for item in report["items"]:
        assert item["tests"], item["id"]
        for test in item["tests"]:
            assert set(test) >= {"name", "passed", "message"}
    assert isinstance(report["seed"], int)


def test_stubs_score_zero_everywhere():
    result = run_cli("grade", "exercises", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [i["id"] for i in report["items"]] == ITEM_IDS
    assert all(i["score"] == 0 for i in report["items"])
    assert report["score"] == 0
    messages = [t["message"] for i in report["items"] for t in i["tests"]]
    assert any("NotImplementedError" in m for m in messages)
    # The stubs beside their notebooks as handed out (exercises/notebooks/): the stubs are graded, and said so.
    said = {e["module"]: e["message"] for e in report["errors"]}
    for module in MODULES:
        assert said[module].startswith(f"{module}.py ainda é o modelo entregue sem alterações (nenhuma função "
                                       "foi implementada)"), said


def test_manifest_items_follow_spec_order():
    assert [i.id for i in load().items] == list(SPEC_TITLES)


def test_missing_path_is_an_error_exit():
    result = run_cli("grade", "does/not/exist")
    assert result.returncode == 2
    assert "não foi encontrada" in result.stderr


def test_fail_under_and_markdown():
    result = run_cli("grade", "exercises", "--fail-under", "50", "--format", "markdown")
    assert result.returncode == 1
    assert result.stdout.startswith("# Resultado: 0 / 100")
    assert "## O que corrigir" in result.stdout


def test_table_shows_every_item():
    result = run_cli("grade", "solutions")
    assert result.returncode == 0
    for title in SPEC_TITLES.values():
        assert title in result.stdout
    assert "100/100" in result.stdout


def test_same_seed_same_report(graded):
    first, second = graded(SOLUTIONS, seed=7), graded(SOLUTIONS, seed=7)
    assert scores(first) == scores(second)


def test_kit_mlp_copies_are_identical():
    kit = (ROOT / "grader" / "kit" / "mlp.py").read_text()
    assert (EXERCISES / "mlp.py").read_text() == kit
    assert (SOLUTIONS / "mlp.py").read_text() == kit


@pytest.mark.parametrize("level", ["full", "hint", "none"])
def test_feedback_level_controls_what_a_failure_shows(submission, graded, level):
    from grader.judge.report import WITHHELD
    bug = ("losses.py", "[2 * (p - y) / n for y, p", "[(p - y) / n for y, p")
    report = graded(submission([bug]), feedback=level)
    failing = [t["message"] for i in report["items"] for t in i["tests"] if not t["passed"]]
    assert failing
    hints = set(load().hints.values())
    if level == "full":
        assert any("esperava" in m and "Dica:" in m for m in failing)
    elif level == "hint":
        assert all(m in hints or m == WITHHELD for m in failing) and any(m in hints for m in failing)
    else:
        assert all(m == WITHHELD for m in failing)
    assert scores(report)["mse"][0] < 10  # the level changes the words, never the score


def test_manifest_feedback_levels(tmp_path):
    from grader.manifest import MANIFEST
    text = MANIFEST.read_text(encoding="utf-8")
    custom = tmp_path / "manifest.toml"
    custom.write_text(text.replace('feedback = "full"', 'feedback = "hint"', 1), encoding="utf-8")
    assert {i.feedback for i in load(custom).items} == {"hint"}
    wrong = tmp_path / "wrong.toml"   # load() caches by path
    wrong.write_text(text.replace('feedback = "full"', 'feedback = "loud"', 1), encoding="utf-8")
    with pytest.raises(ValueError):
        load(wrong)


def test_example_submission_is_the_reference_with_three_documented_bugs(tmp_path):
    # examples/aluno is derived, not hand-edited: the README's first command
    # shows the feedback for exactly these three mutants.
    from conftest import build_submission
    from mutants import MUTANTS
    chosen = {"mul_assigns_instead_of_accumulating", "bce_without_clipping", "check_passes_not_strict"}
    built = build_submission(tmp_path / "aluno", [(m["file"], m["old"], m["new"]) for m in MUTANTS
                                                 if m["id"] in chosen])
    for name in MODULE_FILES:
        assert (ROOT / "examples" / "aluno" / name).read_text() == (built / name).read_text(), name
