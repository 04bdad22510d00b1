"""Builds the private working copy that the child runs in.

Only the expected module files are copied (never a conftest.py, a config
file or anything else the submission brings), plus the kit's own mlp.py.
A module handed in as a notebook is converted to x.py (grader/notebooks.py).
"""
import shutil
from pathlib import Path

from .notebooks import add_notebooks

KIT_MLP = Path(__file__).parent / "kit" / "mlp.py"
MAX_FILE = 2 * 1024 * 1024  # bytes; a source file larger than this is refused


class SubmissionError(Exception):
    """The submission cannot be graded at all (say, the path does not exist)."""


def prepare(source, workdir, modules):
    """Copy the submission's modules into workdir; return report errors."""
    source = Path(source)
    if not source.exists():
        raise SubmissionError(f"a entrega não foi encontrada: {source}")
    if not source.is_dir():
        raise SubmissionError(f"a entrega precisa ser uma pasta com os arquivos do exercício: {source}")
    errors, copied = [], set()
    for name in modules:
        path = source / f"{name}.py"
        if not path.exists() and not path.is_symlink():
            continue
        problem = unsafe(path)
        if problem:
            errors.append({"module": name, "message": f"{name}.py foi ignorado: {problem}"})
            continue
        try:
            shutil.copyfile(path, Path(workdir) / path.name)
        except OSError as err:  # unreadable (permissions, a file vanishing mid-copy)
            errors.append({"module": name, "message": f"{name}.py não pôde ser lido: {err.strerror or err}"})
            continue
        copied.add(name)
    # A module without its .py may come from x.ipynb or one combined notebook.
    errors += add_notebooks(source, workdir, modules, copied)
    shutil.copyfile(KIT_MLP, Path(workdir) / "mlp.py")
    return errors


def unsafe(path):
    if path.is_symlink():
        return "é um link simbólico"
    if not path.is_file():
        return "não é um arquivo comum"
    if path.stat().st_size > MAX_FILE:
        return f"tem mais de {MAX_FILE // 1024} KiB"
    return ""
