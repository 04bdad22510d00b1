"""The similarity check at class scale: planted copies found among hundreds of
submissions through the index, the same answer as comparing every pair, a
bounded list however many pairs match, and refused files never read."""
import builtins
import io
import os
import random
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import build_submission
from grader.classroom import batch, similarity, similarity_index
from grader.manifest import load

RENAMES = {"total": "acumulado", "valor": "quantia", "passo": "incremento", "lista": "itens"}


def synthetic(rng, functions=6):
    """A small program nobody else writes: random arithmetic, loops and branches."""
    lines = []
    for f in range(functions):
        lines.append(f"def f{f}(lista, passo):")
        lines.append("    total = 0")
        for _ in range(rng.randint(3, 6)):
            a, b, op = rng.randint(2, 999), rng.randint(2, 999), rng.choice("+-*")
            shape = rng.randrange(4)
            if shape == 0:
                lines.append(f"    for valor in lista:\n        total = total {op} valor * {a} + {b}")
            elif shape == 1:
                lines.append(f"    if total > {a}:\n        total = total // {b} {op} passo")
            elif shape == 2:
                lines.append(f"    while total < {a}:\n        total += passo {op} {b}")
            else:
                lines.append(f"    total = [total {op} {a} for _ in range({b})][-1]")
        lines.append("    return total\n")
    return "\n".join(lines)


def renamed(code):
    for old, new in RENAMES.items():
        code = code.replace(old, new)
    return code


def synthetic_class(size, seed=7, functions=6):
    """({student: code}, {planted pair}): exact copies, renamed copies and
    copies of half a classmate's code."""
    rng = random.Random(seed)
    codes = {f"s{i:04d}": synthetic(rng, functions) for i in range(size)}
    planted = set()
    for n, (source, target) in enumerate(zip(*(rng.sample(sorted(codes), min(12, size)) for _ in "ab"))):
        if source == target:
            continue
        copy = f"copia{n:02d}"
        if n % 3 == 0:
            codes[copy] = codes[source]
        elif n % 3 == 1:
            codes[copy] = renamed(codes[source])
        else:   # half of the source's functions: the copy is all in the source, not the other way
            codes[copy] = "\ndef ".join(codes[source].split("\ndef ")[:functions // 2])
        planted.add(tuple(sorted((source, copy))))
    return codes, planted


def test_planted_copies_are_found_among_hundreds_through_the_index():
    codes, planted = synthetic_class(300)
    assert len(codes) > similarity_index.BRUTE_FORCE   # the index is what finds them
    started = time.monotonic()
    result = similarity.compare(codes, 0.8)
    seconds = time.monotonic() - started
    assert {(p.first, p.second) for p in result.pairs} == planted
    assert result.total == len(planted)
    assert all(p.passages for p in result.pairs)
    assert seconds < 120, seconds   # about 5 s on a quiet 2-core machine; generous for a loaded one


def test_the_index_gives_what_comparing_every_pair_gives(monkeypatch):
    codes, planted = synthetic_class(120, seed=3)
    for threshold in (0.5, 0.8):
        indexed = similarity.compare(codes, threshold)
        monkeypatch.setattr(similarity_index, "BRUTE_FORCE", 10 ** 6)
        every = similarity.compare(codes, threshold)
        monkeypatch.undo()
        assert [(p.first, p.second, p.first_share, p.second_share) for p in indexed.pairs] == \
               [(p.first, p.second, p.first_share, p.second_share) for p in every.pairs]
        assert indexed.total == every.total >= len(planted)


def test_the_measure_is_copydetects(monkeypatch):
    # copydetect's own measure, given the same k-gram hash (its own is salted per process).
    import copydetect.utils
    from copydetect import CodeFingerprint, compare_files
    monkeypatch.setattr(copydetect.utils, "hashed_kgrams", similarity_index.kgram_hashes)
    codes, _ = synthetic_class(6, seed=5)
    stub = synthetic(random.Random(1), functions=2)
    common = similarity_index.boilerplate_hashes(stub)
    full_common = list(CodeFingerprint("stubs.py", 25, 6, fp=io.StringIO(stub)).hashes)
    names = sorted(codes)
    codes[names[1]] = codes[names[0]].split("\ndef ")[0] + "\n" + codes[names[1]]   # a partial overlap
    for a in names:
        for b in names:
            mine = similarity_index.shares(similarity_index.fingerprint(codes[a], common),
                                           similarity_index.fingerprint(codes[b], common))
            full = [CodeFingerprint(f"{s}.py", 25, 6, boilerplate=full_common, fp=io.StringIO(codes[s]))
                    for s in (a, b)]
            _, theirs, slices = compare_files(*full)
            assert mine == (float(theirs[0]), float(theirs[1])), (a, b)
            passages = similarity_index.copied_slices(*(similarity_index.fingerprint(codes[s], common, offsets=True)
                                                       for s in (a, b)))
            assert all((np.asarray(x) == np.asarray(y)).all() for x, y in zip(passages, slices)), (a, b)


def test_the_same_class_gives_the_same_pairs_in_every_process(tmp_path):
    # Python's hash() is salted per process: copydetect's fingerprints were not repeatable.
    codes, _ = synthetic_class(8, seed=2)
    (tmp_path / "code.txt").write_text(codes["s0000"], encoding="utf-8")
    script = ("import sys; from grader.classroom import similarity_index as s; "
              "print(s.fingerprint(open(sys.argv[1]).read()).hashes.tolist())")
    seen = {subprocess.run([sys.executable, "-c", script, str(tmp_path / "code.txt")], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(seen) == 1 and len(seen.pop()) > 100


def test_a_class_of_copies_is_counted_in_full_and_listed_in_part():
    one = synthetic(random.Random(11))
    codes = {f"s{i:03d}": one for i in range(400)}   # 79,800 identical pairs
    codes["diferente"] = synthetic(random.Random(12))
    started = time.monotonic()
    result = similarity.compare(codes, 0.8)
    assert time.monotonic() - started < 60
    assert result.total == 400 * 399 // 2
    assert len(result.pairs) == similarity.LISTED
    assert [(p.first, p.second) for p in result.pairs[:2]] == [("s000", "s001"), ("s000", "s002")]
    assert all("diferente" not in (p.first, p.second) for p in result.pairs)


def test_the_saved_code_is_compared_in_a_limited_child(tmp_path):
    codes, planted = synthetic_class(60, seed=9)
    for student, code in codes.items():
        (tmp_path / f"{student}.txt").write_text(code, encoding="utf-8")
    result = similarity.compare_saved(tmp_path, sorted(codes), 0.8)
    assert not result.problem
    assert {(p.first, p.second) for p in result.pairs} == planted
    starved = similarity.compare_saved(tmp_path, sorted(codes), 0.8, memory_mb=64)
    assert starved.pairs == [] and "limit 64 MB" in starved.problem   # a clear line, not a dead batch
    late = similarity.compare_saved(tmp_path, sorted(codes), 0.8, timeout=0.01)
    assert late.pairs == [] and "stopped" in late.problem


def big_module(path, size=4 * 1024 * 1024):
    line = "x_{} = [i * 3 + 1 for i in range(10) if i % 2]\n"
    text, n = [], 0
    while n < size:
        text.append(line.format(len(text)))
        n += len(text[-1])
    path.write_text("".join(text), encoding="utf-8")


def test_a_refused_file_is_never_read_for_similarity(tmp_path, monkeypatch):
    folder = build_submission(tmp_path / "ana")
    big_module(folder / "value.py")
    opened = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    code = similarity.code_of(folder, load().modules)
    monkeypatch.undo()
    assert not any(name.endswith("value.py") for name in opened)
    assert any(name.endswith("losses.py") for name in opened)
    assert "x_1 = " not in code and "def mse" in code


@pytest.mark.parametrize("kind", ["folder", "zip"])
def test_a_refused_4_mib_module_costs_the_batch_nothing(tmp_path, kind):
    subs = tmp_path / "subs"
    for student in ("ana", "bia"):
        build_submission(subs / student)
    big_module(subs / "ana" / "value.py")
    if kind == "zip":
        import shutil
        shutil.make_archive(str(subs / "ana"), "zip", subs / "ana")
        shutil.rmtree(subs / "ana")
    started = time.monotonic()
    summary = batch.run(subs, tmp_path / "out", jobs=1, stream=io.StringIO())
    seconds = time.monotonic() - started
    saved = (tmp_path / "out" / "code" / "ana.txt").read_text(encoding="utf-8")
    assert "x_1 = " not in saved and len(saved) < 100_000   # the refused module never reached the check
    assert summary.similar is not None and not summary.similar.problem
    # Before: 53 s and 508 MB in the batch's own process for this one file.
    assert seconds < 120, seconds


def _address_space_limit(entry, *args, **kwargs):
    # Stands in for batch.grade_entry in a worker: says what limit the worker runs under.
    import resource
    return batch.Outcome(entry.student, entry.name, problem=str(resource.getrlimit(resource.RLIMIT_AS)[0]))


def test_the_batch_workers_run_under_a_memory_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "grade_entry", _address_space_limit)   # the pool's workers are forked from here
    for student in ("ana", "bia"):
        build_submission(tmp_path / "subs" / student)
    summary = batch.run(tmp_path / "subs", tmp_path / "out", jobs=2, stream=io.StringIO())
    assert [o.problem for o in summary.outcomes] == [str(batch.WORKER_MEMORY_MB * 2 ** 20)] * 2


def test_fingerprints_saved_by_the_workers_are_used_only_for_their_own_code(tmp_path, monkeypatch):
    codes, planted = synthetic_class(60, seed=4)
    for student, code in codes.items():
        (tmp_path / f"{student}.txt").write_text(code, encoding="utf-8")
        (tmp_path / f"{student}.npz").write_bytes(similarity.print_bytes(code, ""))
    victim = next(iter(sorted(planted)))[0]
    # A fingerprint left from an older code must not stand for the new code.
    (tmp_path / f"{victim}.npz").write_bytes(similarity.print_bytes(synthetic(random.Random(99)), ""))
    saved = similarity.compare_saved(tmp_path, sorted(codes), 0.8)
    assert {(p.first, p.second) for p in saved.pairs} == planted
    fresh = similarity.compare(codes, 0.8)
    assert [(p.first, p.second, p.first_share, p.second_share, p.passages) for p in saved.pairs] == \
           [(p.first, p.second, p.first_share, p.second_share, p.passages) for p in fresh.pairs]
    loaded = []
    real = similarity._load_print
    monkeypatch.setattr(similarity, "_load_print", lambda path, key: loaded.append(path) or real(path, key))
    similarity._compare(lambda s: codes[s], sorted(codes), 0.8, "",
                        lambda s, key: similarity._load_print(tmp_path / f"{s}.npz", key))
    assert len(loaded) == len(set(codes.values()))   # each code's print loaded, none recomputed but the victim's


def test_the_batch_saves_each_students_fingerprints(tmp_path):
    for student in ("ana", "bia"):
        build_submission(tmp_path / "subs" / student)
    summary = batch.run(tmp_path / "subs", tmp_path / "out", jobs=1, stream=io.StringIO())
    for student in ("ana", "bia"):
        code = (tmp_path / "out" / "code" / f"{student}.txt").read_text(encoding="utf-8")
        key = similarity.print_key(code, similarity.stub_code(load().modules))
        assert similarity._load_print(tmp_path / "out" / "code" / f"{student}.npz", key) is not None
    assert [(p.first, p.second) for p in summary.similar.pairs] == [("ana", "bia")]
