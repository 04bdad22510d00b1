"""One attempt graded: its files (from the store) laid out in a scratch
folder as the student sent them, then the kit's front door, grade(), with
the hidden suite in the sandbox. The checks on what is read (zip members,
file types and sizes, copy names of notebooks) are the kit's own: unpack.py,
inputs.py, submission.py and notebooks.py."""
import tempfile
from pathlib import Path

from ..grade import grade
from ..manifest import load as load_manifest
from ..judge.notebooks import COPY_NAME
from ..sandbox.confine import for_hidden_tests
from ..judge.submission import graded_folder
from ..judge.unpack import safe_extract

SUFFIXES = (".py", ".ipynb", ".zip")


def module_name(filename, modules):
    """What a loose .py file is graded as: `value (1).py` and `Cópia de
    value.py` (a browser's or Drive's copy) as value.py; other names as sent."""
    stem, dot, suffix = filename.rpartition(".")
    if suffix.lower() != "py":
        return filename
    match = COPY_NAME.match(stem.strip())
    if match and match["stem"].strip().lower() in modules:
        return match["stem"].strip().lower() + ".py"
    return filename


def lay_out(files, store, scratch):
    """Write the attempt's files into `scratch`; return the folder to grade.
    A zip is extracted with the kit's checks (it was checked once already when
    it was accepted; the same checks run again on the stored bytes)."""
    modules = load_manifest().modules
    scratch = Path(scratch)
    for entry in files:
        source = store.path(entry["sha"])
        if entry["name"].lower().endswith(".zip"):
            safe_extract(str(source), str(scratch))
        else:
            (scratch / module_name(entry["name"], modules)).write_bytes(source.read_bytes())
    return graded_folder(str(scratch))


def grade_files(files, store, seed, sandbox="auto", limits=None):
    """The full report (feedback 'full': the student's view is cut from it at
    the level the course rules give: rules.for_student)."""
    kind = for_hidden_tests(sandbox).kind
    with tempfile.TemporaryDirectory(prefix="service-") as scratch:
        folder = lay_out(files, store, scratch)
        return grade(folder, suite="hidden", seed=seed, limits=limits, sandbox=kind, feedback="full")
