"""The instructor's commands from a plain install: a wheel of the kit, installed in a
fresh virtual environment, run from outside the checkout (no pyproject.toml, no
exercises/ beside the package), builds a release and a Gradescope zip."""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

SOURCES = ["pyproject.toml", "README.md", "LICENSE", "grader", "exercises"]


def run(*args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A venv holding the kit's wheel (--no-deps); its dependencies come from this
    environment's site-packages, through a .pth file: nothing is downloaded."""
    scratch = tmp_path_factory.mktemp("install")
    source = scratch / "source"   # built from a copy: the build writes nothing into the checkout
    source.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile)(
            ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                           if (ROOT / name).is_dir() else {}))
    run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "-q", "-w",
        scratch / "dist", cwd=scratch)
    wheel = next((scratch / "dist").glob("calculo_dl_grader-*.whl"))
    venv = scratch / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    # Only the directory goes on sys.path: the editable install's .pth in it is not processed.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel)
    return venv, wheel


def grader_command(venv):
    return venv / "bin" / "grader"


def test_the_wheel_holds_everything_the_package_folder_holds(installed):
    venv, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (ROOT / "grader").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            assert f"grader/{path.relative_to(ROOT / 'grader').as_posix()}" in names, path
    for path in (ROOT / "exercises").rglob("*"):
        if path.is_file():
            assert f"grader/exercises/{path.relative_to(ROOT / 'exercises').as_posix()}" in names, path
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT" in metadata and any(n.endswith("licenses/LICENSE") for n in names)


def test_release_and_gradescope_from_the_wheel(installed, tmp_path):
    venv, _ = installed
    outside = tmp_path / "elsewhere"   # no checkout here, nor above
    outside.mkdir()
    located = run(venv / "bin" / "python", "-c", "import grader; print(grader.__file__)", cwd=outside).stdout
    assert str(venv) in located, located
    run(grader_command(venv), "release", "out", cwd=outside)
    student = outside / "out" / "student"
    for name in ("derivatives.py", "value.py", "losses.py", "gradient_check.py", "mlp.py", "README.md",
                 "notebooks/value.ipynb", "kit/pyproject.toml", "kit/grader/exercises/value.py"):
        assert (student / name).is_file(), name
    assert (student / "value.py").read_bytes() == (ROOT / "exercises" / "value.py").read_bytes()
    kit = (student / "kit" / "pyproject.toml").read_text()
    assert '"numpy>=1.24"' in kit and "matplotlib" not in kit and "nbconvert" not in kit
    assert 'requires-python = ">=3.11"' in kit
    assert (outside / "out" / "grading" / "kit" / "grader" / "suites" / "hidden").is_dir()
    # The student kit, installed as the student README says (`pip install ./kit`), knows the stubs too.
    run(sys.executable, "-m", "pip", "wheel", student / "kit", "--no-deps", "--no-build-isolation", "-q", "-w",
        outside / "kit-dist", cwd=outside)
    kit_names = zipfile.ZipFile(next((outside / "kit-dist").glob("*.whl"))).namelist()
    assert {"grader/exercises/value.py", "grader/exercises/notebooks/value.ipynb"} <= set(kit_names)
    assert not [n for n in kit_names if "/hidden/" in n]

    run(grader_command(venv), "gradescope", "autograder.zip", cwd=outside)
    names = zipfile.ZipFile(outside / "autograder.zip").namelist()
    assert {"setup.sh", "run_autograder", "kit/pyproject.toml", "kit/grader/suites/hidden/test_mse.py"} <= set(names)
    assert not [n for n in names if "solutions" in n]

    # And the installed grader grades, and tells the template's stubs from a student's work.
    report = json.loads(run(grader_command(venv), "grade", student, "--format", "json", cwd=outside).stdout)
    assert report["score"] == 0
    assert any(e["message"].startswith("value.py ainda é o modelo entregue") for e in report["errors"])
    report = json.loads(run(grader_command(venv), "grade", ROOT / "solutions", "--format", "json", cwd=outside).stdout)
    assert report["score"] == 100, report["errors"]


def test_release_refuses_clearly_without_the_course_material(installed, tmp_path):
    venv, _ = installed
    python = venv / "bin" / "python"
    package = Path(run(python, "-c", "import grader, os; print(os.path.dirname(grader.__file__))").stdout.strip())
    broken = tmp_path / "broken"
    shutil.copytree(package, broken / "grader", ignore=shutil.ignore_patterns("exercises"))
    result = subprocess.run([python, "-m", "grader", "release", tmp_path / "out"], capture_output=True, text=True,
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(broken)}, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "grader/exercises" in result.stderr
