"""LMS downloads as they come: a Moodle or Canvas "download all" (a zip, or the
folder it unpacks to) turned into one entry per student id, by a pattern.

A pattern is a regular expression matched against each top-level name, with
a group `student` (the id the gradebook shows) and, for LMSs that hand out
each file separately, a group `file` (the file's own name). Like nbgrader's
zip_collect, but with presets:

- moodle: `Ana Souza_12345_assignsubmission_file_/` folders -> `12345`
- canvas: `souzaana_12345_67890_derivatives.py` files -> `12345` (files
  grouped per student, Canvas's resubmission suffix `-1` dropped)

A name that does not match, or two entries that claim the same file of one
student, is refused with a line for the instructor; nothing is guessed.
"""
import csv
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from .unpack import UnpackError, safe_extract
from .errors import GraderError

PRESETS = {
    "moodle": r"(?P<name>.+?)_(?P<student>\d+)_assign(?:submission|feedback)_[a-z]+_?",
    "canvas": r"(?P<name>[^_]+?)(?:_LATE|_late)?_(?P<student>\d+)_(?P<submission>\d+)_(?P<file>.+)",
}
IDS = "ids.csv"   # written beside the staging folder, in OUT
# A whole class in one zip: the per-student caps (unpack.py) times a large class.
CLASS_TOTAL, CLASS_MEMBERS = 4 * 1024 ** 3, 50_000
RESUBMITTED = re.compile(r"^(?P<stem>.+?)-\d+(?P<ext>\.(?:py|ipynb|zip))$")


class IntakeError(GraderError):
    """The download cannot be read at all (a damaged zip, a bad pattern)."""


def collect(source, staging, pattern):
    """Stage `source` (a folder or a zip) into `staging`, one entry per student;
    return (staging, [(name, problem)])."""
    try:
        rule = re.compile(PRESETS.get(pattern, pattern))
    except re.error as err:
        raise IntakeError(f"--ids: not a regular expression: {err}") from None
    if "student" not in rule.groupindex:
        raise IntakeError("--ids: the pattern needs a group named student, as in (?P<student>\\d+)")
    source, staging = Path(source), Path(staging)
    with tempfile.TemporaryDirectory(prefix="intake-", dir=staging.parent) as scratch:
        if source.is_file() and zipfile.is_zipfile(source):
            try:
                safe_extract(str(source), scratch, max_total=CLASS_TOTAL, max_members=CLASS_MEMBERS)
            except UnpackError as err:
                raise IntakeError(f"{source.name}: {err}") from None
            source = Path(scratch)
            children = [p for p in source.iterdir() if not p.name.startswith(".") and p.name != "__MACOSX"]
            if len(children) == 1 and children[0].is_dir() and not rule.fullmatch(children[0].name):
                source = children[0]   # the zip held one folder around the entries
        elif not source.is_dir():
            raise IntakeError(f"submissions not found: {source}")
        return staging, _stage(source, staging, rule)


def _stage(source, staging, rule):
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    problems, claimed, ambiguous, names = [], {}, set(), {}
    for path in sorted(source.iterdir()):
        if path.name.startswith(".") or path.name == "__MACOSX":
            continue
        match = rule.fullmatch(path.name)
        if match is None:
            problems.append((path.name, "skipped: the name does not match the --ids pattern"))
            continue
        student = match["student"]
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            problems.append((path.name, "skipped: not a regular file or folder"))
            continue
        own = match.groupdict().get("file")
        if own:   # one file of the student's submission
            own = RESUBMITTED.sub(r"\g<stem>\g<ext>", own)
            target = staging / student / own
        else:     # the student's whole submission: a folder, a zip or a notebook
            target = staging / (student + ("" if path.is_dir() else "".join(path.suffixes[-1:])))
        if target in claimed:
            ambiguous.add(student)
            problems.append((path.name, f"refused: {claimed[target]} already stands for student {student} "
                                        f"({target.name}); keep one and rerun"))
            continue
        claimed[target] = path.name
        names.setdefault(student, (match.groupdict().get("name") or "", path.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, target, symlinks=True)
        else:
            shutil.copyfile(path, target)
    for student in sorted(ambiguous):   # nothing is guessed: the student is not graded from half of it
        for leftover in (staging / student, staging / f"{student}.zip", staging / f"{student}.ipynb"):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            elif leftover.exists():
                os.unlink(leftover)
    # Which id came from which name: the gradebook shows ids, the instructor knows names.
    with open(staging.parent / IDS, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "name", "entry"])
        writer.writerows([student, *names[student]] for student in sorted(names) if student not in ambiguous)
    return problems
