"""What one run of the grading workflow costs, measured here, and the Actions
minutes a class of N students would bill (the grading README's estimate).

    python bench/pulls_minutes.py [--students 10]

Builds a release, serves a stand-in GitHub API on 127.0.0.1 (the one of
tests/test_pulls.py) with one pull request per student holding the reference
solution, and times, with the release's own kit as the workflow runs it:
- the first step (`python3 -S -m grader.platforms.pulls_gate`, nothing installed) on a
  class with nothing new;
- `grader pulls` grading every pull request (the cost per pull request);
- `grader pulls` again with nothing new.
The steps that only GitHub's runner has (provisioning, checkout, the Actions
cache, apt-get, pip from its cache) are not measured here: SETUP_ESTIMATE
says what is assumed for them. Prints the date, this machine's load and the
formula's numbers; nothing is written.
"""
import argparse
import datetime
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_pulls import TOKEN, FakeGitHub, reference, serve  # noqa: E402  the tests' stand-in API

# Seconds a grading run spends on GitHub's runner before grading, not measurable here: checkout and
# cache restore (~5), setup-python with its pip cache (~10), apt-get update + bubblewrap (~25), pip
# install of the kit from the cache (~20). Replace with the step times of your own first runs.
SETUP_ESTIMATE = 60
IDLE_ESTIMATE = 15       # checkout + cache restore + the first step, on the runner


def handler_for(fake):
    from http.server import BaseHTTPRequestHandler
    import json

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.one("GET")

        def do_POST(self):
            self.one("POST")

        def do_PATCH(self):
            self.one("PATCH")

        def one(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            status, headers, value = fake.answer(method, self.path, body)
            data = json.dumps(value).encode()
            import hashlib
            etag = '"' + hashlib.sha1(data).hexdigest() + '"'
            if method == "GET" and self.headers.get("If-None-Match") == etag:
                status, data = 304, b""
            self.send_response(status)
            for name, text in {**headers, "ETag": etag}.items():
                self.send_header(name, text)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass
    return Handler


def timed(command, env, cwd):
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"{command[:4]} failed: {done.stdout}{done.stderr}")
    return time.monotonic() - started, done.stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        subprocess.run([sys.executable, "-m", "grader", "release", str(work / "rel")], check=True, cwd=ROOT,
                       capture_output=True)
        grading = work / "rel" / "grading"
        fake = FakeGitHub({f"turma/calculo-dl-aluno{i}": {1: reference()} for i in range(args.students)})
        server, fake.url = serve(handler_for(fake))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env.update(PYTHONPATH=str(grading / "kit"), GRADER_TOKEN=TOKEN, GITHUB_EVENT_NAME="schedule")
        common = ["--api", fake.url, "--state", str(work / "state"), "--org", "turma", "--prefix", "calculo-dl-"]
        try:
            grade_all, said = timed([sys.executable, "-m", "grader", "pulls", *common], env, grading)
            again, said_again = timed([sys.executable, "-m", "grader", "pulls", *common], env, grading)
            gate, said_gate = timed([sys.executable, "-S", "-m", "grader.platforms.pulls_gate", *common], env, grading)
        finally:
            server.shutdown()
    per_pull = grade_all / args.students
    print(f"date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}; "
          f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    print(f"grader pulls, {args.students} new pull requests: {grade_all:.1f} s ({per_pull:.1f} s each) -> {said}")
    print(f"grader pulls, nothing new: {again:.1f} s -> {said_again}")
    print(f"first step, nothing new: {gate:.2f} s -> {said_gate}")
    print()
    print("Billed minutes (each job rounds up to a whole minute):")
    print(f"  idle run: ceil(({IDLE_ESTIMATE} + {gate:.0f}) / 60) = {math.ceil((IDLE_ESTIMATE + gate) / 60)}")
    print(f"  grading run with k new heads: ceil(({SETUP_ESTIMATE} + {IDLE_ESTIMATE} + k x {per_pull:.0f}) / 60)")
    n, pushes, days, per_day = 40, 5, 28, 12
    runs = days * per_day
    grading_runs = min(runs, n * pushes)
    total = grading_runs * math.ceil((SETUP_ESTIMATE + IDLE_ESTIMATE + per_pull) / 60) + (runs - grading_runs)
    print(f"  example: {n} students, {pushes} graded pushes each, {days} days every {24 // per_day} h "
          f"({runs} runs, at most {grading_runs} with something new, one head each): about {total} minutes")


if __name__ == "__main__":
    main()
