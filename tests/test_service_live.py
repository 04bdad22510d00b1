"""`grader serve` as it runs: a real server on 127.0.0.1 with its worker
processes, killed with SIGKILL mid-grade (a worker, then the whole server)
and restarted: every accepted attempt ends with exactly one result."""
import json
import os
import signal
import sqlite3
import time

import pytest
import requests

from service_helpers import LiveServer, add_roster, solution_files

# Each grading takes a few seconds: time to kill it mid-grade.
SLOW = ("derivatives.py", '"""', 'import time\ntime.sleep(3)\n"""')


def accepted(url, token, files):
    response = requests.post(f"{url}/api/v1/submissions", headers={"Authorization": f"Bearer {token}"},
                             files=[("arquivos", (n, d)) for n, d in files], timeout=30)
    assert response.status_code == 202, response.text
    return response.json()["id"]


def rows(data, query, args=()):
    with sqlite3.connect(f"file:{data / 'service.db'}?mode=ro", uri=True, timeout=30) as con:
        return con.execute(query, args).fetchall()


def wait_for(condition, timeout, every=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def serving(data):
    """Pids of processes started for the service on `data` (their command line names it)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if str(data).encode() in f.read() and int(entry) != os.getpid():
                    found.append(int(entry))
        except (OSError, ValueError):
            pass
    return found


@pytest.fixture
def server(tmp_path):
    started = []

    def start(**kwargs):
        live = LiveServer(tmp_path / "data", **kwargs).start()
        started.append(live)
        return live
    yield start
    for live in started:
        live.stop()


def test_served_from_upload_to_feedback(server):
    live = server(workers=1)
    tokens = add_roster(requests.Session(), live.url, [("ana", "Ana", "ana@x")])
    attempt_id = accepted(live.url, tokens["ana"], solution_files())
    status = wait_for(lambda: (s := requests.get(f"{live.url}/api/v1/submissions/{attempt_id}",
                                                 headers={"Authorization": f"Bearer {tokens['ana']}"}).json())
                      ["state"] == "done" and s, timeout=120)
    assert status["score"] == 100 and "Resultado: 100 / 100" in status["feedback_markdown"]
    page = requests.get(f"{live.url}/a/{tokens['ana']}")
    assert page.status_code == 200 and "conta para a nota" in page.text
    assert "sandbox" not in page.text.lower() or "process" not in page.text


def test_killed_worker_and_server_lose_nothing_and_grade_once(server, tmp_path):
    data = tmp_path / "data"
    live = server(workers=2)
    tokens = add_roster(requests.Session(), live.url, [(f"s{i}", f"Aluno {i}", f"s{i}@x") for i in range(4)])
    ids = [accepted(live.url, tokens[f"s{i % 4}"], solution_files([SLOW])) for i in range(4)]

    # 1. A worker killed mid-grade: its attempt is taken back and graded by another.
    victim, worker = wait_for(lambda: next(iter(rows(data, "select id, worker from attempts where state='grading'")),
                                           None), timeout=60)
    pid = int(worker.rpartition(":")[2])
    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: rows(data, "select state from attempts where id=?", (victim,))[0][0] == "done", timeout=120)

    # 2. The whole server killed while attempts are grading and queued: its workers die with it.
    ids += [accepted(live.url, tokens[f"s{i % 4}"], solution_files([SLOW])) for i in range(4)]
    wait_for(lambda: rows(data, "select count(*) from attempts where state='grading'")[0][0] >= 1, timeout=60)
    grading = [w for (w,) in rows(data, "select worker from attempts where state='grading'")]
    live.kill()
    pids = [int(name.rpartition(":")[2]) for name in grading]
    wait_for(lambda: not any(alive(pid) for pid in pids), timeout=20)
    wait_for(lambda: not serving(data), timeout=20)   # the consumer, its scheduler and workers: none left
    left = rows(data, "select count(*) from attempts where state in ('queued', 'grading')")[0][0]
    assert left >= 1     # the kill happened mid-work

    # 3. Restarted: what was left is graded, each accepted attempt exactly once.
    server(workers=2)
    wait_for(lambda: rows(data, "select count(*) from attempts where state in ('queued', 'grading')")[0][0] == 0,
             timeout=240, every=0.5)
    states = dict(rows(data, "select id, state from attempts"))
    assert sorted(states) == sorted(ids) and set(states.values()) == {"done"}
    done = rows(data, "select attempt_id, count(*) from events where state='done' group by attempt_id, generation")
    assert sorted(done) == [(i, 1) for i in sorted(ids)]
    scores = {s for (s,) in rows(data, "select score from attempts")}
    assert scores == {100.0}
    taken_back = rows(data, "select count(*) from events where state='grading' and attempt_id=?", (victim,))[0][0]
    assert taken_back >= 2


def test_the_red_team_corpus_through_http_is_contained(server, tmp_path):
    """tests/test_hostile.py's cases, submitted over HTTP: each graded (none
    stops a worker or another student), costing only its own items; and
    submissions that try to read the service's secrets and the hidden suite
    from inside the sandbox find nothing to send back."""
    from grader.manifest import SUITES
    from test_hostile import CASES
    live = server(workers=2)
    data = tmp_path / "data"
    leaks = {f"leak_{name}": ("value.py", "\nfor _path in %r:\n    try:\n        _got = open(_path, 'rb').read(200)\n"
                              "    except OSError:\n        continue\n    raise RuntimeError('VAZOU ' + _got.hex())\n"
                              % [str(path)], set(), {"value-backprop"}, None)
             for name, path in (("secret_key", data / "secret_key"), ("database", data / "service.db"),
                                ("hidden_suite", SUITES / "hidden" / "test_mse.py"))}
    cases = {**CASES, **leaks}
    students = [(f"r{i}", name, "x@x") for i, name in enumerate(sorted(cases))]
    tokens = add_roster(requests.Session(), live.url, students)
    ids = {}
    for sid, name, _ in students:
        filename, text, must, may, _ = cases[name]
        files = [(n, d + text.encode() if n == filename else d) for n, d in solution_files()]
        ids[name] = (accepted(live.url, tokens[sid], files), tokens[sid], must, may)
    wait_for(lambda: rows(data, "select count(*) from attempts where state in ('queued', 'grading')")[0][0] == 0,
             timeout=900, every=1)
    for name, (attempt_id, token, must, may) in ids.items():
        status = requests.get(f"{live.url}/api/v1/submissions/{attempt_id}",
                              headers={"Authorization": f"Bearer {token}"}).json()
        assert status["state"] == "done", (name, status)
        sha = rows(data, "select report_sha from attempts where id=?", (attempt_id,))[0][0]
        report = json.loads((data / "blobs" / sha[:2] / sha).read_text())   # the full report, as the instructor sees
        lost = {i["id"] for i in report["items"] if i["score"] < i["max_score"]}
        assert must <= lost and lost <= must | may, (name, lost)
        assert report["sandbox"] in ("bwrap", "landlock")
        assert "VAZOU" not in json.dumps(report) and "VAZOU" not in status["feedback_markdown"], name


def test_the_submit_cell_sends_the_notebook_and_prints_the_result(server, tmp_path):
    """The cell the student's page shows, run as a notebook's kernel would
    outside Colab (it then sends the newest .ipynb of its folder)."""
    import html
    import re
    import subprocess
    import sys

    import nbformat
    live = server(workers=1)
    tokens = add_roster(requests.Session(), live.url, [("nina", "Nina", "n@x")])
    page = requests.get(f"{live.url}/a/{tokens['nina']}").text
    cell = html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", page, re.S).group(1))
    folder = tmp_path / "colab"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(d.decode()) for _, d in solution_files()]
                                        + [nbformat.v4.new_code_cell(cell)])
    nbformat.write(notebook, folder / "calculo.ipynb")
    run = subprocess.run([sys.executable, "-c", cell], cwd=folder, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert re.search(r"Tentativa \d+ recebida", run.stdout)
    state, score = rows(tmp_path / "data", "select state, score from attempts")[0]
    assert state == "done" and score == 100     # the cell itself was not run by the grader
