"""`grader release OUT`: the two repositories a class needs, built from this kit.

- OUT/student: the assignment's template repository. Stubs and notebooks,
  a vendored copy of the grader with the public tests only (so `grader
  check` works offline), a workflow that runs the public tests, and a
  Portuguese README. No solution, no hidden test in any form, no secret.
- OUT/grading: the instructor's private repository. The kit with the hidden
  suite and a scheduled workflow that grades the class's pull requests from
  there (`grader pulls`), with the one token the class needs kept in it.
  Its README is the setup, step by step, and the threat model.
"""
import shutil
import tomllib
from pathlib import Path

from . import __version__
from .ci import runner_id
from .manifest import load
from .errors import GraderError

PACKAGE = Path(__file__).resolve().parent
KIT_ROOT = PACKAGE.parent
TEMPLATES = PACKAGE / "release_files"
NEVER_VENDORED = {"release_files", "__pycache__"}
# In each notebook's first cell (tools/make_notebooks.py): replaced by the kit's pip address.
KIT_MARK = "__ENDERECO_DO_KIT__"
INSTRUCTOR_ONLY = ("matplotlib", "copydetect", "datasketch")


class ReleaseError(GraderError):
    pass


def build_release(out, repo=None):
    """Write OUT/student and OUT/grading (OUT new or empty); return both paths.
    `repo` is where the student template will live ("owner/name" on GitHub,
    or a git URL): it gives the notebooks their install cell and the README
    its "Abrir no Colab" links."""
    out = Path(out)
    exercises = KIT_ROOT / "exercises"
    if not exercises.is_dir():
        raise ReleaseError("grader release runs from a checkout of the kit (exercises/ not found)")
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty")
    student, grading = out / "student", out / "grading"
    _student_repository(student, exercises, repo)
    _grading_repository(grading)
    return student, grading


def _student_repository(dest, exercises, repo):
    dest.mkdir(parents=True)
    for stub in sorted(exercises.glob("*.py")):
        shutil.copyfile(stub, dest / stub.name)
    notebooks = [exercises / "notebooks" / f"{m}.ipynb" for m in load().modules]   # in the course's order
    for notebook in notebooks:
        text = notebook.read_text(encoding="utf-8")
        _write(dest / "notebooks" / notebook.name, text.replace(KIT_MARK, kit_address(repo)) if repo else text)
    vendor_kit(dest / "kit", hidden=False)
    _write(dest / ".github" / "workflows" / "check.yml", _with_runners(TEMPLATES / "student" / "check.yml"))
    readme = (TEMPLATES / "student" / "README.md").read_text(encoding="utf-8")
    _write(dest / "README.md", readme.replace("__COLAB__", _colab_section(repo, [n.name for n in notebooks])))
    _write(dest / ".gitignore", ".venv/\n__pycache__/\n*.egg-info/\n")


def kit_address(repo):
    """pip's address of the student kit in the template repository."""
    clone = repo if "://" in repo else f"https://github.com/{repo}.git"
    return f"git+{clone}#subdirectory=kit"


def _colab_section(repo, names):
    if repo and "://" not in repo:
        rows = "\n".join(f"| `{n}` | [Abrir no Colab](https://colab.research.google.com/github/{repo}/blob/main/"
                         f"notebooks/{n}) |" for n in names)
        return ("Cada link abre o notebook do repositório da disciplina no Colab; Arquivo → Salvar uma\n"
                "cópia no Drive guarda o seu trabalho.\n\n| notebook | |\n|---|---|\n" + rows)
    return ("Baixe um notebook da pasta `notebooks/` (na página do arquivo no GitHub, o botão de download) e "
            "abra-o no Colab: Arquivo → Fazer upload de notebook.")


def _grading_repository(dest):
    dest.mkdir(parents=True)
    vendor_kit(dest / "kit", hidden=True)
    _write(dest / ".github" / "workflows" / "grade-pull-requests.yml",
           (TEMPLATES / "grading" / "grade-pull-requests.yml").read_text(encoding="utf-8"))
    shutil.copyfile(TEMPLATES / "grading" / "README.md", dest / "README.md")
    _write(dest / ".gitignore", ".venv/\n__pycache__/\n*.egg-info/\n")


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def vendor_kit(dest, hidden):
    """The kit as a release carries it: the package (with or without the hidden suite) and its pyproject."""
    left_out = NEVER_VENDORED | ({"hidden"} if not hidden else set())

    def ignore(folder, names):
        return [n for n in names if n in left_out or n.endswith(".pyc")]
    shutil.copytree(PACKAGE, dest / "grader", ignore=ignore)
    project = tomllib.loads((KIT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # What grading needs, nothing more: the class report's plotting stays with the instructor's kit.
    deps = ",\n".join(f'    "{d}"' for d in project["dependencies"] if not d.startswith(INSTRUCTOR_ONLY))
    (dest / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{project["name"]}"\nversion = "{__version__}"\n'
        f'requires-python = "{project["requires-python"]}"\ndependencies = [\n{deps},\n]\n\n'
        '[project.scripts]\ngrader = "grader.cli:run"\n\n'
        '[tool.setuptools.packages.find]\ninclude = ["grader*"]\n\n'
        '[tool.setuptools.package-data]\n'
        'grader = ["manifest.toml", "kit/*.py", "suites/pytest.ini", "suites/*/*.py"]\n',
        encoding="utf-8")


def _with_runners(template):
    """The workflow with one GitHub Classroom runner per checklist item."""
    ids = [runner_id(item.id) for item in load().items]
    env = "\n".join(f"          {i.upper()}_RESULTS: ${{{{ steps.grade.outputs.{i}_results }}}}" for i in ids)
    text = template.read_text(encoding="utf-8")
    return text.replace("__RUNNER_ENV__", env).replace("__RUNNERS__", ",".join(ids))
