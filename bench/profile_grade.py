"""Where the time of one `grader grade` goes. Not a test; CI does not run it.

    python bench/profile_grade.py [--runs 7] [--submission solutions]
    python bench/profile_grade.py --batch 20      # as a `grader batch` worker: one process, many grades

Each run is a fresh process (as `grader grade` is) that times the steps of
grader/grade.py one by one, with the same calls: imports, sandbox choice,
copying the submission, starting the child (spawn, then the student's
imports), pytest (start-up, collection, the tests: the judge's own work and
the waits on the child), stopping the child, building the report. It prints
the medians; bench/PROFILE.md says what they mean.

With --batch N, one process grades the submission N times the way a `grader
batch` worker does (batch.grade_entry: its own scratch copy, the grade, the
code kept for the similarity check), after one untimed grade, and splits
each grade the same way, with the CPU time of the judge and of the sandboxed
children per grade: what a class pays per student once the imports are paid.
"""
import time

T0 = time.perf_counter()   # first thing: what came before is the interpreter's own start-up

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def once(submission, kind):
    """One instrumented grade in this fresh process; prints {step: seconds}."""
    sys.path.insert(0, str(ROOT))
    t, mark = {}, [T0]

    def lap(name):
        now = time.perf_counter()
        t[name] = t.get(name, 0.0) + now - mark[0]
        mark[0] = now

    t["python start-up (interpreter, site)"] = _since_process_start() - (time.perf_counter() - T0)
    import tempfile

    import pytest

    from grader import manifest as manifest_module
    from grader.judge import student_process
    from grader.show.render import FORMATS
    from grader.judge.report import build
    from grader.judge.run_suite import run_suite
    from grader.sandbox.confine import choose
    from grader.judge.student_process import Limits, StudentProcess
    from grader.judge.submission import prepare
    from grader.judge.notebooks import cell_errors, generated_modules
    import grader.cli  # noqa: F401  (what the command imports, batch and all)
    lap("imports (grader, pytest, plugins, argparse...)")

    waits = {"child": 0.0, "spawn": 0.0}
    request, spawn = StudentProcess._request, StudentProcess._spawn

    def timed_request(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return request(self, *args, **kwargs)
        finally:
            waits["child"] += time.perf_counter() - start

    def timed_spawn(self):
        start = time.perf_counter()
        try:
            return spawn(self)
        finally:
            waits["spawn"] += time.perf_counter() - start
    student_process.StudentProcess._request = timed_request
    student_process.StudentProcess._spawn = timed_spawn

    phases = {}

    class Phases:
        # Hooks that split pytest.main into start-up, collection and the test loop.
        @pytest.hookimpl(tryfirst=True)
        def pytest_collection(self, session):
            phases["collect_start"] = time.perf_counter()

        def pytest_collection_finish(self, session):
            phases["collect_end"] = time.perf_counter()

        @pytest.hookimpl(trylast=True)
        def pytest_sessionfinish(self, session):
            phases["tests_end"] = time.perf_counter()

    main = pytest.main

    def timed_main(args, plugins=()):
        phases["main_start"] = time.perf_counter()
        code = main(args, plugins=[*plugins, Phases()])
        phases["main_end"] = time.perf_counter()
        return code
    pytest.main = timed_main

    manifest = manifest_module.load()
    confinement = choose(kind)
    lap(f"choose sandbox ({confinement.kind}: probes it)")
    with tempfile.TemporaryDirectory(prefix="grader-") as workdir:
        errors = prepare(submission, workdir, manifest.modules)
        lap("copy the submission (prepare)")
        student = StudentProcess(workdir, manifest.modules, Limits(), confinement)
        waits["child"] = waits["spawn"] = 0.0
        student.start()
        lap("start child: spawn + sandbox")
        t["start child: spawn + sandbox"] = waits["spawn"]
        t["start child: import the student's modules"] = waits["child"] - waits["spawn"]
        waits["child"] = waits["spawn"] = 0.0
        report = run_suite("hidden", student, 0)  # the child's imports are read on its first call
        lap("pytest")
        student.settle()
        errors += cell_errors(student, generated_modules(workdir, manifest.modules, submission))
        lap("notebook cell errors")
        del t["pytest"]
        t["pytest: start-up (config, plugins)"] = phases["collect_start"] - phases["main_start"]
        t["pytest: collection (import 8 suite files)"] = phases["collect_end"] - phases["collect_start"]
        loop = phases["tests_end"] - phases["collect_end"]
        t["tests: waiting on the child (student code + pipe)"] = waits["child"]
        t["tests: judge's own work (inputs, expected values, checks)"] = loop - waits["child"]
        t["pytest: teardown + json report"] = phases["main_end"] - phases["tests_end"]
        student.close()
        lap("stop child (kill, stray scan)")
        errors += student.errors
    lap("remove temp folder")
    built = build(manifest, report, submission, errors, {"seed": 0})
    FORMATS["json"](built)
    lap("build + render report")
    t["total"] = sum(t.values())
    t["tests passed"] = sum(1 for i in built["items"] for x in i["tests"] if x["passed"])
    print(json.dumps(t))


def worker(submission, kind, n):
    """Medians over n grades in one process, as a batch worker does them."""
    sys.path.insert(0, str(ROOT))
    import tempfile

    import pytest

    from grader.classroom import batch, similarity
    from grader.judge import run_suite, student_process
    from grader.classroom.batch import Entry

    phases, waits = {}, {"child": 0.0}
    request = student_process.StudentProcess._request

    def timed_request(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return request(self, *args, **kwargs)
        finally:
            waits["child"] += time.perf_counter() - start
    student_process.StudentProcess._request = timed_request

    class Phases:
        @pytest.hookimpl(tryfirst=True)
        def pytest_collection(self, session):
            phases["collect_start"] = time.perf_counter()

        def pytest_collection_finish(self, session):
            phases["collect_end"] = time.perf_counter()
            phases["child_before_tests"] = waits["child"]

        @pytest.hookimpl(trylast=True)
        def pytest_sessionfinish(self, session):
            phases["tests_end"] = time.perf_counter()

    main = pytest.main

    def timed_main(args, plugins=()):
        phases["main_start"] = time.perf_counter()
        code = main(args, plugins=[*plugins, Phases()])
        phases["main_end"] = time.perf_counter()
        return code
    pytest.main = timed_main
    code_of = similarity.code_of

    def timed_code_of(*args):
        start = time.perf_counter()
        try:
            return code_of(*args)
        finally:
            phases["code_of"] = time.perf_counter() - start
    similarity.code_of = timed_code_of

    entry = Entry("aluno", "aluno", os.fsencode(submission), "folder")
    rows = []
    with tempfile.TemporaryDirectory(prefix="profile-batch-") as scratch:
        batch.grade_entry(entry, 0, batch.Limits(), scratch, kind)   # untimed: imports, caches
        for i in range(n):
            waits["child"] = 0.0
            cpu, start = os.times(), time.perf_counter()
            outcome = batch.grade_entry(entry, i, batch.Limits(), scratch, kind)
            total, cpu = time.perf_counter() - start, [b - a for a, b in zip(cpu, os.times())]
            loop = phases["tests_end"] - phases["collect_end"]
            in_tests = waits["child"] - phases["child_before_tests"]
            rows.append({
                "pytest: start-up (config, plugins)": phases["collect_start"] - phases["main_start"],
                "pytest: collection": phases["collect_end"] - phases["collect_start"],
                "tests: waiting on the child (student code + pipe)": in_tests,
                "tests: judge's own work (inputs, expected values, checks, hooks)": loop - in_tests,
                "pytest: teardown + json report": phases["main_end"] - phases["tests_end"],
                "the student's code for the similarity check (code_of)": phases["code_of"],
                "outside pytest (copy, child start and stop, report, scratch)":
                    total - (phases["main_end"] - phases["main_start"]) - phases["code_of"],
                "total (wall)": total,
                "CPU: the judge (this process)": cpu[0] + cpu[1],
                "CPU: the sandboxed children": cpu[2] + cpu[3],
                "tests passed": sum(x["passed"] for item in outcome.report["items"] for x in item["tests"])})
        plugins = {"pytest's plugins as before (only cacheprovider, unraisableexception left out)":
                   ("cacheprovider", "unraisableexception"),
                   "run_suite.UNUSED_PLUGINS left out": run_suite.UNUSED_PLUGINS}
        cpu = {name: [] for name in plugins}
        for i in range(n):   # interleaved, so a machine getting busier treats both alike
            for name, unused in plugins.items():
                run_suite.UNUSED_PLUGINS = unused
                start = time.process_time()
                batch.grade_entry(entry, i, batch.Limits(), scratch, kind)
                cpu[name].append(time.process_time() - start)
        run_suite.UNUSED_PLUGINS = plugins["run_suite.UNUSED_PLUGINS left out"]
    print(f"median of {n} grades in one process (as a batch worker), load average {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}\n")
    print("| step | ms |\n|---|---:|")
    for key in rows[0]:
        value = statistics.median(r[key] for r in rows)
        print(f"| {key} | {value * 1000:.0f} |" if key != "tests passed" else f"| {key} | {value:.0f} |")
    print("\njudge CPU per grade, median ms:\n")
    for name, times in cpu.items():
        print(f"- {name}: {statistics.median(times) * 1000:.0f}")


def _since_process_start():
    # Seconds since the kernel started this process (clock ticks, 10 ms resolution).
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")


# Python's defaults: this machine sets PYTHONDONTWRITEBYTECODE, which would recompile the kit every run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(command, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        if done.returncode != 0:
            return None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--submission", default=str(ROOT / "solutions"))
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--once", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, metavar="N", help="N grades in one process, as a batch worker")
    args = parser.parse_args()
    if args.once:
        return once(args.submission, args.sandbox)
    if args.batch:
        return worker(args.submission, args.sandbox, args.batch)

    me = [sys.executable, __file__, "--once", "--submission", args.submission, "--sandbox", args.sandbox]
    subprocess.run(me, cwd=ROOT, capture_output=True, env=ENV)   # warm-up: bytecode caches
    runs = [json.loads(subprocess.run(me, cwd=ROOT, capture_output=True, text=True, check=True, env=ENV).stdout)
            for _ in range(args.runs)]
    print(f"median of {args.runs} fresh processes, load average {os.getloadavg()[0]:.1f}\n")
    print("| step | ms |\n|---|---:|")
    for key in runs[0]:
        value = statistics.median(r[key] for r in runs)
        print(f"| {key} | {value * 1000:.0f} |" if key != "tests passed" else f"| {key} | {value:.0f} |")
    print("\nwhole commands, wall ms (median):\n")
    print("| command | ms |\n|---|---:|")
    for name, command in (("python -c pass", [sys.executable, "-c", "pass"]),
                          ("python -c 'import pytest'", [sys.executable, "-c", "import pytest"]),
                          ("python -c 'import nbformat'", [sys.executable, "-c", "import nbformat"]),
                          ("python -c 'import grader.cli'", [sys.executable, "-c", "import grader.cli"]),
                          *((f"grader grade --sandbox {kind}",
                             [sys.executable, "-m", "grader", "grade", args.submission, "--seed", "0",
                              "--sandbox", kind]) for kind in ("bwrap", "landlock", "process"))):
        ms = wall(command, args.runs)
        print(f"| {name} | {ms * 1000:.0f} |" if ms is not None else f"| {name} | (not available here) |")


if __name__ == "__main__":
    main()
