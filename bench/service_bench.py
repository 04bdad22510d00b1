"""The course service's numbers (issue 25), over HTTP against a real
`grader serve` started here in a temporary folder:

- idle: upload-to-feedback latency of one submission at a time (the time from
  the POST until the API says 'done', asked every 50 ms), the median and
  worst of --idle runs;
- burst: --burst submissions (default 200) arriving evenly within --window
  seconds (default 60), one thread each asking as the page does (every
  second, or later when the server says the attempt is far back in the queue):
  all accepted? all graded exactly once (the events table)? feedback latency
  p50/p95/max;
- memory: the resident memory (RSS) of the server's whole process tree at rest
  and its peak during the burst.

    python bench/service_bench.py [--mode embedded|scale] [--workers 2] [--burst 200] [--window 60]

The scale mode starts PostgreSQL and Redis in temporary folders (as the tests
do) and the workers as separate `grader serve --role worker` processes.
Prints the date, the machine's cores and load, so a number can be judged.
"""
import argparse
import datetime
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from service_helpers import LiveServer, Postgres, Redis, add_roster, solution_files  # noqa: E402


def rss_tree(root_pid):
    """Bytes of resident memory of root_pid and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def submit_and_wait(url, token, files, every=1.0, timeout=900):
    """(seconds from the upload until the API says graded, state), polling
    every `every` s as the student's page does (so latencies are rounded up
    to it)."""
    started = time.monotonic()
    headers = {"Authorization": f"Bearer {token}"}
    try:
        response = requests.post(f"{url}/api/v1/submissions", headers=headers,
                                 files=[("arquivos", (n, d)) for n, d in files], timeout=120)
    except requests.RequestException as err:
        return None, f"upload failed: {type(err).__name__}"
    if response.status_code != 202:
        return None, f"HTTP {response.status_code}"
    status_url = response.json()["status_url"]
    wait = every
    while time.monotonic() - started < timeout:
        time.sleep(wait)
        try:
            answer = requests.get(status_url, headers=headers, timeout=120).json()
            state = answer["state"]
        except (requests.RequestException, ValueError, KeyError):
            continue   # a slow answer under load: ask again
        wait = min(every, answer.get("ask_again_in", every)) if every < 1 else answer.get("ask_again_in", every)
        if state in ("done", "failed"):
            return time.monotonic() - started, state
    return None, "timeout"


def plain_grade(files, runs=3):
    """The median time of grader.grade.grade on the same files, in this
    process: what the service adds is the difference (on a loaded machine both grow)."""
    import tempfile
    from grader.grade import grade
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files:
            Path(folder, name).write_bytes(data)
        for _ in range(runs):
            started = time.monotonic()
            grade(folder, seed=1)
            times.append(time.monotonic() - started)
    return statistics.median(times)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["embedded", "scale"], default="embedded")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--idle", type=int, default=5)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--window", type=float, default=60.0)
    args = parser.parse_args()
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="service-bench-"))
    engines, workers = [], []
    extra = []
    if args.mode == "scale":
        postgres, redis = Postgres().start(), Redis(folder).start()
        engines = [redis, postgres]
        extra = ["--role", "web", "--database", postgres.url, "--queue", redis.url]
    print(f"# service bench, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, mode {args.mode}, "
          f"{args.workers} workers, {os.cpu_count()} cores, load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    live = LiveServer(folder / "data", workers=args.workers, extra=extra).start()
    try:
        if args.mode == "scale":
            import subprocess
            workers = [subprocess.Popen([sys.executable, "-m", "grader", "serve", "--role", "worker", "--workers", "1",
                                         "--data", str(folder / "data"), "--database", postgres.url, "--queue",
                                         redis.url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                       for _ in range(args.workers)]
        count = max(args.burst, args.idle)
        tokens = add_roster(requests.Session(), live.url,
                            [(f"s{i:03d}", f"Aluno {i}", f"s{i}@x") for i in range(count)])
        files = solution_files()
        submit_and_wait(live.url, tokens["s000"], files)        # warm-up: the workers import the grader
        time.sleep(2)
        roots = [live.process.pid] + [w.pid for w in workers]
        rest = sum(rss_tree(pid) for pid in roots)
        idle = [submit_and_wait(live.url, tokens[f"s{i:03d}"], files, every=0.05)[0] for i in range(args.idle)]
        print(f"idle upload-to-feedback: median {statistics.median(idle):.2f} s, max {max(idle):.2f} s "
              f"({args.idle} runs); `grader grade` of the same files meanwhile: {plain_grade(files):.2f} s")
        print(f"memory at rest: {rest / 2**20:.0f} MiB (server, workers and their children)")

        results, peak, stop = [None] * args.burst, [rest], threading.Event()

        def sample():
            while not stop.wait(0.5):
                peak.append(sum(rss_tree(pid) for pid in roots))
        threading.Thread(target=sample, daemon=True).start()

        def one(i):
            results[i] = submit_and_wait(live.url, tokens[f"s{i:03d}"], files)
        threads, began = [], time.monotonic()
        for i in range(args.burst):
            delay = began + i * args.window / args.burst - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            thread = threading.Thread(target=one, args=(i,))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()
        stop.set()
        latencies = [r[0] for r in results if r and r[0] is not None and r[1] == "done"]
        problems = [r[1] for r in results if not r or r[0] is None or r[1] != "done"]
        print(f"burst: {args.burst} submissions within {args.window:.0f} s, all over in "
              f"{time.monotonic() - began:.0f} s; graded {len(latencies)}, not graded {len(problems)} "
              f"{sorted(set(problems))[:3]}")
        if latencies:
            within = sum(latency <= 10 for latency in latencies) / args.burst
            print(f"burst feedback latency: p50 {percentile(latencies, .5):.1f} s, "
                  f"p95 {percentile(latencies, .95):.1f} s, max {max(latencies):.1f} s; {within:.0%} within 10 s")
        print(f"memory under the burst: peak {max(peak) / 2**20:.0f} MiB")
        exactly_once(live, args, extra, postgres.url if args.mode == "scale" else None, folder)
    finally:
        for w in workers:
            w.terminate()
        live.stop()
        for engine in engines:
            engine.stop()


def exactly_once(live, args, extra, database, folder):
    from sqlalchemy import create_engine, text
    engine = create_engine(database or f"sqlite:///{folder / 'data' / 'service.db'}")
    with engine.connect() as con:
        total = con.execute(text("select count(*) from attempts")).scalar()
        done = con.execute(text("select count(*) from (select attempt_id from events where state='done' "
                                "group by attempt_id, generation having count(*) = 1) as once")).scalar()
        twice = con.execute(text("select count(*) from (select attempt_id from events where state='done' "
                                 "group by attempt_id, generation having count(*) > 1) as more")).scalar()
    engine.dispose()
    print(f"accepted attempts: {total}; graded exactly once: {done}; graded more than once: {twice}")


if __name__ == "__main__":
    main()
