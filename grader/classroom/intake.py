"""LMS downloads as they come: a Moodle or Canvas "download all" (a zip, or the
folder it unpacks to) turned into one folder per student id, by a pattern.

A pattern is a regular expression matched against each top-level name, with
a group `student` (the id the gradebook shows) and, for LMSs that name each
file separately, a group `file` (the file's own name). Like nbgrader's
zip_collect, with presets (grader/classroom/lms_moodle.py, grader/classroom/lms_canvas.py):

- moodle: `Ana Souza_101_assignsubmission_file_/` folders (one per plugin,
  merged per student) or Moodle's flat layout
  `Ana Souza_101_assignsubmission_file_losses.py` -> `101`
- canvas: `souzaana_12345_67890_derivatives.py` files -> `12345` (files
  grouped per student, Canvas's resubmission suffix `-1` dropped)

Nothing is unpacked here: `collect` reads the names and sizes (from the zip's
headers, or the file system) and returns, per student, which files to take;
batch extracts one student's files into that student's scratch folder when it
grades them (`extract`), so the disk holds at most `--jobs` students at once,
whatever the download expands to. Only what can be graded is taken (.py,
.ipynb and the student's own .zip, which batch unpacks with one student's
caps); the rest is listed by name, so a PDF-only hand-in is told why it was
not graded. One student's files past one student's caps (from the headers,
and counted again while extracting) refuse that student only. A name that
does not match, two entries claiming one file, two names for one id, or ids
that differ only in case or form get a line for the instructor; nothing is
guessed.
"""
import contextlib
import csv
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from . import lms_canvas, lms_moodle
from ..errors import GraderError
from .safe_text import cell, visible
from .student_ids import normal, same_key, unusable
from ..judge.unpack import CHUNK, MAX_MEMBERS, MAX_TOTAL, UnpackError, copy_member, make_dirs, unsafe_member

PRESETS = {"moodle": lms_moodle.PATTERN, "canvas": lms_canvas.PATTERN}
IDS = "ids.csv"   # written in OUT
CLASS_MEMBERS = 50_000   # names read from a whole class's zip headers at most
GRADABLE = (".py", ".ipynb", ".zip")
RESUBMITTED = re.compile(r"^(?P<stem>.+?)-\d+(?P<ext>\.(?:py|ipynb|zip))$")


class IntakeError(GraderError):
    """The download cannot be read at all (a damaged zip, a bad pattern)."""


@dataclass
class Refusal:
    entry: str       # the download's names, for the instructor
    problem: str     # for the instructor
    feedback: str    # for the student (pt-BR)


@dataclass(frozen=True)
class File:
    """One file of a student's hand-in, as batch will extract it."""
    relative: str     # path inside the student's folder (posix)
    where: object     # the member's index in the zip, or its path on disk
    size: int         # as the headers (or lstat) say


@dataclass
class Intake:
    download: Path                                 # the zip or folder the files are read from
    files: dict = field(default_factory=dict)      # student -> (File, ...), for every student not refused
    problems: list = field(default_factory=list)   # (name, message): names that are no student's
    refused: dict = field(default_factory=dict)    # student -> Refusal
    names: dict = field(default_factory=dict)      # student -> (name in the LMS, first entry)
    left_out: dict = field(default_factory=dict)   # student -> [files not staged: nothing to grade in them]
    lms: str = ""                                  # "moodle", "canvas" or "" (the instructor's regex)


@dataclass
class _Member:
    parts: tuple      # path inside the download
    size: int
    kind: str         # "file", "dir" or "other"
    source: object    # index in the zip, or the path on disk


def rule_for(pattern):
    """The compiled --ids pattern, or an IntakeError that says what to give."""
    modes = ", ".join(PRESETS)
    if pattern in PRESETS:
        return re.compile(PRESETS[pattern])
    try:
        rule = re.compile(pattern)
    except re.error as err:
        raise IntakeError(f"--ids {pattern}: not one of {modes}, nor a regular expression ({err})") from None
    if "student" not in rule.groupindex:
        raise IntakeError(f"--ids {pattern}: not one of {modes}; a regular expression needs a group named "
                          "student, as in (?P<student>\\d+) (and file, when each file is its own entry)")
    return rule


def sniff(names):
    """The preset whose naming most of `names` follow, or None."""
    for lms, pattern in PRESETS.items():
        rule = re.compile(pattern)
        matched = sum(bool(rule.fullmatch(n)) for n in names)
        if names and matched * 2 >= len(names):
            return lms
    return None


def collect(source, out, pattern):
    """What each student of `source` (a folder or a zip) handed in; writes OUT/ids.csv."""
    rule = rule_for(pattern)
    source, out = Path(source), Path(out)
    intake = Intake(source, lms=pattern if pattern in PRESETS else "")
    if source.is_file():
        try:
            with zipfile.ZipFile(source) as zf:
                _plan(_unwrap(_zip_members(zf, source.name), rule), rule, intake)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as err:
            raise IntakeError(f"{source.name}: not a readable zip ({type(err).__name__}: {err})") from None
    elif source.is_dir():
        _plan(_unwrap(_folder_members(source), rule), rule, intake)
    else:
        raise IntakeError(f"submissions not found: {source}")
    out.mkdir(parents=True, exist_ok=True)
    _write_ids(intake, out / IDS)
    return intake


def extract(download, files, dest):
    """Write one student's `files` (from collect) into the new or empty folder `dest`,
    with one student's caps counted again on the bytes; or raise UnpackError."""
    written = 0
    try:
        os.makedirs(dest, exist_ok=True)
        if any(isinstance(f.where, int) for f in files):
            with zipfile.ZipFile(download) as zf:
                members = zf.infolist()
                for f in files:
                    written += copy_member(zf, members[f.where], _place(dest, f), MAX_TOTAL - written)
        else:
            for f in files:
                with open(f.where, "rb") as src, open(_place(dest, f), "xb") as out:
                    data = src.read(f.size + 1)   # the size checked in collect; a file that grew is refused
                    if len(data) > f.size or written + len(data) > MAX_TOTAL:
                        raise UnpackError("bomb", f"{f.relative} grew while it was read")
                    written += out.write(data)
    except UnpackError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error, ValueError,
            OSError) as err:
        raise UnpackError("corrupt", f"not readable ({type(err).__name__}: {err})") from None


def _place(dest, file):
    parts = file.relative.split("/")
    return os.path.join(make_dirs(os.fspath(dest), parts[:-1]), parts[-1])


def digest(download, files, into):
    """Feed `into` (a hashlib object) with what extract would write: names and bytes."""
    try:
        zipped = any(isinstance(f.where, int) for f in files)
        with zipfile.ZipFile(download) if zipped else contextlib.nullcontext() as zf:
            members = zf.infolist() if zf else []
            for f in files:
                into.update(f.relative.encode("utf-8", "surrogateescape") + b"\0")
                with (zf.open(members[f.where]) if zf else open(f.where, "rb")) as src:
                    left = f.size + 1   # past the declared size extract refuses: no need to read on
                    while left > 0 and (chunk := src.read(min(CHUNK, left))):
                        into.update(chunk)
                        left -= len(chunk)
                into.update(b"\0")
    except Exception as err:  # noqa: BLE001 - unreadable now: the key says so, extract will refuse it
        into.update(f"unreadable: {type(err).__name__}".encode())


# -- what the download holds, from the headers or the file system -------------------------

def _zip_members(zf, shown):
    infos = zf.infolist()
    if len(infos) > CLASS_MEMBERS:
        raise IntakeError(f"{shown}: {len(infos)} members (limit {CLASS_MEMBERS})")
    members = []
    for index, info in enumerate(infos):
        kind, why = unsafe_member(info)
        if why:   # the LMS never writes these: the download was tampered with
            raise IntakeError(f"{shown}: member {info.filename!r} refused: {why}")
        parts = tuple(p for p in info.filename.replace("\\", "/").split("/") if p not in ("", "."))
        if parts:
            members.append(_Member(parts, info.file_size, "dir" if info.is_dir() else "file", index))
    return members


def _folder_members(root):
    members = []
    for folder, dirs, files in os.walk(root):   # never follows links
        relative = Path(folder).relative_to(root).parts
        for name in dirs + files:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            kind = "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"
            members.append(_Member((*relative, name), os.lstat(path).st_size if kind == "file" else 0, kind, path))
            if len(members) > CLASS_MEMBERS:
                raise IntakeError(f"{root}: more than {CLASS_MEMBERS} files")
    return members


def _unwrap(members, rule):
    """The members one level down when the download holds one folder around them."""
    shown = [m for m in members if not _hidden(m.parts[0])]
    tops = {m.parts[0] for m in shown}
    if len(tops) == 1 and not rule.fullmatch(next(iter(tops))) and any(len(m.parts) > 1 for m in shown):
        return [_Member(m.parts[1:], m.size, m.kind, m.source) for m in shown if len(m.parts) > 1]
    return members


def _hidden(name):
    return name.startswith(".") or name == "__MACOSX"


# -- one folder per student ----------------------------------------------------------------

def _plan(members, rule, intake):
    plan, unmatched = {}, {}   # student -> {relative path: member}; name -> why
    for member in members:
        top = member.parts[0]
        if _hidden(top) or any(_hidden(p) for p in member.parts[1:]):
            continue
        try:
            target = _target(member, rule, intake, unmatched)
        except Exception as err:  # noqa: BLE001 - one odd name must not stop the class
            unmatched.setdefault(top, f"skipped: internal error ({type(err).__name__}: {err})")
            continue
        if target is None:
            continue
        student, relative = target
        claimed = plan.setdefault(student, {})
        if relative in claimed:
            _refuse(intake, student, f"{claimed[relative].parts[0]} and {top} are both {'/'.join(relative)}; "
                    "keep one and rerun",
                    "Sua entrega tem o mesmo arquivo duas vezes (" + "/".join(relative) + "); envie uma só.")
            continue
        claimed[relative] = member
    intake.problems += sorted(unmatched.items())
    by_key = {}
    for student in intake.names:
        by_key.setdefault(same_key(student), []).append(student)
    for alike in by_key.values():   # Ana and ana, joão in two Unicode forms: one student, and no guess which
        for student in alike if len(alike) > 1 else ():
            _refuse(intake, student, f"ids {', '.join(sorted(alike))} differ only in case or Unicode form: "
                    "one student; keep one and rerun",
                    "Recebemos mais de uma entrega sua; nenhuma foi corrigida. Envie uma só.")
    for student in sorted(intake.names):
        files = plan.get(student, {})
        size = sum(m.size for m in files.values())
        if student not in intake.refused and (size > MAX_TOTAL or len(files) > MAX_MEMBERS):
            _refuse(intake, student, f"its files expand to {size} bytes in {len(files)} files (limit {MAX_TOTAL} "
                    f"bytes, {MAX_MEMBERS} files): zip bomb?",
                    f"Os arquivos da entrega passam de {MAX_TOTAL // 2**20} MB ou de {MAX_MEMBERS} arquivos.")
        if student not in intake.refused:
            intake.files[student] = tuple(File("/".join(relative), m.source, m.size)
                                          for relative, m in sorted(files.items()))


def _target(member, rule, intake, unmatched):
    """(student, path inside the student's folder) for a member to stage, or None."""
    top = member.parts[0]
    match = rule.fullmatch(top)
    if match is None:
        unmatched.setdefault(top, "skipped: the name does not match the --ids pattern")
        return None
    student = normal(match["student"])
    why = unusable(student)
    if why:
        unmatched.setdefault(top, f"skipped: {why}")
        return None
    name = visible(match.groupdict().get("name") or "")
    known = intake.names.setdefault(student, (name, top))
    if same_key(known[0]) != same_key(name):
        _refuse(intake, student, f"two names for one id: {known[1]} and {top}; check the download",
                "Sua entrega apareceu com dois nomes diferentes; fale com o professor.")
        return None
    own = match.groupdict().get("file")
    if own:   # the name holds one file of the student (Canvas, Moodle's flat layout)
        own = RESUBMITTED.sub(r"\g<stem>\g<ext>", own)
        relative = (own, *member.parts[1:])
    elif len(member.parts) == 1 and member.kind == "file":   # the whole hand-in as one file
        relative = (top,)
    else:     # the student's folder (one per Moodle plugin: merged)
        relative = member.parts[1:]
    if not relative or member.kind == "dir":
        return None
    bad = [p for p in relative if p in (".", "..") or "/" in p or "\\" in p or "\0" in p]
    if bad or member.kind != "file":
        unmatched.setdefault(top, "skipped: " + (f"the file name {bad[0]!r} cannot be used" if bad
                                                 else "not a regular file"))
        return None
    if not relative[-1].lower().endswith(GRADABLE):
        intake.left_out.setdefault(student, []).append(visible("/".join(relative)))
        return None
    return student, relative


def _refuse(intake, student, problem, feedback):
    entry = intake.names.get(student, ("", student))[1]
    intake.refused.setdefault(student, Refusal(entry, problem, feedback))


def _write_ids(intake, path):
    """Which id came from which name: the gradebook shows ids, the instructor knows names."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "name", "entry", "refused"])
        for student in sorted(intake.names):
            name, entry = intake.names[student]
            refusal = intake.refused.get(student)
            writer.writerow([cell(student), cell(name), cell(entry), cell(refusal.problem if refusal else "")])
