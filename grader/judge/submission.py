"""Builds the private working copy that the child runs in.

Only the expected module files are copied (never a conftest.py, a config
file or anything else the submission brings), plus the kit's own mlp.py.
A module handed in as a notebook is converted to x.py (grader/judge/notebooks.py).
"""
import os
import shutil
from pathlib import Path

from . import course
from .notebooks import add_notebooks
from ..errors import GraderError
from .inputs import unsafe

KIT_MLP = Path(__file__).parents[1] / "kit" / "mlp.py"


class SubmissionError(GraderError):
    """The submission cannot be graded at all (say, the path does not exist)."""


MODULE_SUFFIXES = (".py", ".ipynb")
IGNORED_DIRS = ("__MACOSX",)   # what a zip made on macOS brings along


def graded_folder(folder):
    """The folder the grader should read: the given one, or its only subfolder
    when the modules sit one level down (an upload of a zip of the folder, not
    of its files). str or bytes, as given."""
    dot, ignored, suffixes = (".", IGNORED_DIRS, MODULE_SUFFIXES) if isinstance(folder, str) else \
        (b".", tuple(map(os.fsencode, IGNORED_DIRS)), tuple(map(os.fsencode, MODULE_SUFFIXES)))
    names = [n for n in os.listdir(folder) if not n.startswith(dot) and n not in ignored]
    if any(n.endswith(suffixes) for n in names):
        return folder
    subfolders = [n for n in names if os.path.isdir(os.path.join(folder, n))
                  and not os.path.islink(os.path.join(folder, n))]
    return os.path.join(folder, subfolders[0]) if len(subfolders) == 1 else folder


def locate(submission):
    """The folder to grade for `submission`: it, or the one folder it holds."""
    source = Path(submission)
    try:
        found = source.exists()
    except OSError as err:   # a name longer than the system allows, a loop of links
        raise SubmissionError(f"a entrega não pode ser aberta: {err.strerror or err}") from None
    if not found:
        raise SubmissionError(f"a entrega não foi encontrada: {source}")
    if not source.is_dir():
        raise SubmissionError(f"a entrega precisa ser uma pasta com os arquivos do exercício: {source}")
    try:
        return Path(graded_folder(str(source)))
    except OSError as err:   # a folder the grader may not list: nothing can be graded
        raise SubmissionError(f"a pasta da entrega não pôde ser lida: {source} ({err.strerror or err})") from None


def prepare(source, workdir, modules):
    """Copy the modules of `source` (see locate) into workdir; return report errors.

    A module's .py that is still the stub as released is not copied at once: a
    notebook of that module is what the student meant (a browser upload next to
    the template's stubs), and add_notebooks copies the stub only when there is none."""
    source = Path(source)
    errors, copied, stubs = [], set(), {}
    for name in modules:
        path = source / f"{name}.py"
        try:
            if not path.exists() and not path.is_symlink():
                continue
            problem = unsafe(path)
            if problem:
                errors.append({"module": name, "message": f"{name}.py foi ignorado: {problem}"})
                continue
            if course.is_released_file(path):
                stubs[name] = path
                continue
            shutil.copyfile(path, Path(workdir) / path.name)
        except OSError as err:  # unreadable (permissions, a file vanishing mid-copy)
            errors.append({"module": name, "message": f"{name}.py não pôde ser lido: {err.strerror or err}"})
            continue
        copied.add(name)
    # A module without its .py (or with the stub only) may come from x.ipynb or one combined notebook.
    errors += add_notebooks(source, workdir, modules, copied, stubs)
    shutil.copyfile(KIT_MLP, Path(workdir) / "mlp.py")
    return errors
