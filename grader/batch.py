"""Grades a class: a folder of submissions in; reports, feedback, a gradebook
and a class report out.

    SUBMISSIONS/ana/            a folder           -> student "ana"
    SUBMISSIONS/bruno.zip       a zip              -> student "bruno"
    SUBMISSIONS/carla.ipynb     one notebook       -> student "carla"

The flow, one way: list the entries -> key each one (its content, the
grading inputs, the seed, the limits) -> keep the saved reports whose key
still matches -> grade the rest in a process pool, saving each report the
moment it arrives -> write the gradebook and the class report from all of
them. A report on disk is the proof a student is done, so a killed run
resumes where it stopped, and a rerun grades only new or changed entries.
"""
import concurrent.futures
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic, class_report, gradebook, intake, overrides, similarity
from . import manifest as manifest_module
from .grade import grade
from .render import format_score
from .sandbox import choose
from .student_process import Limits
from .submission import IGNORED_DIRS, SubmissionError, graded_folder
from .unpack import MAX_TOTAL, UnpackError, safe_extract
from .errors import GraderError

GRADER = Path(__file__).parent
# What decides a score besides the submission: the manifest, the hidden suite
# and the grader's own code (how values cross from the child, how tests are
# scored). A change to any of these regrades everyone on the next run. Only
# files known to merely present reports are left out; a new file counts.
GRADING_INPUTS = ("**/*.py", "**/*.toml", "**/*.ini")
NOT_GRADING_INPUTS = ("suites/public/", "batch.py", "gradebook.py", "class_report.py", "gradescope.py",
                      "render.py", "cli.py", "__main__.py", "similarity.py", "intake.py", "overrides.py")
CACHE_VERSION = 1
MODULE_SUFFIXES = (b".py", b".ipynb")
MAX_ID_BYTES = 200              # a student id must still make a file name
# A worker's address space: about 170 MB when grading, plus reading a notebook of
# up to inputs.MAX_NOTEBOOK (256 MB, parsed as JSON). Its resident size stays near 50 MB.
WORKER_MEMORY_MB = 1536

REPORTS, FEEDBACK, CODE, WORK, INTAKE = "reports", "feedback", "code", ".work", ".intake"
GRADEBOOK, CLASS_REPORT, RUN = "gradebook.csv", "class_report.html", "run.json"


class BatchError(GraderError):
    """The run cannot start at all (no such folder, output folder busy)."""


@dataclass
class Entry:
    """One student's submission as found in the submissions folder."""
    student: str
    name: str       # as listed, for messages
    path: bytes     # bytes, because a name need not be valid UTF-8
    kind: str       # 'folder', 'zip' or 'notebook'


@dataclass
class Outcome:
    """One row of the gradebook: a report, or why there is none."""
    student: str
    entry: str
    report: dict = None
    problem: str = ""       # for the instructor, when not graded
    feedback: str = ""      # for the student (pt-BR), when not graded
    cached: bool = False
    code: str = ""          # the student's code, for the similarity check
    fingerprint: bytes = b""   # its fingerprints (similarity.print_bytes), saved beside it


@dataclass
class Summary:
    out: Path
    seed: int
    outcomes: list = field(default_factory=list)
    problems: list = field(default_factory=list)   # (entry, message): not a student's submission
    seconds: float = 0.0
    interrupted: bool = False
    similar: object = None     # similarity.Result, when submissions were compared


@dataclass
class View:
    """How the run's results are presented: nothing here changes a score the
    grader computes (overrides change what is shown, beside the original)."""
    lang: str = "pt"                 # the class report's language: "pt" or "en"
    csv: str = "comma"               # gradebook.DIALECTS
    similarity: float = 0.8          # flag pairs sharing this share of their code; None: do not compare
    overrides: str = None            # CSV of the instructor's adjustments (grader/overrides.py)


# -- finding the entries --------------------------------------------------------

def discover(submissions, out):
    """([Entry], [Outcome for duplicated students], [(entry, message)]) in id order."""
    folder = os.fsencode(submissions)
    out_real = os.path.realpath(os.fsencode(out))
    found, problems = {}, []
    for raw in sorted(os.listdir(folder)):
        path = os.path.join(folder, raw)
        shown = raw.decode("utf-8", "backslashreplace")
        if os.path.realpath(path) == out_real:
            continue  # the output folder placed inside the submissions folder
        if raw.startswith(b".") or os.fsdecode(raw) in IGNORED_DIRS:
            problems.append((shown, "skipped: hidden or system entry"))
            continue
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append((shown, "skipped: the name is not valid UTF-8; rename it to the student's id"))
            continue
        kind, student = _classify(path, name)
        if kind is None:
            problems.append((name, student))
            continue
        if len(student.encode("utf-8")) > MAX_ID_BYTES:
            problems.append((name, f"skipped: a student id longer than {MAX_ID_BYTES} bytes"))
            continue
        found.setdefault(student, []).append(Entry(student, name, path, kind))
    entries, duplicated = [], []
    for student, group in sorted(found.items()):
        if len(group) == 1:
            entries.append(group[0])
            continue
        names = ", ".join(e.name for e in group)
        duplicated.append(Outcome(student, names, problem=f"{len(group)} entries for one student ({names}): "
                                  "none graded; keep one and rerun",
                                  feedback="Recebemos mais de uma entrega sua (" + names + "); "
                                  "nenhuma foi corrigida. Envie uma só."))
    return entries, duplicated, problems


def _classify(path, name):
    """(kind, student id) or (None, why it is skipped)."""
    if os.path.islink(path):
        return None, "skipped: a symbolic link (not followed)"
    lower = name.lower()
    if os.path.isdir(path):
        return "folder", name
    if os.path.isfile(path) and lower.endswith(".zip"):
        return "zip", name[:-4]
    if os.path.isfile(path) and lower.endswith(".ipynb"):
        return "notebook", name[:-6]
    return None, "skipped: not a submission (expected a folder, a .zip or a .ipynb)"


# -- keys: what a saved report was graded from -------------------------------------

def grading_inputs_digest():
    digest = hashlib.sha256()
    paths = {p for pattern in GRADING_INPUTS for p in GRADER.glob(pattern)}
    for path in sorted(paths):
        relative = path.relative_to(GRADER).as_posix()
        if not relative.startswith(NOT_GRADING_INPUTS):
            digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_digest(entry):
    """Hash of what the grader will read from the entry: for a folder, the names
    and bytes of its module files (nothing else in it is ever read); for a zip or
    a notebook, the file itself."""
    digest = hashlib.sha256(entry.kind.encode() + b"\0")
    if entry.kind == "folder":
        root = graded_folder(entry.path)
        digest.update(os.path.relpath(root, entry.path) + b"\0")
        for name in sorted(os.listdir(root)):
            path = os.path.join(root, name)
            if not name.endswith(MODULE_SUFFIXES):
                continue
            digest.update(name + b"\0")
            if os.path.islink(path):
                digest.update(b"link:" + os.readlink(path))
            elif os.path.isfile(path):
                _hash_file(digest, path)
    else:
        _hash_file(digest, entry.path)
    return digest.hexdigest()


def _hash_file(digest, path):
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    digest.update(b"\0")


def cache_key(entry_hash, inputs_hash, seed, limits, feedback=None):
    blob = json.dumps({"version": CACHE_VERSION, "entry": entry_hash, "grader": inputs_hash,
                       "seed": seed, "limits": dataclasses.asdict(limits), "feedback": feedback}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def student_seed(base_seed, student):
    """Each student gets their own inputs (hard-coding a classmate's answers does
    not help), yet the same seed and id always give the same inputs."""
    return int.from_bytes(hashlib.sha256(f"{base_seed}:{student}".encode()).digest()[:4], "big")


# -- grading one entry (in a worker process) ------------------------------------------

def _worker_init():
    # A worker must not outlive a run that was killed with SIGKILL (Linux only).
    from .linux import PR_SET_PDEATHSIG, libc
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # Its address space is bounded: what goes past it is a MemoryError, one student's
    # "internal error", not a machine out of memory. The soft limit only: the sandboxed
    # child it starts sets its own (Limits.memory_mb), which may be higher.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = WORKER_MEMORY_MB * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


def grade_entry(entry, seed, limits, workroot, sandbox="auto", feedback=None):
    """Outcome for one entry; never raises (a worker must always answer)."""
    outcome = Outcome(entry.student, entry.name)
    try:
        with tempfile.TemporaryDirectory(prefix="entry-", dir=workroot) as scratch:
            source = _materialise(entry, os.fsencode(scratch))
            outcome.report = grade(os.fsdecode(source), seed=seed, limits=limits, sandbox=sandbox, feedback=feedback)
            modules = manifest_module.load().modules
            outcome.code = similarity.code_of(os.fsdecode(source), modules)
            # Fingerprinted here, in parallel with the other workers, not all at the end.
            outcome.fingerprint = similarity.print_bytes(outcome.code, similarity.stub_code(modules))
    except UnpackError as err:
        outcome.problem = f"zip refused: {err}"
        outcome.feedback = f"O arquivo {entry.name} foi recusado: {err.reason}."
    except _Refused as err:
        outcome.problem, outcome.feedback = err.args
    except SubmissionError as err:
        outcome.problem = f"cannot grade: {err}"
        outcome.feedback = "A entrega não pôde ser lida pelo avaliador."
    except Exception as err:  # noqa: BLE001 - one broken entry must not stop the class
        outcome.problem = f"internal error while grading: {type(err).__name__}: {err}"
        outcome.feedback = "Um erro interno do avaliador impediu a correção; o professor foi avisado."
    return outcome


class _Refused(Exception):
    """(message for the instructor, feedback for the student)."""


def _materialise(entry, scratch):
    """A folder holding the entry's files, ready for grade()."""
    if entry.kind == "folder":
        root = graded_folder(entry.path)
    elif entry.kind == "zip":
        if os.path.getsize(entry.path) > MAX_TOTAL:
            raise UnpackError("bomb", f"zip file larger than {MAX_TOTAL} bytes")
        safe_extract(os.fsdecode(entry.path), os.fsdecode(scratch))
        root = graded_folder(scratch)
    else:  # a single notebook holding every function
        if os.path.getsize(entry.path) > MAX_TOTAL:
            raise _Refused(f"notebook larger than {MAX_TOTAL} bytes",
                           f"O notebook tem mais de {MAX_TOTAL // 2**20} MB.")
        shutil.copyfile(entry.path, os.path.join(scratch, os.path.basename(entry.path)))
        root = scratch
    return root


# -- the run ------------------------------------------------------------------------

def run(submissions, out, jobs: int | None = None, seed: int = 0, limits: Limits | None = None, sandbox: str = "auto",
        stream=sys.stderr, feedback: str | None = None, view: "View | None" = None, ids: str | None = None) -> Summary:
    """Grade every entry of `submissions` into `out`; return a Summary. `ids`:
    an intake pattern (intake.PRESETS or a regex) for an LMS download."""
    started = time.monotonic()
    limits, view = limits or Limits(), view or View()
    submissions, out = Path(submissions), Path(out)
    if not submissions.is_dir() and not (ids and submissions.is_file()):
        raise BatchError(f"submissions folder not found: {submissions}")
    choose(sandbox)  # a sandbox that is asked for and missing stops the run before it starts
    manifest = manifest_module.load()
    adjustments, adjustment_problems = overrides.load(view.overrides, manifest) if view.overrides else ({}, [])
    for sub in (REPORTS, FEEDBACK, CODE):
        (out / sub).mkdir(parents=True, exist_ok=True)
    lock = _lock(out)
    try:
        for folder in (out, out / REPORTS, out / FEEDBACK, out / CODE):
            atomic.remove_partials(folder)
        shutil.rmtree(out / WORK, ignore_errors=True)  # left by a killed run
        (out / WORK).mkdir()
        intake_problems = []
        if ids:
            submissions, intake_problems = intake.collect(submissions, out / INTAKE, ids)
        entries, duplicated, problems = discover(submissions, out)
        summary = Summary(out, seed, outcomes=list(duplicated), problems=intake_problems + problems)
        inputs = grading_inputs_digest()

        todo = []
        for entry in entries:
            key = cache_key(entry_digest(entry), inputs, student_seed(seed, entry.student), limits, feedback)
            saved = _saved_report(out, entry.student, key)
            code = out / CODE / f"{entry.student}.txt"
            if saved is not None and code.exists():   # the code stays on disk, for the similarity check
                outcome = Outcome(entry.student, entry.name, report=saved, cached=True)
                summary.outcomes.append(outcome)
            else:
                todo.append((entry, key))
        for outcome in duplicated:
            _save(out, outcome, None, submissions)

        progress = Progress(len(todo), len(entries) - len(todo), stream)
        try:
            with contextlib.closing(_grade_all(todo, seed, limits, jobs, sandbox, out / WORK, feedback)) as results:
                for outcome, key in results:
                    _save(out, outcome, key, submissions)
                    outcome.code, outcome.fingerprint = "", b""   # saved: the parent does not hold a class's code
                    summary.outcomes.append(outcome)
                    progress.update(outcome)
        except KeyboardInterrupt:
            progress.close()
            summary.interrupted = True
            summary.seconds = time.monotonic() - started
            return summary  # what was graded is saved; the old gradebook stays whole
        progress.close()

        summary.outcomes.sort(key=lambda o: o.student)
        summary.outcomes = _adjusted(summary, adjustments, adjustment_problems)
        for outcome in summary.outcomes:   # the saved report and feedback show what the instructor adjusted
            _refresh(out, outcome)
        compared = _similar(out, summary.outcomes, view.similarity)
        atomic.write_atomic(out / GRADEBOOK, gradebook.gradebook_csv(summary.outcomes, manifest, view.csv))
        atomic.write_atomic(out / CLASS_REPORT, class_report.build(
            summary.outcomes, summary.problems, manifest, seed, lang=view.lang, similar=compared))
        summary.similar = compared
        summary.seconds = time.monotonic() - started
        atomic.write_json(out / RUN, _run_record(summary, limits, jobs))
        shutil.rmtree(out / WORK, ignore_errors=True)
        return summary
    finally:
        os.close(lock)


def _adjusted(summary, adjustments, problems):
    """The outcomes with the instructor's adjustments applied (a copy of each
    adjusted report), and a problem line for each adjustment that matched no one."""
    known = {o.student for o in summary.outcomes if o.report is not None}
    summary.problems += problems
    for student in sorted(set(adjustments) - known):
        summary.problems.append((student, "adjustment ignored: no graded student with this id"))
    return [dataclasses.replace(o, report=overrides.apply(o.report, adjustments.get(o.student)))
            if o.report is not None else o for o in summary.outcomes]


def _refresh(out, outcome):
    """Rewrite a student's report and feedback where they no longer say what
    this run shows (an adjustment added or taken back), or are missing."""
    path = out / REPORTS / f"{outcome.student}.json"
    if outcome.report is not None and _cacheable(outcome.report):
        text = json.dumps(outcome.report, ensure_ascii=False, indent=2) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            _save_feedback(out, outcome)
            atomic.write_atomic(path, text)
            return
    if not (out / FEEDBACK / f"{outcome.student}.md").exists():
        _save_feedback(out, outcome)


def _originals(report):
    return {o["item"]: (o["was"], o["reason"]) for o in report.get("overrides", [])}


def _similar(out, outcomes, threshold):
    # In a child process under limits, from the code files saved beside the reports.
    if threshold is None:
        return None
    manifest = manifest_module.load()
    students = [o.student for o in outcomes if gradebook.status_of(o)[0] in (gradebook.OK, gradebook.WITH_ERRORS)]
    return similarity.compare_saved(out / CODE, students, threshold, similarity.stub_code(manifest.modules))


def _lock(out):
    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BatchError(f"another batch run is writing to {out}") from None
    return fd


def _grade_all(todo, seed, limits, jobs, sandbox, workroot, feedback=None):
    """Yield (Outcome, key) as each entry finishes, in whatever order."""
    if not todo:
        return
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    # Each worker runs grade(), which starts its own sandboxed child per submission.
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
        futures = {pool.submit(grade_entry, entry, student_seed(seed, entry.student), limits, workroot,
                               sandbox, feedback): (entry, key) for entry, key in todo}
        try:
            for future in concurrent.futures.as_completed(futures):
                entry, key = futures[future]
                try:
                    outcome = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    outcome = Outcome(entry.student, entry.name,
                                      problem="a grading worker died (out of memory?); rerun to retry",
                                      feedback="Um erro interno do avaliador impediu a correção; "
                                      "o professor foi avisado.")
                yield outcome, key
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _saved_report(out, student, key):
    """The saved report as graded (the adjustments it shows are undone: they
    are applied again, from the overrides file, on every run)."""
    try:
        report = json.loads((out / REPORTS / f"{student}.json").read_text(encoding="utf-8"))
        if report.get("batch", {}).get("key") != key:
            return None
        originals = _originals(report)
        report.pop("overrides", None)
        for item in report["items"]:
            if item["id"] in originals:
                item["score"] = originals[item["id"]][0]
        report["score"] = round(sum(i["score"] for i in report["items"]), 2)
        return report
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None


def _cacheable(report):
    # An internal failure may not happen again: grade that student again next run.
    return not any(e["message"].startswith("internal:") for e in report["errors"])


def _save(out, outcome, key, submissions):
    """Code and feedback first, then the report: a report on disk means the student is done."""
    report_path = out / REPORTS / f"{outcome.student}.json"
    if outcome.report is not None:
        outcome.report["submission"] = str(submissions / outcome.entry)
        outcome.report["batch"] = {"student": outcome.student, "entry": outcome.entry, "key": key}
    if outcome.report is not None:   # empty too: a cached report needs its code beside it
        if outcome.fingerprint:
            atomic.write_atomic(out / CODE / f"{outcome.student}.npz", outcome.fingerprint)
        atomic.write_atomic(out / CODE / f"{outcome.student}.txt", outcome.code)
    _save_feedback(out, outcome)
    if outcome.report is not None and _cacheable(outcome.report):
        atomic.write_json(report_path, outcome.report)
    elif report_path.exists():
        report_path.unlink()  # an older report would contradict this run's gradebook


def _save_feedback(out, outcome):
    atomic.write_atomic(out / FEEDBACK / f"{outcome.student}.md", gradebook.feedback(outcome))


def _run_record(summary, limits, jobs):
    graded = [o for o in summary.outcomes if o.report is not None]
    return {"seed": summary.seed, "jobs": jobs or os.cpu_count(), "limits": dataclasses.asdict(limits),
            "students": len(summary.outcomes), "graded": len(graded),
            "from_cache": sum(o.cached for o in graded),
            "not_graded": [{"student": o.student, "entry": o.entry, "problem": o.problem}
                           for o in summary.outcomes if o.report is None],
            "skipped": [{"entry": e, "problem": m} for e, m in summary.problems],
            "seconds": round(summary.seconds, 1),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


# -- what the instructor sees while and after it runs --------------------------------

class Progress:
    """One line on stderr: done, remaining, elapsed; redrawn in place on a terminal."""

    def __init__(self, total, cached, stream):
        self.total, self.done, self.stream = total, 0, stream
        self.started = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        if cached or total:
            print(f"{cached} student(s) unchanged since the last run; {total} to grade.", file=stream)

    def update(self, outcome):
        self.done += 1
        elapsed = time.monotonic() - self.started
        result = (f"{format_score(outcome.report['score'])}/{format_score(outcome.report['max_score'])}"
                  if outcome.report else "not graded")
        line = (f"[{self.done}/{self.total}] {self.total - self.done} remaining, "
                f"{_clock(elapsed)} elapsed | {outcome.student}: {result}")
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self):
        if self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()


def _clock(seconds):
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def describe(summary):
    """The end-of-run summary, for stdout."""
    outcomes = summary.outcomes
    graded = [o for o in outcomes if o.report is not None]
    lines = []
    if summary.interrupted:
        lines.append(f"Interrupted: {len(graded)} student(s) graded and saved in {summary.out}; "
                     "rerun the same command to grade the rest. The gradebook was not rewritten.")
        return "\n".join(lines)
    if not outcomes and not summary.problems:
        lines.append("No submissions found: nothing to grade. The gradebook is empty.")
    else:
        cached = sum(o.cached for o in graded)
        lines.append(f"{len(outcomes)} student(s): {len(graded)} graded ({len(graded) - cached} now, "
                     f"{cached} unchanged), {len(outcomes) - len(graded)} not graded, "
                     f"in {summary.seconds:.1f} s (seed {summary.seed}).")
        worked = [o for o in graded if gradebook.status_of(o)[0] != gradebook.NOT_ATTEMPTED]
        if worked:
            mean = sum(o.report["score"] for o in worked) / len(worked)
            lines.append(f"Mean total {mean:.1f} / {format_score(worked[0].report['max_score'])} "
                         f"(over the {len(worked)} who attempted it).")
    notes = sorted({(o.report["sandbox"], o.report["sandbox_note"]) for o in graded
                    if not o.cached and o.report.get("sandbox_note")})
    lines += [f"Warning: graded with the '{kind}' sandbox ({note})." for kind, note in notes]
    issues = [f"  {entry}: {message}" for entry, message in summary.problems]
    for o in outcomes:
        status, message = gradebook.status_of(o)
        if status in (gradebook.NOT_GRADED, gradebook.WITH_ERRORS, gradebook.NOT_ATTEMPTED):
            issues.append(f"  {o.student} ({status}): {message}")
    if issues:
        lines.append(f"Problems ({len(issues)}):")
        lines += issues
    if summary.similar is not None and summary.similar.problem:
        lines.append(f"Similar submissions: not compared ({summary.similar.problem}).")
    if summary.similar is not None and summary.similar.pairs:
        more = (f", the {len(summary.similar.pairs)} most alike listed"
                if summary.similar.total > len(summary.similar.pairs) else "")
        lines.append(f"Similar submissions ({max(summary.similar.total, len(summary.similar.pairs))} pair(s) "
                     f"sharing {summary.similar.threshold:.0%} or more{more}; see the class report):")
        lines += [f"  {p.first} ~ {p.second}: {p.first_share:.0%} / {p.second_share:.0%}"
                  for p in summary.similar.pairs]
    lines.append(f"Wrote {summary.out / GRADEBOOK}, {summary.out / CLASS_REPORT}, "
                 f"{summary.out / REPORTS}/, {summary.out / FEEDBACK}/.")
    return "\n".join(lines)
