"""Gradescope: the autograder zip `grader gradescope` builds, its setup.sh under
simulated Ubuntu 22.04 and 24.04 images, and its run_autograder's
results.json (validated against the fields Gradescope documents)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, SOLUTIONS
from grader.manifest import load
from test_batch import GRADESCOPE_SCHEMA
from test_release_ci import normalized, solution_bodies

PYENV = Path("/root/.pyenv/versions")


def interpreter(minor):
    found = sorted(PYENV.glob(f"3.{minor}.*/bin/python3.{minor}")) if PYENV.is_dir() else []
    return found[-1] if found else None


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    root = tmp_path_factory.mktemp("autograder")
    archive = root / "autograder.zip"
    done = subprocess.run([sys.executable, "-m", "grader", "gradescope", str(archive)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(root / "source")
        modes = {info.filename: info.external_attr >> 16 for info in zf.infolist()}
    for name in ("setup.sh", "run_autograder"):
        (root / "source" / name).chmod(modes[name])
    return root


def test_the_zip_holds_the_scripts_and_the_kit_with_the_hidden_suite_and_no_solution(autograder):
    source = autograder / "source"
    for name in ("setup.sh", "run_autograder"):
        assert os.access(source / name, os.X_OK), name
    assert (source / "kit" / "pyproject.toml").is_file()
    assert (source / "kit" / "grader" / "suites" / "hidden" / "test_mse.py").is_file()
    everything = "\n".join(normalized(p.read_text(errors="replace")) for p in source.rglob("*") if p.is_file())
    leaks = [name for name, body in solution_bodies() if len(body) > 25 and body in everything]
    assert [name for name in leaks if not name.startswith("value.py:")] == []   # the judge's Value is correct


def run_autograder(autograder, submission, python=sys.executable, kit_on_path=True):
    root = autograder
    shutil.rmtree(root / "submission", ignore_errors=True)
    shutil.rmtree(root / "results", ignore_errors=True)
    shutil.copytree(submission, root / "submission")
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(AUTOGRADER=str(root), GRADER_PYTHON=str(python))
    if kit_on_path:   # else the kit is installed in the interpreter's environment, as setup.sh does
        environ["PYTHONPATH"] = str(root / "source" / "kit")
    done = subprocess.run([str(root / "source" / "run_autograder")], capture_output=True, text=True, env=environ,
                          timeout=300)
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, GRADESCOPE_SCHEMA)
    return results, done


def test_the_reference_scores_full_marks(autograder):
    results, _ = run_autograder(autograder, SOLUTIONS)
    assert results["score"] == 100 and results["output_format"] == "text"
    from grader import __version__
    assert f"Corrigido pelo grader {__version__}, sandbox" in results["output"]
    assert results["extra_data"]["grader_version"] == __version__
    visibility = {item.id: item.visibility for item in load().items}
    assert [t["visibility"] for t in results["tests"]] == list(visibility.values())


def test_the_example_scores_its_report_total(autograder, graded):
    expected = graded(ROOT / "examples" / "aluno", seed=1)["score"]
    results, _ = run_autograder(autograder, ROOT / "examples" / "aluno")
    assert 0 < results["score"] < 100 and abs(results["score"] - expected) < 5


def test_a_zip_of_the_folder_one_level_down_is_graded(autograder, tmp_path):
    nested = tmp_path / "upload"
    shutil.copytree(SOLUTIONS, nested / "minha_entrega")
    results, _ = run_autograder(autograder, nested)
    assert results["score"] == 100


def test_an_empty_upload_scores_zero_with_a_message(autograder, tmp_path):
    (tmp_path / "vazia").mkdir()
    results, _ = run_autograder(autograder, tmp_path / "vazia")
    assert results["score"] == 0 and "não há derivatives.py" in results["output"]


def test_a_grader_that_crashes_still_leaves_results(autograder, tmp_path):
    results, _ = run_autograder(autograder, SOLUTIONS, python="/bin/false")
    assert results["score"] == 0 and "falhou" in results["output"]


# -- setup.sh, in a scratch root with stand-ins for the image's commands -------------

def image(tmp_path, python3, pep668=False):
    """A PATH holding only what setup.sh may call: bash, an apt-get that logs
    and 'installs' python3.11 (pyenv's) when asked, and the image's python3."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "env", "cat", "mkdir", "rm", "mv", "ln"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    log = tmp_path / "apt.log"
    (bin_dir / "apt-get").write_text(f"#!/bin/bash\necho \"$@\" >> {log}\n"
                                     f"case \"$*\" in *python3.11*) ln -sf {interpreter(11)} "
                                     f"{bin_dir}/python3.11;; esac\n")
    guard = ('case "$*" in *"-m pip"*) echo "error: externally-managed-environment" >&2; exit 1;; esac\n'
             if pep668 else "")
    (bin_dir / "python3").write_text(f"#!/bin/bash\n{guard}exec {python3} \"$@\"\n")
    for name in ("apt-get", "python3"):
        (bin_dir / name).chmod(0o755)
    return bin_dir, log


def setup(autograder, tmp_path, bin_dir):
    root = tmp_path / "autograder"
    shutil.copytree(autograder / "source", root / "source")
    environ = {"PATH": str(bin_dir), "AUTOGRADER": str(root), "HOME": str(tmp_path),
               "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}   # offline: pip stops at the kit's deps
    done = subprocess.run([shutil.which("bash"), str(root / "source" / "setup.sh")], capture_output=True, text=True,
                          env=environ, timeout=300)
    return root, done


@pytest.mark.skipif(interpreter(10) is None or interpreter(11) is None, reason="needs pyenv's 3.10 and 3.11")
def test_setup_on_ubuntu_22_04_installs_a_python_3_11_of_its_own(autograder, tmp_path):
    bin_dir, log = image(tmp_path, interpreter(10))
    root, done = setup(autograder, tmp_path, bin_dir)
    assert "python3.11 python3.11-venv" in log.read_text()
    assert "using Python 3.11" in done.stdout, done.stdout + done.stderr
    version = subprocess.run([str(root / "venv" / "bin" / "python"), "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True)
    assert version.stdout.strip() == "(3, 11)"


@pytest.mark.skipif(interpreter(12) is None, reason="needs pyenv's 3.12")
def test_setup_on_ubuntu_24_04_never_touches_the_externally_managed_python(autograder, tmp_path):
    bin_dir, log = image(tmp_path, interpreter(12), pep668=True)
    root, done = setup(autograder, tmp_path, bin_dir)
    assert "externally-managed" not in done.stderr   # the system pip was never asked
    assert "using Python 3.12" in done.stdout, done.stdout + done.stderr
    assert not log.exists() or "python3.11" not in log.read_text()
    assert (root / "venv" / "bin" / "python").exists()


# -- a container where only the process sandbox starts (no user namespaces, as in Docker's default) --
SYSTEM_PYTHON = Path("/usr/bin/python3.11")
# Run as the judge in place of the venv's python: the container has neither
# bubblewrap nor Landlock nor namespaces (docs/security.md, "Gradescope").
WEAK_CONTAINER = '''import os, runpy, sys
from grader.sandbox import confine as sandbox, namespaces
for kind in os.environ.get("SIMULATED_MISSING", "bwrap,landlock").split(","):
    sandbox.PROBLEMS[kind] = lambda: "not in this simulated container"
namespaces.available = lambda: 0
sys.argv = ["grader.platforms.gradescope", sys.argv[-1]]
runpy.run_module("grader.platforms.gradescope", run_name="__main__", alter_sys=True)
'''


@pytest.fixture
def weak_image(autograder):
    """An image as setup.sh leaves it, in a folder every user may enter: a venv
    of the system Python (nobody can run it) with the kit installed in it."""
    if os.geteuid() != 0 or not SYSTEM_PYTHON.exists():
        pytest.skip("needs root and the system's Python 3.11 (the uid drop to nobody)")
    root = Path(tempfile.mkdtemp(prefix="gradescope-image-"))
    try:
        root.chmod(0o755)
        shutil.copytree(autograder / "source", root / "source")
        subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(root / "venv")], check=True)
        site = next((root / "venv" / "lib").glob("python3*/site-packages"))
        shutil.copytree(root / "source" / "kit" / "grader", site / "grader")   # what pip install ./kit does
        deps = next(Path(p) for p in sys.path if p.endswith("site-packages") and (Path(p) / "numpy").is_dir())
        (site / "deps.pth").write_text(f"{deps}\n")
        (root / "weak_container.py").write_text(WEAK_CONTAINER)
        python = root / "python"
        python.write_text(f"#!/bin/bash\nexec {root / 'venv' / 'bin' / 'python'} {root / 'weak_container.py'} \"$@\"\n")
        python.chmod(0o755)
        yield root, python, site
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("expected", ["process", "landlock"])
def test_in_a_container_without_namespaces_the_child_reaches_neither_suite_nor_results(weak_image, tmp_path,
                                                                                        monkeypatch, expected):
    # The student's module, at import, reads the hidden suite and rewrites the
    # running run_autograder and results.json; choose_loss shows what it read.
    # Without Landlock the child runs as nobody; with it, confined as well.
    from grader.sandbox.confine import PROBLEMS
    if expected == "landlock" and PROBLEMS["landlock"]():
        pytest.skip(PROBLEMS["landlock"]())
    monkeypatch.setenv("SIMULATED_MISSING", "bwrap,landlock" if expected == "process" else "bwrap")
    root, python, site = weak_image
    targets = [str(root / "source" / "kit" / "grader" / "suites" / "hidden" / "test_mse.py"),
               str(site / "grader" / "suites" / "hidden" / "test_mse.py")]
    forged = '{"score": 100, "tests": []}'
    attack = (f"\nimport os\nSEEN = [f'uid={{os.getuid()}}']\nfor path in {targets!r}:\n"
              "    try:\n        SEEN.append(open(path).read()[:200])\n"
              "    except OSError as exc:\n        SEEN.append(type(exc).__name__)\n"
              f"for path, text in (({str(root / 'source' / 'run_autograder')!r}, 'echo {forged} > $RESULTS\\n'),\n"
              f"                   ({str(root / 'results' / 'results.json')!r}, {forged!r})):\n"
              "    try:\n        with open(path, 'a') as f:\n            f.write(text)\n        SEEN.append('WROTE')\n"
              "    except OSError as exc:\n        SEEN.append(type(exc).__name__)\n"
              "def choose_loss(task):\n    raise ValueError('SEEN ' + ' | '.join(SEEN))\n")
    submission = tmp_path / "entrega"
    shutil.copytree(SOLUTIONS, submission)
    with open(submission / "losses.py", "a", encoding="utf-8") as f:
        f.write(attack)
    script = (root / "source" / "run_autograder").read_bytes()
    results, done = run_autograder(root, submission, python=python, kit_on_path=False)
    text = json.dumps(results, ensure_ascii=False)
    assert "SEEN " in text, done.stdout + done.stderr
    assert "def test_" not in text and "WROTE" not in text
    assert "PermissionError" in text and "uid=65534" in text   # root is not what the child runs as
    assert results["score"] < 100 and results["extra_data"]["sandbox"] == expected
    assert "forced" not in results["extra_data"]["sandbox_note"]
    assert f"sandbox {expected}" in results["output"]
    assert (root / "source" / "run_autograder").read_bytes() == script
    assert (root / "results").stat().st_mode & 0o777 == 0o700


def test_where_the_child_could_read_the_suite_gradescope_refuses_to_grade(weak_image, tmp_path):
    # The same container, with the grader not root: its child would run as the
    # grading user, who reads the suite. No grade, a message, never the hidden tests.
    root, python, _ = weak_image
    user_python = root / "as_user"
    user_python.write_text(f"#!/bin/bash\nchmod 777 {root / 'results'}\n"   # the grading user's own folders
                           f"exec setpriv --reuid=65534 --regid=65534 --clear-groups {python} \"$@\"\n")
    user_python.chmod(0o755)
    for folder in (root, root / "source"):
        folder.chmod(0o777)
    (tmp_path).chmod(0o755)
    submission = tmp_path / "entrega"
    shutil.copytree(SOLUTIONS, submission)
    results, done = run_autograder(root, submission, python=user_python, kit_on_path=False)
    assert results["score"] == 0 and "erro do avaliador" in results["output"], done.stdout + done.stderr
    assert "refusing" in results["extra_data"]["grader_error"]
