"""Disk used by `grader batch --ids moodle` on a small class zip that expands
to about 0.9 GB (issue 20: such a zip once used 1.78 GB at peak and left
0.9 GB in OUT/.intake). Not a test; CI does not run it.

    python bench/intake_disk.py [--honest 6] [--bombs 18] [--jobs 2]

The class: `--honest` students with the reference solutions, and `--bombs`
students whose `losses.py` is 49 MiB of one byte (just under one student's
50 MiB cap, so each is a legitimate-looking hand-in that deflates to ~50 KB).
OUT's size is sampled every 20 ms while the batch runs (similarity off, so
only the intake and grading write); the peak and what is left are printed
with the date and the machine's load. OUT/code/ (the code the similarity
check read) is counted apart.
"""
import argparse
import io
import os
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from grader.classroom import batch  # noqa: E402

MODULES = ("derivatives.py", "value.py", "losses.py", "gradient_check.py")


def build(path, honest, bombs):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for number in range(honest):
            for module in MODULES:
                zf.write(ROOT / "solutions" / module, f"Aluno {number}_{100 + number}_assignsubmission_file_/{module}")
        for number in range(bombs):
            zf.writestr(f"Bomba {number}_{900 + number}_assignsubmission_file_/losses.py", b"#" * (49 * 2 ** 20))
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist())


def size_of(folder, skip=None):
    total = 0
    for base, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if os.path.join(base, d) != skip]
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_size
            except OSError:
                pass
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--honest", type=int, default=6)
    parser.add_argument("--bombs", type=int, default=18)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        download, out = Path(tmp) / "turma.zip", Path(tmp) / "out"
        expanded = build(download, args.honest, args.bombs)
        peak, done = [0], threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], size_of(out, skip=str(out / "code")))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.monotonic()
        summary = batch.run(download, out, jobs=args.jobs, ids="moodle", stream=io.StringIO(),
                            view=batch.View(similarity=None))
        seconds = time.monotonic() - started
        done.set()
        sampler.join()
        left, code = size_of(out, skip=str(out / "code")), size_of(out / "code")
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
        print(f"class zip {download.stat().st_size / 2**20:.2f} MiB, expands to {expanded / 2**30:.2f} GiB; "
              f"{len(summary.outcomes)} students, jobs {args.jobs}")
        print(f"OUT without code/: at peak {peak[0] / 2**20:.1f} MiB, left after the run {left / 2**20:.1f} MiB "
              f"(.intake: {(out / '.intake').exists()}); code/: {code / 2**20:.1f} MiB; {seconds:.0f} s")


if __name__ == "__main__":
    main()
