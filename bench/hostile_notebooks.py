"""How long and how much memory the judge spends on hostile notebooks before refusing them.

    python bench/hostile_notebooks.py [--kit PATH]

Each notebook is written to a scratch folder and converted by
grader.judge.notebooks._write_module in a fresh interpreter (the judge's own step,
before any child starts); the wall time and the peak resident memory of that
interpreter are printed. --kit PATH measures the grader package found in PATH
instead (e.g. an older version: `git archive main grader | tar -x -C /tmp/old`).
Not run by CI.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONVERT = """
import resource, sys, time
from pathlib import Path
from grader.judge.notebooks import _write_module
started = time.perf_counter()
errors = _write_module(Path(sys.argv[1]), Path(sys.argv[2]), "derivatives")
print(f"{time.perf_counter() - started:.2f}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
      errors[0]["message"][:90] if errors else "converted")
"""


def v3_cells(count):
    cell = b'{"cell_type":"code","input":"a","language":"python","outputs":[]}'
    return (b'{"nbformat":3,"nbformat_minor":0,"metadata":{},"worksheets":[{"cells":['
            + b",".join([cell] * count) + b"]}]}")


def small_cell(i):
    return {"cell_type": "code", "source": f"def f{i}(x):\n    return x + {i}\n", "metadata": {}, "outputs": []}


ATTACKS = {
    "nbformat 3, 850 000 one-letter cells": lambda: v3_cells(850_000),
    "nbformat 3, 20 000 cells": lambda: v3_cells(20_000),
    "5 000 000 numbers in a list": lambda: b'{"nbformat":4,"cells":[],"x":[' + b",".join([b"0.5"] * 5_000_000) + b"]}",
    "lists nested 60 000 deep": lambda: b'{"nbformat":4,"cells":[' + b"[" * 60_000 + b"]" * 60_000 + b"]}",
    "4 900 small code cells (accepted)": lambda: json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                                             "cells": [small_cell(i) for i in range(4_900)]}).encode(),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kit", type=Path, default=ROOT, help="folder holding the grader package (default: this kit)")
    parser.add_argument("--write", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:   # in its own process: the peak memory of building a file is not the measured one's
        Path(args.write[1]).write_bytes(ATTACKS[args.write[0]]())
        return
    env = {**os.environ, "PYTHONPATH": str(args.kit.resolve())}
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}, kit {args.kit}")
    print("| notebook | file | interpreter wall | conversion | peak memory | outcome |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for name in ATTACKS:
            path = Path(scratch) / "derivatives.ipynb"
            subprocess.run([sys.executable, __file__, "--write", name, str(path)], check=True)
            started = time.monotonic()
            done = subprocess.run([sys.executable, "-c", CONVERT, str(path), str(Path(scratch) / "out.py")],
                                  capture_output=True, text=True, env=env, cwd=scratch)
            wall = time.monotonic() - started
            fields = done.stdout.strip().split(" ", 2)
            if len(fields) < 3:
                print(f"| {name} | failed: {done.stderr.strip()[-200:]} |")
                continue
            print(f"| {name} | {path.stat().st_size / 2 ** 20:.1f} MB | {wall:.2f} s | {fields[0]} s | {fields[1]} MB "
                  f"| {fields[2]} |")


if __name__ == "__main__":
    main()
