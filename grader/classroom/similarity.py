"""Which submissions of a class look alike: copydetect's fingerprints (MOSS's
winnowing over tokens in which names become placeholders, so renaming
variables hides nothing), with the released stubs as boilerplate, so the code
every student was given does not count. It never changes a score: the class
report lists the pairs above a threshold with their shared passages, for a
human to read.

Cost: reading and fingerprinting is linear in the class's code; the pairs are
found through an index (grader/classroom/similarity_index.py), not by comparing every
pair; only the most alike `LISTED` pairs are kept and given passages. `grader
batch` runs it in a child process under a memory and a time limit
(`compare_saved`), reading the code files the workers saved, which hold only
what grading accepted (inputs.py's caps): a refused file is never read here.
"""
import hashlib
import io
import json
import os
import resource
import subprocess
import sys
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import similarity_index
from ..judge import course
from ..judge.inputs import MAX_NOTEBOOK, MAX_SOURCE, unsafe
from ..judge.notebooks import NotebookError, read_code_cells

PASSAGES = 5                # shared passages shown per pair, the longest first
LISTED = 100                # pairs listed (with passages) at most, the most alike first
# The child that compares a class: its address space and its wall time. A class of
# 1,000 needs about 150 MB and well under a minute (README, Performance).
MEMORY_MB, TIMEOUT = 1024, 600


@dataclass
class Pair:
    first: str
    second: str
    first_share: float      # share of the first's code found in the second's
    second_share: float
    passages: list = field(default_factory=list)   # [(text in first, text in second)]


@dataclass
class Result:
    threshold: float
    pairs: list = field(default_factory=list)
    problem: str = ""       # why nothing was compared, if nothing was
    total: int = 0          # pairs reaching the threshold, listed or not


def code_of(folder, modules):
    """The student's code as one text: each module's .py, else the code cells
    of its notebook, and the code of any other notebook (a combined one).
    What grading refuses (a link, a file over the cap) is not read at all."""
    folder = Path(folder)
    parts, handed_in = [], set()
    for name in modules:
        path = folder / f"{name}.py"
        if path.is_file() and not unsafe(path, MAX_SOURCE):
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
            handed_in.add(name)
    for path in sorted(folder.glob("*.ipynb")):
        if path.stem not in handed_in and not unsafe(path, MAX_NOTEBOOK):
            try:
                cells = [text for _, text in read_code_cells(path)]
            except NotebookError:
                continue
            if sum(len(text) for text in cells) <= MAX_SOURCE:
                parts += cells
    return "\n\n".join(parts)


@lru_cache(maxsize=4)
def stub_code(modules):
    """The code every student was handed (the stubs, from a checkout or the installed kit), or ''."""
    stubs = course.folder()
    if stubs is None:
        return ""
    return "\n\n".join((stubs / f"{m}.py").read_text(encoding="utf-8") for m in modules
                       if (stubs / f"{m}.py").is_file())


def compare(codes, threshold=0.8, boilerplate=""):
    """Result for {student: code}: the pairs where either side shares at least
    `threshold` of its code with the other, most alike first."""
    return _compare(lambda student: codes[student], sorted(codes), threshold, boilerplate)


def _compare(read, students, threshold, boilerplate, saved=lambda student, key: None):
    try:
        import copydetect  # noqa: F401
    except ImportError:
        return Result(threshold, problem="copydetect is not installed (pip install copydetect)")
    common = _boilerplate(boilerplate)
    prints, seen = {}, {}
    for student in students:   # one code in memory at a time: only its fingerprints stay
        code = read(student)
        if code.strip():   # the same code (copies of one solution) is fingerprinted once
            key = print_key(code, boilerplate)
            if key not in seen:   # saved by the batch's worker, or made here
                seen[key] = saved(student, key) or similarity_index.fingerprint(code, common)
            prints[student] = seen[key]
    best, total = similarity_index.similar_pairs(prints, threshold, LISTED)
    del prints, seen
    passages = _Passages(read, common)
    pairs = [Pair(a, b, share_a, share_b, passages(a, b)) for a, b, share_a, share_b in best]
    return Result(threshold, pairs, total=total)


class _Passages:
    """Shared passages of a listed pair, from the two codes read again; the
    fingerprints of a few codes are kept (the listed pairs often share a
    student, or are copies of one code)."""

    def __init__(self, read, common, keep=8):
        self.read, self.common, self.keep, self.cache = read, common, keep, OrderedDict()

    def full(self, student):
        code = self.read(student)
        digest = hashlib.sha256(code.encode("utf-8", "replace")).digest()
        if digest not in self.cache:
            self.cache[digest] = similarity_index.fingerprint(code, self.common, offsets=True)
            if len(self.cache) > self.keep:
                self.cache.popitem(last=False)
        self.cache.move_to_end(digest)
        return code, self.cache[digest]

    def __call__(self, a, b):
        (code_a, first), (code_b, second) = self.full(a), self.full(b)
        slices_a, slices_b = similarity_index.copied_slices(first, second)
        return _passages(code_a, slices_a, code_b, slices_b)


# -- fingerprints computed where the code is read (the batch's workers) ------------------

PRINT_VERSION = b"similarity_index 1"   # part of a saved fingerprint's key: change it with the algorithm


def print_key(code, boilerplate):
    """What a fingerprint depends on: the algorithm, the stubs, the code."""
    digest = hashlib.sha256(PRINT_VERSION + b"\0")
    for text in (boilerplate, code):
        digest.update(hashlib.sha256(text.encode("utf-8", "replace")).digest())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _boilerplate(text):
    return similarity_index.boilerplate_hashes(text) if text else ()


@lru_cache(maxsize=64)   # a worker meets the same code again: untouched stubs, copies
def print_bytes(code, boilerplate):
    """The fingerprint of `code` as .npz bytes, to save beside the code (b'' for
    no code): a batch worker computes it, in parallel with the others, and a
    rerun finds it; the comparing child then only loads it."""
    if not code.strip():
        return b""
    _light_copydetect()
    try:
        made = similarity_index.fingerprint(code, _boilerplate(boilerplate))
    except Exception:  # noqa: BLE001 - never a student's grade for this: the comparing child tries again
        return b""
    out = io.BytesIO()
    np.savez(out, hashes=made.hashes, starts=made.starts, idx=made.idx, coverage=np.float64(made.coverage),
             key=np.array(print_key(code, boilerplate)))
    return out.getvalue()


def _load_print(path, key):
    """The saved fingerprint at `path` if it was made for `key`, else None."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            if str(saved["key"]) != key:
                return None
            return similarity_index.Print(saved["hashes"], saved["starts"], saved["idx"], float(saved["coverage"]))
    except (OSError, ValueError, KeyError):
        return None


def _passages(code_a, slices_a, code_b, slices_b):
    spans_a = sorted(zip(slices_a[0], slices_a[1], strict=True), key=lambda s: s[0] - s[1])[:PASSAGES]
    spans_b = sorted(zip(slices_b[0], slices_b[1], strict=True), key=lambda s: s[0] - s[1])[:PASSAGES]
    # The longest passages of each side, paired by length: copydetect matches fingerprints, not passages.
    return [(code_a[int(a0):int(a1)], code_b[int(b0):int(b1)])
            for (a0, a1), (b0, b1) in zip(spans_a, spans_b, strict=False)]


# -- in a child process, for grader batch --------------------------------------------

def compare_saved(folder, students, threshold=0.8, boilerplate="", memory_mb=MEMORY_MB, timeout=TIMEOUT):
    """Result for the code files folder/<student>.txt, compared in a child
    process limited to `memory_mb` of address space and `timeout` seconds: a
    class too big for the limits gets a Result that says so, never a dead batch."""
    request = json.dumps({"folder": os.fspath(folder), "students": list(students), "threshold": threshold,
                          "boilerplate": boilerplate})
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}   # no thread pools to reserve
    try:
        done = subprocess.run([sys.executable, "-m", "grader.classroom.similarity"], input=request, capture_output=True,
                              text=True, timeout=timeout, env=env, cwd=Path(__file__).resolve().parents[2],
                              preexec_fn=lambda: _limit(memory_mb))
    except subprocess.TimeoutExpired:
        return Result(threshold, problem=f"the comparison took more than {timeout:g} s and was stopped")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return Result(threshold, problem=f"the comparison failed (limit {memory_mb} MB): {last[:300]}")
    answer = json.loads(done.stdout)
    return Result(threshold, [Pair(p["first"], p["second"], p["first_share"], p["second_share"],
                                   [tuple(x) for x in p["passages"]]) for p in answer["pairs"]],
                  answer["problem"], answer["total"])


def _limit(memory_mb):
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2 ** 20, memory_mb * 2 ** 20))


def _read_saved(folder):
    def read(student):
        path = Path(folder) / f"{student}.txt"
        # The workers saved at most the capped modules; anything bigger was not written by them.
        if unsafe(path, 8 * MAX_SOURCE):
            return ""
        return path.read_text(encoding="utf-8", errors="replace")
    return read


def _light_copydetect():
    # copydetect's __init__ imports its HTML report builder (matplotlib, jinja2, tqdm):
    # 40 MB of this child's memory for nothing. Its tokenizer and winnowing
    # (copydetect.utils) are all that is used: load the package without its __init__.
    import importlib.util
    import types
    if "copydetect" in sys.modules:
        return
    spec = importlib.util.find_spec("copydetect")
    if spec is not None and spec.submodule_search_locations:
        package = types.ModuleType("copydetect")
        package.__path__ = list(spec.submodule_search_locations)
        sys.modules["copydetect"] = package


def main():
    _light_copydetect()
    request = json.load(sys.stdin)
    folder = Path(request["folder"])
    result = _compare(_read_saved(folder), sorted(request["students"]), request["threshold"],
                      request["boilerplate"], lambda student, key: _load_print(folder / f"{student}.npz", key))
    json.dump(asdict(result), sys.stdout)


if __name__ == "__main__":
    main()
