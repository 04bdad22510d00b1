"""Benchmark `grader batch` on a generated class (not a test; CI does not run it).

    python bench/batch_bench.py [--students 100] [--jobs N] [--call-timeout 2]
                                [--mix mixed|plain] [--similarity 0.8] [--no-rerun]

The class (`--mix mixed`) mixes correct submissions, one-bug submissions
(tests/mutants.py) and hostile ones (loops, crashes, huge allocations), as
folders and as zips; `--mix plain` is bench/compare.py's class, a quarter
correct and the rest one bug each, no hostile one. It prints the date and
the machine's load, submissions per second, the median and slowest time per
submission, the peak resident memory of the whole process tree (this
process, the batch's workers, the sandboxed children, the similarity
check's child: sampled from /proc every 50 ms) and of its parts, then reruns
the same class to time a run with nothing changed.
"""
import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from conftest import build_submission  # noqa: E402  (the kit's own test helpers)
from grader.classroom import batch, similarity  # noqa: E402
from grader.judge.student_process import Limits  # noqa: E402
from mutants import MUTANTS  # noqa: E402
from treememory import TreeMemory  # noqa: E402

# (file, text appended): each costs the student time or points, never the grader.
HOSTILE = [
    ("losses.py", "\ndef choose_loss(task):\n    while True:\n        pass\n"),
    ("losses.py", "\nwhile True:\n    pass\n"),
    ("derivatives.py", "\nimport sys\nsys.exit(0)\n"),
    ("losses.py", "\ndef softmax(logits):\n    import os\n    os._exit(0)\n"),
    ("losses.py", "\ndef mse(y_true, y_pred):\n    return len(bytearray(8 * 1024 ** 3))\n"),
    ("value.py", "\ndef broken(:\n"),
    ("derivatives.py", "\ndef chain_rule(f_prime, g_prime, g, x):\n"
                       "    return chain_rule(f_prime, g_prime, g, x)\n"),
]
SHARE = {"correct": 0.40, "buggy": 0.45}   # the rest is hostile


def make_class(folder, students, mix="mixed"):
    """Write `students` entries into folder; return {student: kind}."""
    kinds = {}
    n_correct = round(students * SHARE["correct"])
    n_buggy = round(students * SHARE["buggy"])
    if mix == "plain":   # bench/compare.py's class: a quarter correct, the rest one bug
        n_correct, n_buggy = round(students / 4), students - round(students / 4)
    for i in range(students):
        student = f"aluno{i:03d}"
        work = folder / ".build" / student
        if i < n_correct:
            build_submission(work)
            kinds[student] = "correct"
        elif i < n_correct + n_buggy:
            m = MUTANTS[(i - n_correct) % len(MUTANTS)]
            build_submission(work, [(m["file"], m["old"], m["new"])])
            kinds[student] = "buggy"
        else:
            filename, text = HOSTILE[(i - n_correct - n_buggy) % len(HOSTILE)]
            build_submission(work)
            with open(work / filename, "a", encoding="utf-8") as f:
                f.write(text)
            kinds[student] = "hostile"
        if i % 3 == 0:  # a third arrive zipped, as an LMS export would hand them over
            with zipfile.ZipFile(folder / f"{student}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(work.iterdir()):
                    zf.write(path, path.name)
        else:
            work.rename(folder / student)
    return kinds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--call-timeout", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--mix", choices=("mixed", "plain"), default="mixed")
    parser.add_argument("--similarity", type=float, default=0.8, help="as grader batch's; 0: off")
    parser.add_argument("--no-rerun", action="store_true", help="skip the rerun with nothing changed")
    args = parser.parse_args(argv)
    view = batch.View(similarity=args.similarity or None)
    spent = {"similarity": 0.0}
    compare_saved = similarity.compare_saved

    def timed(*a, **k):   # the similarity check's own wall time, child process included
        start = time.monotonic()
        try:
            return compare_saved(*a, **k)
        finally:
            spent["similarity"] += time.monotonic() - start
    similarity.compare_saved = timed
    limits = Limits(call_timeout=args.call_timeout, import_timeout=args.call_timeout,
                    total_timeout=args.timeout)

    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        subs, out = Path(tmp) / "subs", Path(tmp) / "out"
        subs.mkdir()
        kinds = make_class(subs, args.students, args.mix)
        load_before = os.getloadavg()
        memory = TreeMemory(os.getpid())
        memory.start()
        started = time.monotonic()
        cpu = os.times()
        summary = batch.run(subs, out, jobs=args.jobs, seed=0, limits=limits, sandbox=args.sandbox, view=view,
                            stream=open(os.devnull, "w"))
        wall = time.monotonic() - started
        cpu = [b - a for a, b in zip(cpu, os.times())]
        memory.stop()
        load_after = os.getloadavg()
        rerun = None
        if not args.no_rerun:
            started = time.monotonic()
            batch.run(subs, out, jobs=args.jobs, seed=0, limits=limits, sandbox=args.sandbox, view=view,
                      stream=open(os.devnull, "w"))
            rerun = time.monotonic() - started

    graded = [o for o in summary.outcomes if o.report is not None]
    times = {o.student: o.report["duration_seconds"] for o in graded}
    slowest = max(times, key=times.get)
    by_kind = {k: statistics.median(t for s, t in times.items() if kinds[s] == k)
               for k in ("correct", "buggy", "hostile") if any(kinds[s] == k for s in times)}
    sandbox = sorted({o.report.get("sandbox", "?") for o in graded})
    mb = 2 ** 20
    # The pool's workers are forked from this process: they keep its command line.
    me = next(cmd for pid, cmd in memory.processes if pid == os.getpid())
    parts = {"this process (the batch's parent)": memory.root_hwm,
             "the largest grading worker": memory.largest(lambda pid, cmd: cmd == me and pid != os.getpid()),
             "the similarity check": memory.largest(lambda pid, cmd: "grader.classroom.similarity" in cmd)}
    similar = summary.similar
    print()
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after (1 min)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; sandbox {', '.join(sandbox)}")
    mix = ", ".join(f"{sum(v == k for v in kinds.values())} {k}" for k in ("correct", "buggy", "hostile"))
    print(f"class: {args.students} submissions ({mix}), --jobs {args.jobs}, "
          f"--call-timeout {args.call_timeout:g} s, --similarity {args.similarity:g}")
    print(f"graded {len(graded)} in {wall:.1f} s: {len(graded) / wall:.2f} submissions/s; CPU of the tree "
          f"{cpu[0] + cpu[1] + cpu[2] + cpu[3]:.1f} s")
    print(f"per submission: median {statistics.median(times.values()):.2f} s, "
          f"slowest {times[slowest]:.2f} s ({slowest}, {kinds[slowest]})")
    print("median by kind: " + ", ".join(f"{k} {v:.2f} s" for k, v in by_kind.items()))
    if similar is not None:
        print(f"similarity: {spent['similarity']:.1f} s; {similar.total} pair(s) at {similar.threshold:.0%} or more, "
              f"{len(similar.pairs)} listed"
              + (f"; PROBLEM: {similar.problem}" if similar.problem else ""))
    print(f"peak resident memory of the whole process tree: {memory.peak / mb:.0f} MB "
          f"(without the sandboxed children: {memory.judge_peak / mb:.0f} MB); "
          + ", ".join(f"{k} {v / mb:.0f} MB" for k, v in parts.items()))
    if rerun is not None:
        print(f"rerun with nothing changed: {rerun:.2f} s")


if __name__ == "__main__":
    main()
