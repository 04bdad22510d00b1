"""The similarity check alone, at class scale (not a test; CI does not run it).

    python bench/similarity_bench.py [--students 1000] [--kind distinct|copies]

`distinct`: synthetic submissions nobody else wrote (tests/test_similarity.py's
generator, 20 functions each, about the size of a real hand-in) with a dozen
planted copies; `copies`: the reference solution and one-bug variants of it
(tests/mutants.py), as in bench/batch_bench.py's plain class, where nearly
every pair matches. The code files are written as `grader batch` saves them,
then compared the way it does (`similarity.compare_saved`: a child process
under its limits). Prints the date, the load, the time, the pairs, and the
child's peak resident memory.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from conftest import build_submission  # noqa: E402
from grader.classroom import similarity  # noqa: E402
from grader.manifest import load  # noqa: E402
from mutants import MUTANTS  # noqa: E402
from test_similarity import synthetic_class  # noqa: E402
from treememory import TreeMemory  # noqa: E402


def classes(kind, students, folder):
    modules = load().modules
    if kind == "distinct":   # 20 functions: about a real hand-in's length
        return synthetic_class(students, functions=20)
    codes = {}
    for i in range(students):
        m = None if i % 4 == 0 else MUTANTS[i % len(MUTANTS)]
        made = build_submission(folder / f"aluno{i:04d}", [] if m is None else [(m["file"], m["old"], m["new"])])
        codes[f"aluno{i:04d}"] = similarity.code_of(made, modules)
    return codes, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--kind", choices=("distinct", "copies"), default="distinct")
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="similarity-bench-") as tmp:
        codes, planted = classes(args.kind, args.students, Path(tmp) / "subs")
        (Path(tmp) / "code").mkdir()
        for student, code in codes.items():
            (Path(tmp) / "code" / f"{student}.txt").write_text(code, encoding="utf-8")
        load_before = os.getloadavg()[0]
        memory = TreeMemory(os.getpid())
        memory.start()
        started = time.monotonic()
        result = similarity.compare_saved(Path(tmp) / "code", sorted(codes), args.threshold,
                                          similarity.stub_code(load().modules))
        seconds = time.monotonic() - started
        memory.stop()
    child = memory.largest(lambda pid, cmd: "grader.classroom.similarity" in cmd)
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after (1 min); {os.cpu_count()} cores")
    print(f"{len(codes)} submissions ({args.kind}, {sum(map(len, codes.values())) // len(codes)} characters each "
          f"on average), threshold {args.threshold:g}")
    print(f"compared in {seconds:.1f} s; {result.total} pair(s) reach it, {len(result.pairs)} listed"
          + (f"; PROBLEM: {result.problem}" if result.problem else ""))
    if planted is not None:
        found = {(p.first, p.second) for p in result.pairs}
        print(f"planted copies found: {len(found & planted)} of {len(planted)}; other pairs: {len(found - planted)}")
    print(f"peak resident memory of the comparing child: {child / 2 ** 20:.0f} MB")


if __name__ == "__main__":
    main()
