"""Shared helpers: build submissions from the reference solutions and grade them."""
import shutil
from pathlib import Path

import pytest

from grader.grade import grade
from grader.manifest import load

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
ITEM_IDS = [item.id for item in load().items]
MODULE_FILES = tuple(f"{m}.py" for m in load().modules)


def build_submission(folder, replacements=(), files=None):
    """Copy the reference solutions into folder, then apply (file, old, new)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in files or MODULE_FILES:
        shutil.copyfile(SOLUTIONS / name, folder / name)
    for filename, old, new in replacements:
        path = folder / filename
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= 1, f"{old!r} not found in {filename}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def scores(report):
    return {item["id"]: (item["score"], item["max_score"]) for item in report["items"]}


def full_items(report):
    return {i for i, (s, m) in scores(report).items() if s == m}


@pytest.fixture
def submission(tmp_path):
    def make(replacements=(), files=None):
        return build_submission(tmp_path / "sub", replacements, files)
    return make


@pytest.fixture
def graded():
    def run(folder, **kwargs):
        kwargs.setdefault("seed", 12345)
        if kwargs.get("sandbox") == "process":   # the hidden suite there, knowingly (docs/security.md)
            kwargs.setdefault("allow_weak_sandbox", True)
        return grade(folder, **kwargs)
    return run
