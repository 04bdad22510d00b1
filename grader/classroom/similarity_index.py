"""Which pairs of a class are worth comparing in detail, without comparing
every pair: the same fingerprints copydetect computes (winnowed k-gram hashes
of the filtered code, the stubs removed), kept as compact arrays, and

1. identical fingerprints grouped first (a class of copies of one solution is
   one comparison, not n²/2);
2. for the distinct ones, candidates from a MinHash LSH Ensemble index
   (datasketch), which answers "which sets contain at least this share of
   mine?" in time sublinear in the class, built once;
3. for each candidate pair only, copydetect's own measure (the share of each
   side's tokens covered by the fingerprints they share), computed exactly as
   `copydetect.compare_files` does, from arrays instead of Python sets and
   dicts (a tenth of the memory, so a class of 1,000 fits in tens of MB).

The pairs above the threshold are counted in full and only the most alike
`limit` are kept, so memory does not grow with the number of pairs either.
"""
import heapq
from dataclasses import dataclass

import numpy as np

NOISE, GUARANTEE = 25, 30   # copydetect's defaults: k-grams of 25, every match of 30 found
WINDOW = GUARANTEE - NOISE + 1
# Below this many distinct fingerprints, comparing every pair is cheaper than
# building the index (and exact).
BRUTE_FORCE = 48
# The index looks for sets sharing this share of the threshold in hashes, and
# weighs a missed pair 4 times a needless check: the exact measure (in tokens)
# then decides. On the example class a pair's share of hashes was never below
# 0.39 times its share of tokens; lower finds more and checks more.
SLACK, WEIGHTS = 0.4, (0.2, 0.8)
PERMUTATIONS = 128


@dataclass
class Print:
    """One submission's fingerprints: hashes (sorted, unique), the positions in
    the filtered code where hashes[i] occurs (idx[starts[i]:starts[i + 1]]),
    and the number of tokens they cover (copydetect's token_coverage)."""
    hashes: np.ndarray
    starts: np.ndarray
    idx: np.ndarray
    coverage: float

    def key(self):
        return (self.hashes.tobytes(), self.starts.tobytes(), self.idx.tobytes(), float(self.coverage))


def kgram_hashes(string, k):
    """A hash of every k-gram of `string`, the same in every process.
    copydetect's own (copydetect.utils.hashed_kgrams) is Python's hash(), salted
    per process: the same class gave other pairs near the threshold on each run,
    and fingerprints could not be kept. Here: a polynomial hash of the code
    points modulo 2**64, then mixed (splitmix64's finaliser), all in numpy."""
    points = np.frombuffer(string.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(points) - k + 1
    if n <= 0:
        return np.array([], dtype=np.int64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _BASE + points[j:j + n]
        h ^= h >> np.uint64(30)
        h *= _MIX
        h ^= h >> np.uint64(31)
    return h.view(np.int64)


_BASE, _MIX = np.uint64(0x100000001B3), np.uint64(0xBF58476D1CE4E5B9)


def _document_fingerprints(filtered, boilerplate):
    # copydetect.utils.get_document_fingerprints, step for step, with kgram_hashes.
    from copydetect.utils import winnow
    hashes, idx = winnow(kgram_hashes(filtered, NOISE), window_size=WINDOW, remove_duplicates=False)
    if len(boilerplate) > 0:
        _, overlap_idx, _ = np.intersect1d(hashes, boilerplate, return_indices=True, assume_unique=True)
        idx = np.delete(idx, overlap_idx)
        hashes = np.delete(hashes, overlap_idx)
    return hashes, idx


def fingerprint(code, boilerplate=(), offsets=False):
    """Print of `code` (Python source), the hashes in `boilerplate` left out;
    with offsets=True, (Print, copydetect's offsets to map back to `code`)."""
    from copydetect.utils import filter_code
    filtered, shifts = filter_code(code, "code.py")
    hashes, idx = _document_fingerprints(filtered, np.asarray(boilerplate, dtype=np.int64))
    order = np.argsort(hashes, kind="stable")
    unique, starts = np.unique(hashes[order], return_index=True)
    covered = np.zeros(len(filtered), dtype=bool)   # copydetect.utils.get_token_coverage
    for offset in range(NOISE):
        covered[idx + offset] = True
    made = Print(unique.astype(np.int64), np.append(starts, len(order)).astype(np.int64),
                 idx[order].astype(np.int64), float(covered.sum()) if len(filtered) else 0.0)
    return (made, shifts) if offsets else made


def boilerplate_hashes(code):
    """The hashes of the code every student was given (copydetect's `boilerplate`)."""
    from copydetect.utils import filter_code
    hashes, _ = _document_fingerprints(filter_code(code, "stubs.py")[0], ())
    return np.unique(hashes)


def copied_slices(a, b):
    """Where the fingerprints a and b share lie, in each one's raw code:
    (slices of a, slices of b), as copydetect.compare_files gives them.
    a and b are (Print, offsets) from fingerprint(..., offsets=True)."""
    from copydetect.utils import get_copied_slices
    _, ia, ib = np.intersect1d(a[0].hashes, b[0].hashes, assume_unique=True, return_indices=True)
    out = []
    for (p, shifts), sel in ((a, ia), (b, ib)):
        slices = get_copied_slices(_positions(p, sel), NOISE)
        if len(shifts) > 0 and len(slices[0]):
            slices = slices + shifts[:, 1][np.clip(np.searchsorted(shifts[:, 0], slices), 0, shifts.shape[0] - 1)]
        out.append(slices)
    return out[0], out[1]


def shares(a, b):
    """(share of a, share of b): copydetect.compare_files' similarities."""
    from copydetect.utils import get_copied_slices
    _, ia, ib = np.intersect1d(a.hashes, b.hashes, assume_unique=True, return_indices=True)
    if not len(ia):
        return 0.0, 0.0
    out = []
    for p, sel in ((a, ia), (b, ib)):
        slices = get_copied_slices(_positions(p, sel), NOISE)
        out.append(float(np.sum(slices[1] - slices[0]) / p.coverage) if p.coverage else 0.0)
    return out[0], out[1]


def _positions(p, sel):
    # idx[starts[i]:starts[i + 1]] for every i in sel, concatenated, without a Python loop.
    lo, hi = p.starts[sel], p.starts[sel + 1]
    lengths = hi - lo
    offsets = np.repeat(lo - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return p.idx[np.arange(lengths.sum()) + offsets]


def similar_pairs(prints, threshold, limit):
    """(the `limit` most alike pairs [(first, second, share of first, share of
    second)], most alike first, then by name; how many pairs reach `threshold`
    in all) for prints = {student: Print}. A pair reaches it when either side
    shares at least `threshold` of its code."""
    groups = {}
    for student in sorted(prints):
        if len(prints[student].hashes):
            groups.setdefault(prints[student].key(), []).append(student)
    reps = [(members[0], members) for members in groups.values()]
    found = []   # (members of one, members of other or None for within one, share of one, share of other)
    for rep, members in reps:
        if len(members) > 1:
            s, _ = shares(prints[rep], prints[rep])
            if s >= threshold:
                found.append((members, None, s, s))
    for i, j in _candidates([prints[rep] for rep, _ in reps], threshold):
        s_i, s_j = shares(prints[reps[i][0]], prints[reps[j][0]])
        if max(s_i, s_j) >= threshold:
            found.append((reps[i][1], reps[j][1], s_i, s_j))
    total = sum(len(one) * (len(one) - 1) // 2 if other is None else len(one) * len(other)
                for one, other, _, _ in found)
    best = heapq.nsmallest(limit, _expand(found), key=lambda p: (-max(p[2], p[3]), p[0], p[1]))
    return best, total


def _expand(found):
    for one, other, s_one, s_other in found:
        if other is None:
            for i, a in enumerate(one):
                for b in one[i + 1:]:
                    yield (a, b, s_one, s_one)
        else:
            for a in one:
                for b in other:
                    yield (a, b, s_one, s_other) if a < b else (b, a, s_other, s_one)


def _candidates(prints, threshold):
    """Index pairs (i < j) of `prints` that may reach the threshold."""
    n = len(prints)
    if n <= BRUTE_FORCE:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    from datasketch import MinHash, MinHashLSHEnsemble
    # The hashes are already hashes: MinHash only has to permute them (32 bits are enough).
    sketches = []
    for p in prints:
        m = MinHash(num_perm=PERMUTATIONS, hashfunc=_identity, seed=1)
        m.update_batch(p.hashes & 0xFFFFFFFF)
        sketches.append(m)
    index = MinHashLSHEnsemble(threshold=max(0.05, threshold * SLACK), num_perm=PERMUTATIONS, num_part=8,
                               weights=WEIGHTS)
    index.index([(i, sketches[i], len(p.hashes)) for i, p in enumerate(prints)])
    pairs = set()
    for i, p in enumerate(prints):   # i's share found in j: both directions are queried
        for j in index.query(sketches[i], len(p.hashes)):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def _identity(x):
    return int(x)
