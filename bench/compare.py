"""Grading speed and memory, side by side with plain pytest, Otter-Grader and
nbgrader, on the same submissions. Not a test; CI does not run it.

    python bench/compare.py [--subs 5] [--repeat 3] [--tools ours,pytest,otter,nbgrader,batch]
                            [--class-size 200] [--jobs 2] [--json results.json]

Every run is a fresh process, timed from start to exit, the way an instructor
or CI runs it; building each tool's assignment and installing it is not
timed, and each tool gets one untimed warm-up run. Peak memory is the largest
sum of resident memory over the tool's whole process tree (judge, sandbox,
Jupyter kernel...), sampled every 50 ms. CPU is user + system time of the
whole tree, which a busy machine disturbs less than wall time. The peers are
installed from PyPI into bench/.envs (gitignored) on first use.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(BENCH)]

from conftest import build_submission  # noqa: E402  (the kit's own test helper)
from mutants import MUTANTS  # noqa: E402

import peers  # noqa: E402
from treememory import TreeMemory  # noqa: E402

# One bug in each module first, so even a few submissions touch all four.
ITEM_ORDER = ["value-backprop", "cross-entropy", "derivadas", "gradient-check", "mse", "loss-mlp",
              "gradiente-direcao", "quando-usar-loss"]
ALL_TOOLS = ["ours", "pytest", "otter", "nbgrader", "batch"]
OURS = [sys.executable, "-m", "grader"]


# -- measuring one command ---------------------------------------------------------

def measure(cmd, cwd, env=None, out=None):
    """Run cmd to completion: (seconds, exit code, TreeMemory); stdout goes to `out`."""
    with open(out or os.devnull, "wb") as stdout, open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or peers.clean_env(), stdout=stdout, stderr=devnull)
        memory = TreeMemory(proc.pid)
        memory.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    memory.done.set()
    memory.join()
    # The largest single process (exact, from the kernel) bounds the sampled sum from below.
    memory.peak = max(memory.peak, usage.ru_maxrss * 1024)
    memory.cpu = usage.ru_utime + usage.ru_stime
    return seconds, os.waitstatus_to_exitcode(status), memory


class Result:
    """Seconds per submission of one tool. mode 'one': a fresh process per
    submission; 'class': one command grades them all (seconds / count)."""

    def __init__(self, tool, note, mode="one"):
        self.tool, self.note, self.mode = tool, note, mode
        self.seconds, self.cpu, self.peaks, self.scores = [], [], [], {}

    def add(self, seconds, memory, count=1, sub=None, score=None):
        self.seconds.append(seconds / count)
        self.cpu.append(memory.cpu / count)
        self.peaks.append(memory.peak)
        if sub is not None:
            self.scores[sub] = score

    def row(self):
        s = self.seconds
        return {"tool": self.tool, "mode": self.mode, "runs": len(s), "median_s": statistics.median(s),
                "min_s": min(s), "max_s": max(s), "cpu_s": statistics.median(self.cpu),
                "per_s": 1 / statistics.median(s), "peak_mb": max(self.peaks) / 2 ** 20,
                "note": self.note + (f"; pytest: {self.scores['pytest says']}" if "pytest says" in self.scores else ""),
                "scores": self.scores}


# -- the submissions ----------------------------------------------------------------

def submissions(folder, count):
    """The reference, then one-bug submissions from tests/mutants.py, one item each in turn."""
    chosen, by_item = [], {}
    for m in MUTANTS:
        by_item.setdefault(m["item"], []).append(m)
    for i in range(count - 1):
        item = ITEM_ORDER[i % len(ITEM_ORDER)]
        chosen.append(by_item[item][i // len(ITEM_ORDER) % len(by_item[item])])
    subs = [("reference", build_submission(folder / "reference"))]
    for m in chosen:
        subs.append((m["id"], build_submission(folder / m["id"], [(m["file"], m["old"], m["new"])])))
    return subs


# -- the tools -------------------------------------------------------------------------
# Each tool: set up (untimed, with one warm-up run), then `once(i)` grades
# submission i. main() interleaves the tools submission by submission, so
# that a machine that gets busier or quieter during the run treats them alike.

class Ours:
    name = "ours"

    def __init__(self, subs, work, log):
        self.subs, self.work = subs, work
        self.command = [*OURS, "grade", "--format", "json", "--seed", "0"]
        measure([*self.command, str(subs[0][1])], ROOT, out=work / "ours-warmup.json")
        sandbox = json.loads((work / "ours-warmup.json").read_text()).get("sandbox")
        self.result = Result("ours: grader grade", f"full hidden suite, report written, `{sandbox}` sandbox")

    def check(self):
        """{submission: score}, untimed: what every peer must give too."""
        scores = {}
        for i, (_, sub) in enumerate(self.subs):
            done = subprocess.run([*self.command, str(sub)], cwd=ROOT, capture_output=True, text=True,
                                  env=peers.clean_env())
            scores[i] = json.loads(done.stdout)["score"] if done.returncode == 0 else None
        return scores, ""

    def once(self, i):
        out = self.work / f"ours-{i}.json"
        seconds, code, memory = measure([*self.command, str(self.subs[i][1])], ROOT, out=out)
        score = json.loads(out.read_text())["score"] if code == 0 else None
        self.result.add(seconds, memory, sub=i, score=score)


BASELINE_CONFTEST = '''"""The baseline: the hidden tests, student code run in this process."""
import sys
sys.path[:0] = [{solution!r}, {kit!r}, {bench!r}, {root!r}]  # kit: the given mlp.py
import pytest
from inprocess import InProcessStudent, rng_for


@pytest.fixture
def student():
    return InProcessStudent()


@pytest.fixture
def rng(request):
    return rng_for(0, request.node.nodeid)
'''


class Baseline:
    """Plain `python -m pytest` on copies of the hidden test files, against the reference."""
    name = "pytest"

    def __init__(self, subs, work, log):
        self.work, self.log, folder = work, log, work / "baseline"
        folder.mkdir()
        for path in (ROOT / "grader" / "suites" / "hidden").glob("test_*.py"):
            shutil.copyfile(path, folder / path.name)
        (folder / "conftest.py").write_text(BASELINE_CONFTEST.format(
            solution=str(dict(subs)["reference"]), kit=str(ROOT / "grader" / "kit"), bench=str(BENCH),
            root=str(ROOT)))
        # Plugin autoload off: the plugins installed here (benchmark, metadata...) are no part of the baseline.
        self.env = {**peers.clean_env(), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        self.folder = folder
        self.command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder)]
        measure(self.command, folder, env=self.env)   # untimed: compiles the copied test files
        self.result = Result("plain pytest, in-process (baseline)", "the same hidden tests, reference solution only")

    def once(self, i):
        out = self.work / "baseline.txt"
        seconds, code, memory = measure(self.command, self.folder, env=self.env, out=out)
        self.result.add(seconds, memory, sub="pytest says", score=out.read_text().strip().splitlines()[-1])


class Otter:
    name = "otter"

    def __init__(self, subs, work, log):
        self.env = peers.venv("otter", log)
        self.work = work / "otter"
        self.autograder = peers.build_otter(self.work, self.env)
        self.notebooks = [peers.otter_submission(sub, self.work / "subs" / f"s{i}" / "submission.ipynb")
                          for i, (_, sub) in enumerate(subs)]
        self.result = Result(f"Otter-Grader {peers.version(self.env, 'otter-grader')}: otter run",
                             "`otter grade` needs Docker, absent here: `otter run` is its local mode, no container")
        self.run(0)   # untimed warm-up

    def run(self, i):
        out = self.work / "out" / f"s{i}"
        command = peers.otter_command(self.env, self.autograder, self.notebooks[i], out)
        seconds, code, memory = measure(command, self.work, env=peers.tool_env(self.env))
        return seconds, memory, peers.otter_score(out) if code == 0 else None

    def once(self, i):
        seconds, memory, score = self.run(i)
        self.result.add(seconds, memory, sub=i, score=score)

    def check(self):
        """({submission: score}, what went wrong), untimed."""
        scores, why = {}, []
        for i in range(len(self.notebooks)):
            out = self.work / "check" / f"s{i}"
            done = subprocess.run(peers.otter_command(self.env, self.autograder, self.notebooks[i], out),
                                  cwd=self.work, env=peers.tool_env(self.env), capture_output=True, text=True)
            scores[i] = peers.otter_score(out) if done.returncode == 0 and (out / "results.json").exists() else None
            why.append(f"submission {i}: exit {done.returncode}; " + (peers.otter_failures(out) if scores[i] is not None
                                                                      else peers.tail(done.stderr + done.stdout)))
        return scores, "\n".join(why)


class Nbgrader:
    name = "nbgrader"

    def __init__(self, subs, work, log):
        self.env = peers.venv("nbgrader", log)
        self.course = peers.build_nbgrader(work / "nbgrader", self.env, dict(subs)["reference"])
        self.count = len(subs)
        for i, (_, sub) in enumerate(subs):
            peers.nbgrader_submission(self.course, f"s{i}", sub)
        self.version = peers.version(self.env, "nbgrader")
        self.result = Result(f"nbgrader {self.version}: nbgrader autograde --student", "one submission per command")
        measure(peers.nbgrader_command(self.env, "s0"), self.course, env=peers.tool_env(self.env))   # warm-up

    def once(self, i):
        seconds, code, memory = measure(peers.nbgrader_command(self.env, f"s{i}"), self.course,
                                        env=peers.tool_env(self.env))
        self.result.add(seconds, memory)

    def check(self):
        """({submission: score}, what went wrong), untimed: the whole class once."""
        done = subprocess.run(peers.nbgrader_command(self.env), cwd=self.course, env=peers.tool_env(self.env),
                              capture_output=True, text=True)
        scores = peers.nbgrader_scores(self.course, self.env)
        why = [f"nbgrader autograde: exit {done.returncode}; {peers.tail(done.stderr + done.stdout)}"]
        why += [f"submission {i}: " + peers.nbgrader_failures(self.course, f"s{i}") for i in range(self.count)]
        return {i: scores.get(f"s{i}") for i in range(self.count)}, "\n".join(why)

    def finish(self):
        """Scores from the gradebook, then the whole class in one command."""
        scores = peers.nbgrader_scores(self.course, self.env)
        self.result.scores = {i: scores.get(f"s{i}") for i in range(self.count)}
        whole = Result(f"nbgrader {self.version}: nbgrader autograde (class)",
                       f"all {self.count} submissions in one command", mode="class")
        seconds, code, memory = measure(peers.nbgrader_command(self.env), self.course, env=peers.tool_env(self.env))
        whole.add(seconds, memory, count=self.count)
        return whole


def run_batch(size, jobs, work, log):
    """`grader batch` on a class of `size`: a quarter correct, the rest one bug each."""
    if subprocess.run([*OURS, "batch", "--help"], cwd=ROOT, capture_output=True).returncode != 0:
        return None, None
    klass = work / "class"
    for i in range(size):
        m = None if i % 4 == 0 else MUTANTS[i % len(MUTANTS)]
        build_submission(klass / f"aluno{i:03d}", [] if m is None else [(m["file"], m["old"], m["new"])])
    out = work / "class-out"
    seconds, code, memory = measure([*OURS, "batch", str(klass), "--out", str(out), "--jobs", str(jobs)], ROOT)
    batch = {"students": size, "jobs": jobs, "exit": code, "reports": len(list((out / "reports").glob("*.json"))),
             "seconds": seconds, "per_s": size / seconds, "root_mb": memory.root_hwm / 2 ** 20,
             "judge_mb": memory.judge_peak / 2 ** 20, "tree_mb": memory.peak / 2 ** 20}
    row = Result("ours: grader batch (class)", f"{size} students, --jobs {jobs}", mode="class")
    row.add(seconds, memory, count=size)
    return batch, row


# -- the check before timing -----------------------------------------------------------

TOLERANCE = 0.05   # each tool rounds item scores its own way (ours to 2 decimals per item)


def agree(runners, log):
    """Stop the bench, saying why, unless every peer gives our scores on every
    submission: a speed ratio against a tool that did not grade is not a result."""
    ours, _ = runners[0].check()
    log(f"ours: {[ours[i] for i in sorted(ours)]}")
    for runner in runners[1:]:
        theirs, why = runner.check()
        log(f"{runner.name}: {[theirs.get(i) for i in sorted(ours)]}")
        wrong = [i for i in sorted(ours) if ours[i] is None or theirs.get(i) is None
                 or abs(ours[i] - theirs[i]) > TOLERANCE]
        if wrong:
            print(f"\n{runner.name} does not grade these submissions as we do: "
                  + ", ".join(f"#{i} ours {ours[i]} theirs {theirs.get(i)}" for i in wrong)
                  + f"\nwhat {runner.name} said:\n{why}\n\nNo timing is reported: fix the harness (bench/peers.py).",
                  file=sys.stderr)
            sys.exit(2)


# -- the table -------------------------------------------------------------------------

def table(rows):
    ours = {r["mode"]: r for r in rows if r["tool"].startswith("ours")}
    # CPU time is what a busy machine disturbs least: on 2 shared cores, compare that ratio too.
    lines = ["| tool | median s | min s | max s | CPU s | submissions/s | peak MB | vs ours | CPU vs ours |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        spread = f"{r['min_s']:.2f} | {r['max_s']:.2f}" if r["runs"] > 1 else "– | –"
        mine = ours.get(r["mode"])
        ratio = f"{r['median_s'] / mine['median_s']:.1f}x" if mine else "–"
        cpu = f"{r['cpu_s'] / mine['cpu_s']:.1f}x" if mine and mine["cpu_s"] else "–"
        lines.append(f"| {r['tool']} | {r['median_s']:.2f} | {spread} | {r['cpu_s']:.2f} | "
                     f"{r['per_s']:.2f} | {r['peak_mb']:.0f} | {ratio} | {cpu} |")
    return "\n".join(lines)


def goals(rows, batch):
    def find(prefix, mode="one"):
        return next((r for r in rows if r["tool"].startswith(prefix) and r["mode"] == mode), None)
    ours, base, out = find("ours"), find("plain pytest"), []
    if ours and base:
        ratio = ours["median_s"] / base["median_s"]
        out.append(f"one grade within 1.2x of plain pytest: {ratio:.2f}x -> {'MET' if ratio <= 1.2 else 'NOT MET'}")
    for peer, mode in (("Otter", "one"), ("nbgrader", "one"), ("nbgrader", "class")):
        theirs, mine = find(peer, mode), find("ours", mode)
        if theirs and mine:
            ratio = theirs["median_s"] / mine["median_s"]
            cpu = theirs["cpu_s"] / mine["cpu_s"] if mine["cpu_s"] else 0
            out.append(f"at least 10x faster than {theirs['tool']}: {ratio:.1f}x wall, {cpu:.1f}x CPU -> "
                       f"{'MET' if ratio >= 10 else 'NOT MET'}")
    if batch:   # 20 s for 200 students, 2 minutes for 1,000: 0.1-0.12 s each, similarity included
        limit = 20 if batch["students"] <= 200 else 120 * batch["students"] / 1000
        ok = batch["seconds"] <= limit and batch["reports"] == batch["students"]
        out.append(f"class of {batch['students']} with similarity in {limit:.0f} s or less: "
                   f"{batch['seconds']:.1f} s -> {'MET' if ok else 'NOT MET'}")
        out.append(f"whole process tree's peak memory 300 MB or less: {batch['tree_mb']:.0f} MB -> "
                   f"{'MET' if batch['tree_mb'] <= 300 else 'NOT MET'}")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subs", type=int, default=5, help="submissions graded by every tool (default 5)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per submission for ours and pytest, which are cheap (default 3; peers: 1)")
    parser.add_argument("--tools", default=",".join(ALL_TOOLS),
                        help="comma-separated subset of " + ",".join(ALL_TOOLS))
    parser.add_argument("--class-size", type=int, default=200, help="students in the `grader batch` run")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for `grader batch`")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    tools = args.tools.split(",")
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="grader-bench-") as tmp:
        work = Path(tmp)
        subs = submissions(work / "subs", args.subs)
        log(f"{len(subs)} submissions: {', '.join(n for n, _ in subs)}")
        batch, runners = None, []
        for kind in (Ours, Baseline, Otter, Nbgrader):
            if kind.name in tools:
                log(f"setting up {kind.name} ...")
                runners.append(kind(subs, work, log))
        checked = [r for r in runners if r.name in ("ours", "otter", "nbgrader")]
        if len(checked) > 1 and checked[0].name == "ours":
            log("checking that every tool gives our scores (untimed) ...")
            agree(checked, log)
        log("timing, submission by submission ...")
        for i in range(len(subs)):
            for runner in runners:
                for _ in range(args.repeat if runner.name in ("ours", "pytest") else 1):
                    runner.once(i)
        results = [r.result for r in runners]
        results += [r.finish() for r in runners if hasattr(r, "finish")]
        if "batch" in tools:
            log(f"timing grader batch on {args.class_size} students ...")
            batch, row = run_batch(args.class_size, args.jobs, work, log)
            results += [row] if row else []

    rows = [r.row() for r in results]
    machine = (f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
               f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load_before:.1f} before / "
               f"{os.getloadavg()[0]:.1f} after")
    print(f"\n{machine}\n{len(subs)} submissions; seconds per submission; 'vs ours' compares like with like "
          "(a fresh process per submission, or one command for the class)\n")
    print(table(rows))
    for r in rows:
        print(f"- {r['tool']}: {r['note']}")
    scored = [r for r in rows if r["mode"] == "one" and not r["tool"].startswith("plain")]
    if scored:
        print("\nscores of the same submissions: " +
              "; ".join(f"{r['tool'].split(':')[0]} {[r['scores'].get(i) for i in range(len(subs))]}"
                        for r in scored))
    print()
    if "batch" in tools:
        if batch is None:
            print("grader batch: TODO, `grader batch` does not exist yet")
        else:
            print(f"grader batch, {batch['students']} students, --jobs {batch['jobs']}: {batch['seconds']:.1f} s, "
                  f"{batch['reports']} reports, exit {batch['exit']}; peak memory of the grader's processes "
                  f"{batch['judge_mb']:.0f} MB (the parent alone {batch['root_mb']:.0f} MB; with the sandboxed "
                  f"children {batch['tree_mb']:.0f} MB)")
    print("\n".join(goals(rows, batch)))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "rows": rows, "batch": batch}, indent=2))


if __name__ == "__main__":
    main()
