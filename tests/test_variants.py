"""Correct submissions written in many styles must all get full marks.

Each folder in tests/variants/ is an independent, correct hand-in (SPEC
section 1), written unlike the reference: iterative and Kahn topological
sorts, `_prev` as a list or tuple, `__slots__` and dataclass Values,
operations made by factories, karpathy's int `grad`, numpy inside losses and
datasets, module-level demos whose names (`X`, `h`, `method`, `weights`...)
a careless grader would let collide with its own, and notebooks: per module,
mixed with .py, one combined notebook, and an exploratory one with magics,
plots and saved outputs. SPEC section 4 says what such code may freely do; a
point lost here is a grader bug, never a student's.
"""
import os
import shutil
from pathlib import Path

import pytest

from grader.grade import grade
from grader.manifest import load

VARIANTS = Path(__file__).resolve().parent / "variants"
MODULES = load().modules
# `KIT_SEEDS=10` grades every variant on seeds 1..10 instead (as for issue 21's variants).
SEEDS = list(range(1, int(os.environ["KIT_SEEDS"]) + 1)) if os.environ.get("KIT_SEEDS") else [3, 101, 7777, 42, 2026]


def variant_names():
    return sorted(p.name for p in VARIANTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def has_notebook(name):
    return any((VARIANTS / name).glob("*.ipynb"))


def failures(report):
    return [f"{item['id']} :: {test['name']} :: {test['message']}"
            for item in report["items"] for test in item["tests"] if not test["passed"]]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", variant_names())
def test_correct_variant_gets_full_marks(tmp_path, name, seed):
    folder = tmp_path / name
    shutil.copytree(VARIANTS / name, folder)
    report = grade(folder, seed=seed)
    failed = failures(report)
    assert report["score"] == report["max_score"], (
        f"{name} (seed {seed}) is correct but scored {report['score']}/{report['max_score']}:\n  "
        + "\n  ".join(failed))
    assert not failed, f"{name} (seed {seed}):\n  " + "\n  ".join(failed)
    assert report["errors"] == [], f"{name} (seed {seed}) got submission errors: {report['errors']}"


@pytest.mark.parametrize("name", variant_names())
def test_variant_is_a_plain_hand_in(name):
    """The four modules, each once (.py or .ipynb), or one combined notebook; never the kit's mlp.py."""
    folder = VARIANTS / name
    files = sorted(p.name for p in folder.iterdir() if not p.name.startswith(".") and p.name != "__pycache__")
    assert "mlp.py" not in files and "mlp.ipynb" not in files, name
    for module in MODULES:
        assert not ((folder / f"{module}.py").exists() and (folder / f"{module}.ipynb").exists()), \
            f"{name}: both {module}.py and {module}.ipynb (the report would carry a note)"
    modules = {Path(f).stem for f in files if Path(f).stem in MODULES}
    others = [f for f in files if Path(f).stem not in MODULES]
    assert all(f.endswith(".ipynb") for f in others), f"{name}: unexpected files {others}"
    assert len(others) <= 1, f"{name}: more than one combined notebook {others}"
    assert modules == set(MODULES) or others, f"{name}: modules missing and no combined notebook ({files})"


def test_enough_variants_and_notebooks():
    names = variant_names()
    assert len(names) >= 26, names
    with_notebooks = [n for n in names if has_notebook(n)]
    assert len(with_notebooks) >= 4, with_notebooks
