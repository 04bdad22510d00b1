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
import importlib.metadata
import re
import shutil
import tomllib
from pathlib import Path

from .. import __version__
from ..judge import course
from .ci import runner_id
from ..manifest import load
from ..errors import GraderError
from .pulls_gate import parse_deadline

PACKAGE = Path(__file__).resolve().parents[1]
KIT_ROOT = PACKAGE.parent
TEMPLATES = Path(__file__).resolve().parent / "release_files"
# exercises: copied on its own, below; service: the course service runs on the instructor's side only
NEVER_VENDORED = {"release_files", "__pycache__", "exercises", "service"}
DISTRIBUTION = "calculo-dl-grader"
# In each notebook's first cell (tools/make_notebooks.py): replaced by the kit's pip address.
KIT_MARK = "__ENDERECO_DO_KIT__"
INSTRUCTOR_ONLY = ("matplotlib", "copydetect", "datasketch")
# When the grading workflow looks for new pull requests: every two hours (a run with nothing new costs
# about one billed minute; the grading README has the arithmetic). Minute 17: GitHub delays runs at :00.
DEFAULT_SCHEDULE = "17 */2 * * *"
CRON = re.compile(r"[0-9*/,-]+( [0-9*/,A-Za-z-]+){4}")


class ReleaseError(GraderError):
    pass


def build_release(out, repo=None, schedule=None, deadline=None):
    """Write OUT/student and OUT/grading (OUT new or empty); return both paths.
    `repo` is where the student template will live ("owner/name" on GitHub,
    or a git URL): it gives the notebooks their install cell and the README
    its "Abrir no Colab" links. `schedule` (cron, UTC) is when the grading
    workflow looks for new pull requests; its scheduled runs stop a day after
    `deadline` (ISO, with its UTC offset)."""
    out = Path(out)
    exercises = course.folder()
    if exercises is None or not (exercises / "notebooks").is_dir():
        raise ReleaseError("the course's stubs and notebooks are not in this install (grader/exercises): "
                           "reinstall the kit with `pip install .` from its checkout")
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty")
    schedule = schedule or DEFAULT_SCHEDULE
    if not CRON.fullmatch(schedule.strip()):
        raise ReleaseError(f"--schedule {schedule!r}: five cron fields, in UTC, e.g. {DEFAULT_SCHEDULE!r}")
    moment = parse_deadline(deadline)
    student, grading = out / "student", out / "grading"
    _student_repository(student, exercises, repo)
    _grading_repository(grading, schedule.strip(), moment.isoformat() if moment else "")
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


def _grading_repository(dest, schedule, deadline):
    dest.mkdir(parents=True)
    vendor_kit(dest / "kit", hidden=True)
    workflow = (TEMPLATES / "grading" / "grade-pull-requests.yml").read_text(encoding="utf-8")
    _write(dest / ".github" / "workflows" / "grade-pull-requests.yml",
           workflow.replace("__CRON__", schedule).replace("__DEADLINE__", deadline))
    shutil.copyfile(TEMPLATES / "grading" / "README.md", dest / "README.md")
    _write(dest / ".gitignore", ".venv/\n__pycache__/\n*.egg-info/\n.grader-state/\ngradebook/\n")


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def vendor_kit(dest, hidden):
    """The kit as a release carries it: the package (with or without the hidden suite), the
    course's stubs and notebooks (so it knows an untouched stub when it sees one) and its pyproject."""
    left_out = NEVER_VENDORED | ({"hidden"} if not hidden else set())

    def ignore(folder, names):
        return [n for n in names if n in left_out or n.endswith(".pyc")]
    shutil.copytree(PACKAGE, dest / "grader", ignore=ignore)
    exercises = course.folder()
    if exercises is None:
        raise ReleaseError("the course's stubs are not in this install (grader/exercises): reinstall the kit")
    shutil.copytree(exercises, dest / "grader" / "exercises", ignore=lambda folder, names: [
        n for n in names if not n.endswith((".py", ".ipynb")) and n != "notebooks"])
    project = _project()
    # What grading needs, nothing more: the class report's plotting stays with the instructor's kit.
    deps = ",\n".join(f'    "{d}"' for d in project["dependencies"] if not d.startswith(INSTRUCTOR_ONLY))
    (dest / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{project["name"]}"\nversion = "{__version__}"\n'
        f'requires-python = "{project["requires-python"]}"\ndependencies = [\n{deps},\n]\n\n'
        '[project.scripts]\ngrader = "grader.cli:run"\n\n'
        '[tool.setuptools.packages.find]\ninclude = ["grader*"]\n\n'
        '[tool.setuptools.package-data]\n'
        'grader = ["manifest.toml", "kit/*.py", "suites/pytest.ini", "suites/*/*.py"]\n'
        '"grader.show.templates" = ["*.j2"]\n'
        '"grader.exercises" = ["*.py", "notebooks/*.ipynb"]\n',
        encoding="utf-8")


def _project():
    """The kit's name, Python and dependencies: from the checkout's pyproject.toml,
    or from the installed distribution's metadata (a wheel has no pyproject)."""
    pyproject = KIT_ROOT / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == DISTRIBUTION:
            return project
    try:
        meta = importlib.metadata.metadata(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise ReleaseError(f"neither the kit's pyproject.toml nor an installed {DISTRIBUTION} was found") from None
    requires = importlib.metadata.requires(DISTRIBUTION) or []
    return {"name": meta["Name"], "requires-python": meta["Requires-Python"],
            "dependencies": [r for r in requires if "extra ==" not in r]}   # the [test] and [audit] extras aside


def _with_runners(template):
    """The workflow with one GitHub Classroom runner per checklist item."""
    ids = [runner_id(item.id) for item in load().items]
    env = "\n".join(f"          {i.upper()}_RESULTS: ${{{{ steps.grade.outputs.{i}_results }}}}" for i in ids)
    text = template.read_text(encoding="utf-8")
    return text.replace("__RUNNER_ENV__", env).replace("__RUNNERS__", ",".join(ids))
