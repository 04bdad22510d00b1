"""Which submissions of a class look alike: copydetect (MOSS's winnowing over
tokens in which names become placeholders, so renaming variables hides
nothing), with the released stubs as boilerplate, so the code every student
was given does not count. It never changes a score: the class report lists
the pairs above a threshold with their shared passages, for a human to read.
"""
import io
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from .notebooks import NotebookError, read_code_cells

NOISE, GUARANTEE = 25, 30   # copydetect's defaults: k-grams of 25, every match of 30 found
PASSAGES = 5                # shared passages shown per pair, the longest first
STUBS = Path(__file__).resolve().parent.parent / "exercises"


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


def code_of(folder, modules):
    """The student's code as one text: each module's .py, else the code cells
    of its notebook, and the code of any other notebook (a combined one)."""
    folder = Path(folder)
    parts, handed_in = [], set()
    for name in modules:
        path = folder / f"{name}.py"
        if path.is_file() and not path.is_symlink():
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
            handed_in.add(name)
    for path in sorted(folder.glob("*.ipynb")):
        if path.is_file() and not path.is_symlink() and path.stem not in handed_in:
            try:
                parts += [text for _, text in read_code_cells(path)]
            except NotebookError:
                pass
    return "\n\n".join(parts)


def stub_code(modules):
    """The code every student was handed (the stubs), or '' outside a checkout."""
    return "\n\n".join((STUBS / f"{m}.py").read_text(encoding="utf-8") for m in modules
                       if (STUBS / f"{m}.py").is_file())


def compare(codes, threshold=0.8, boilerplate=""):
    """Result for {student: code}: the pairs where either side shares at least
    `threshold` of its code with the other, most alike first."""
    try:
        from copydetect import CodeFingerprint, compare_files
    except ImportError:
        return Result(threshold, problem="copydetect is not installed (pip install copydetect)")
    window = GUARANTEE - NOISE + 1
    common = CodeFingerprint("stubs.py", NOISE, window, fp=io.StringIO(boilerplate)) if boilerplate else None
    ignored = list(common.hashes) if common else []
    prints = {}
    for student, code in sorted(codes.items()):
        if code.strip():
            prints[student] = CodeFingerprint(f"{student}.py", NOISE, window, boilerplate=ignored,
                                              fp=io.StringIO(code))
    pairs = []
    for a, b in combinations(sorted(prints), 2):
        overlap, (share_a, share_b), (slices_a, slices_b) = compare_files(prints[a], prints[b])
        if overlap and max(share_a, share_b) >= threshold:
            pairs.append(Pair(a, b, float(share_a), float(share_b),
                              _passages(prints[a].raw_code, slices_a, prints[b].raw_code, slices_b)))
    pairs.sort(key=lambda p: (-max(p.first_share, p.second_share), p.first, p.second))
    return Result(threshold, pairs)


def _passages(code_a, slices_a, code_b, slices_b):
    spans_a = sorted(zip(slices_a[0], slices_a[1], strict=True), key=lambda s: s[0] - s[1])[:PASSAGES]
    spans_b = sorted(zip(slices_b[0], slices_b[1], strict=True), key=lambda s: s[0] - s[1])[:PASSAGES]
    # The longest passages of each side, paired by length: copydetect matches fingerprints, not passages.
    return [(code_a[int(a0):int(a1)], code_b[int(b0):int(b1)])
            for (a0, a1), (b0, b1) in zip(spans_a, spans_b, strict=False)]
