"""`grader release OUT`: the student repository, built from this kit.

It holds the stubs and notebooks, the public tests inside a vendored copy of
the grader (so `grader check` works offline), the hidden suite only as an
encrypted bundle, the grading workflow and a Portuguese README. No solution
and no hidden test is in it in readable form.
"""
import shutil
import tomllib
from pathlib import Path

from .bundle import new_key, seal
from .manifest import SUITES, load

PACKAGE = Path(__file__).resolve().parent
KIT_ROOT = PACKAGE.parent
TEMPLATES = PACKAGE / "release_files"
LEFT_OUT = {"hidden", "release_files", "__pycache__"}   # never copied into the vendored kit


class ReleaseError(Exception):
    pass


def runner_id(item_id):
    """The item's name for GitHub Classroom's reporter: letters and digits only,
    which its own validation of `runners` requires."""
    return "".join(c for c in item_id if c.isalnum())


def build_release(out, key=None):
    """Write the student repository into `out` (new or empty); return the key."""
    out = Path(out)
    exercises = KIT_ROOT / "exercises"
    if not exercises.is_dir():
        raise ReleaseError("grader release runs from a checkout of the kit (exercises/ not found)")
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty")
    key = key or new_key()
    out.mkdir(parents=True, exist_ok=True)
    for stub in sorted(exercises.glob("*.py")):
        shutil.copyfile(stub, out / stub.name)
    if (exercises / "notebooks").is_dir():
        shutil.copytree(exercises / "notebooks", out / "notebooks")
    _vendor_kit(out / "kit")
    (out / ".grader").mkdir()
    (out / ".grader" / "hidden.bundle").write_bytes(seal(SUITES / "hidden", key))
    workflows = out / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "grade.yml").write_text(_workflow(), encoding="utf-8")
    shutil.copyfile(TEMPLATES / "grading-security.md", out / ".github" / "grading-security.md")
    shutil.copyfile(TEMPLATES / "README.md", out / "README.md")
    (out / ".gitignore").write_text(".venv/\n__pycache__/\n*.egg-info/\n", encoding="utf-8")
    return key


def _vendor_kit(dest):
    def ignore(folder, names):
        return [n for n in names if n in LEFT_OUT or n.endswith(".pyc")]
    shutil.copytree(PACKAGE, dest / "grader", ignore=ignore)
    project = tomllib.loads((KIT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = ",\n".join(f'    "{d}"' for d in project["dependencies"])
    (dest / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{project["name"]}"\nversion = "{project["version"]}"\n'
        f'requires-python = "{project["requires-python"]}"\ndependencies = [\n{deps},\n]\n\n'
        '[project.scripts]\ngrader = "grader.cli:run"\n\n'
        '[tool.setuptools.packages.find]\ninclude = ["grader*"]\n\n'
        '[tool.setuptools.package-data]\n'
        'grader = ["manifest.toml", "kit/*.py", "suites/pytest.ini", "suites/*/*.py"]\n',
        encoding="utf-8")


def _workflow():
    ids = [runner_id(item.id) for item in load().items]
    env = "\n".join(f"          {i.upper()}_RESULTS: ${{{{ steps.grade.outputs.{i}_results }}}}" for i in ids)
    text = (TEMPLATES / "grade.yml").read_text(encoding="utf-8")
    return text.replace("__RUNNER_ENV__", env).replace("__RUNNERS__", ",".join(ids))
