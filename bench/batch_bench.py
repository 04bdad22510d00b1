"""Benchmark `grader batch` on a generated class (not a test; CI does not run it).

    python bench/batch_bench.py [--students 100] [--jobs N] [--call-timeout 2]

The class mixes correct submissions, one-bug submissions (tests/mutants.py)
and hostile ones (loops, crashes, huge allocations), as folders and as zips.
It prints submissions per second and the median and slowest time per
submission, then reruns the same class to time a run with nothing changed.
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
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import build_submission  # noqa: E402  (the kit's own test helpers)
from grader import batch  # noqa: E402
from grader.student_process import Limits  # noqa: E402
from mutants import MUTANTS  # noqa: E402

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


def make_class(folder, students):
    """Write `students` entries into folder; return {student: kind}."""
    kinds = {}
    n_correct = round(students * SHARE["correct"])
    n_buggy = round(students * SHARE["buggy"])
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
    args = parser.parse_args(argv)
    limits = Limits(call_timeout=args.call_timeout, import_timeout=args.call_timeout,
                    total_timeout=args.timeout)

    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        subs, out = Path(tmp) / "subs", Path(tmp) / "out"
        subs.mkdir()
        kinds = make_class(subs, args.students)
        started = time.monotonic()
        summary = batch.run(subs, out, jobs=args.jobs, seed=0, limits=limits, sandbox=args.sandbox)
        wall = time.monotonic() - started
        started = time.monotonic()
        batch.run(subs, out, jobs=args.jobs, seed=0, limits=limits, sandbox=args.sandbox,
                  stream=open(os.devnull, "w"))
        rerun = time.monotonic() - started

    graded = [o for o in summary.outcomes if o.report is not None]
    times = {o.student: o.report["duration_seconds"] for o in graded}
    slowest = max(times, key=times.get)
    by_kind = {k: statistics.median(t for s, t in times.items() if kinds[s] == k)
               for k in ("correct", "buggy", "hostile") if any(kinds[s] == k for s in times)}
    sandbox = sorted({o.report.get("sandbox", "?") for o in graded})
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
          f"Python {platform.python_version()}; sandbox {', '.join(sandbox)}")
    mix = ", ".join(f"{sum(v == k for v in kinds.values())} {k}" for k in ("correct", "buggy", "hostile"))
    print(f"class: {args.students} submissions ({mix}), --jobs {args.jobs}, "
          f"--call-timeout {args.call_timeout:g} s")
    print(f"graded {len(graded)} in {wall:.1f} s: {len(graded) / wall:.2f} submissions/s")
    print(f"per submission: median {statistics.median(times.values()):.2f} s, "
          f"slowest {times[slowest]:.2f} s ({slowest}, {kinds[slowest]})")
    print("median by kind: " + ", ".join(f"{k} {v:.2f} s" for k, v in by_kind.items()))
    print(f"rerun with nothing changed: {rerun:.2f} s")


if __name__ == "__main__":
    main()
