"""`grader pulls` from a release's grading repository, against a stand-in for
GitHub's REST API (the endpoints it calls, served on 127.0.0.1), which can
fail the ways GitHub does on deadline day: 5xx, rate limits, redirects,
pages, conditional requests, a student's flood of statuses, an App token."""
import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT, SOLUTIONS
from grader.platforms import github_api, github_classroom as classroom, pulls_gate
from grader.manifest import load

TOKEN = "github_pat_0123456789secret"
MODULES = [f"{m}.py" for m in load().modules]
PAGE = 2   # items per page: every list the grader reads spans pages


class FakeGitHub:
    """Repositories {full_name: {number: {path: bytes or ('link', target)}}}.
    Records every request and what is posted; `fail(method, fragment, *answers)`
    makes the next requests whose path holds `fragment` get `answers`
    ((status, headers, body) each) before the real one."""

    def __init__(self, repos, login="corretor", user_forbidden=False):
        self.blobs, self.trees, self.pulls, self.statuses, self.comments = {}, {}, {}, {}, {}
        self.login, self.user_forbidden = login, user_forbidden
        self.refused, self.log, self.faults, self.not_modified = 0, [], [], 0
        self.next_comment = 1000
        for full_name, numbered in repos.items():
            self.pulls[full_name] = []
            for number, files in numbered.items():
                self.push(full_name, number, files)

    def push(self, repo, number, files):
        """A new head for pull request `number` (opened if new); returns its sha."""
        entries = []
        for path, content in files.items():
            link = isinstance(content, tuple)
            data = content[1].encode() if link else content
            sha = hashlib.sha1(data).hexdigest()
            self.blobs[sha] = data
            entries.append({"path": path, "mode": "120000" if link else "100644", "type": "blob",
                            "sha": sha, "size": len(data)})
        head = hashlib.sha1(f"{repo}{number}{sorted(files.items())}".encode()).hexdigest()
        self.trees[head] = {"sha": head, "tree": entries}
        pulls = self.pulls.setdefault(repo, [])
        pulls[:] = [p for p in pulls if p["number"] != number]
        pulls.append({"number": number, "head": {"sha": head}, "user": {"login": "aluno"}, "body": "x" * 500})
        pulls.sort(key=lambda p: p["number"])
        return head

    def fail(self, method, fragment, *answers):
        self.faults.append([method, fragment, list(answers)])

    def fault(self, method, path):
        for entry in self.faults:
            if entry[0] == method and entry[1] in path and entry[2]:
                return entry[2].pop(0)
        return None

    def calls(self, method, fragment=""):
        return [p for m, p in self.log if m == method and fragment in p]

    def comments_on(self, repo, number):
        return self.comments.setdefault((repo, number), [])

    def answer(self, method, path, body):
        """(status, headers, value) of the real API, for what the grader calls."""
        url = urlparse(path)
        parts = url.path.strip("/").split("/")
        if method == "GET" and parts == ["user"]:
            if self.user_forbidden:    # an App's installation token
                return 403, {}, {"message": "Resource not accessible by integration"}
            return 200, {}, {"login": self.login}
        if method == "GET" and parts[0] == "orgs":
            return self.page(url, [{"name": n.split("/")[1], "full_name": n, "archived": False} for n in self.pulls])
        repo, rest = "/".join(parts[1:3]), parts[3:]
        if method == "GET" and rest == ["pulls"]:
            if repo not in self.pulls:
                return 404, {}, {"message": "Not Found"}
            return self.page(url, self.pulls[repo])
        if method == "GET" and rest[:1] == ["commits"] and rest[2:] == ["statuses"]:
            return self.page(url, list(reversed(self.statuses.get(rest[1], []))))   # newest first, as GitHub
        if method == "GET" and rest[:2] == ["git", "trees"]:
            return 200, {}, self.trees[rest[2]]
        if method == "GET" and rest[:2] == ["git", "blobs"]:
            blob = self.blobs[rest[2]]
            content = "!!abc" if blob == "broken" else base64.b64encode(blob).decode()
            return 200, {}, {"content": content, "encoding": "base64"}
        if method == "POST" and rest[:1] == ["statuses"]:
            status = {**body, "creator": {"login": self.login}}
            self.statuses.setdefault(rest[1], []).append(status)
            return 201, {}, status
        if method == "GET" and rest[:1] == ["issues"] and rest[2:] == ["comments"]:
            return self.page(url, self.comments_on(repo, int(rest[1])))
        if method == "POST" and rest[:1] == ["issues"] and rest[2:] == ["comments"]:
            self.next_comment += 1
            comment = {"id": self.next_comment, "user": {"login": self.login}, "body": body["body"]}
            self.comments_on(repo, int(rest[1])).append(comment)
            return 201, {}, comment
        if method == "PATCH" and rest[:2] == ["issues", "comments"]:
            for comments in self.comments.values():
                for comment in comments:
                    if comment["id"] == int(rest[2]):
                        comment["body"] = body["body"]
                        return 200, {}, comment
            return 404, {}, {"message": "Not Found"}
        raise KeyError(path)

    def page(self, url, items):
        query = urllib.parse.parse_qs(url.query)
        number = int(query.get("page", ["1"])[0])
        chunk = items[(number - 1) * PAGE: number * PAGE]
        headers = {}
        if number * PAGE < len(items):
            query["page"] = [str(number + 1)]
            following = url._replace(query=urllib.parse.urlencode(query, doseq=True)).geturl()
            headers["Link"] = f'<{self.url}{following}>; rel="next", <{self.url}/x?page=9>; rel="last"'
        return 200, headers, chunk


def serve(handler_class):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def github():
    servers = []

    def start(repos, **kwargs):
        fake = FakeGitHub(repos, **kwargs)

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self, method):
                fake.log.append((method, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    fake.refused += 1
                    self.send(401, {}, {"message": "Bad credentials"})
                    return
                injected = fake.fault(method, self.path)
                if injected:
                    status, headers, value = injected
                    if status == "drop":   # the connection closes with no answer
                        self.close_connection = True
                        return
                    if status == "apply-then":   # the write lands, its answer is lost
                        fake.answer(method, self.path, body)
                        status, headers, value = headers, {}, value
                    self.send(status, headers, value)
                    return
                try:
                    status, headers, value = fake.answer(method, self.path, body)
                except KeyError:
                    status, headers, value = 404, {}, {"message": "Not Found"}
                data = json.dumps(value).encode()
                if method == "GET" and status == 200:
                    etag = '"' + hashlib.sha1(data).hexdigest() + '"'
                    headers = {**headers, "ETag": etag}
                    if self.headers.get("If-None-Match") == etag:
                        fake.not_modified += 1
                        self.send(304, headers, None)
                        return
                self.send(status, headers, value)

            def send(self, status, headers, value):
                data = b"" if value is None else json.dumps(value).encode()
                self.send_response(status)
                for name, text in headers.items():
                    self.send_header(name, text)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.handle_one("GET")

            def do_POST(self):
                self.handle_one("POST")

            def do_PATCH(self):
                self.handle_one("PATCH")

            def log_message(self, *args):
                pass

        server, fake.url = serve(Handler)
        servers.append(server)
        return fake
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def elsewhere():
    """Another origin, which records the headers of whatever reaches it."""
    seen = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(dict(self.headers))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"[]")

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server, url = serve(Recorder)
    yield url, seen
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def grading(tmp_path_factory):
    out = tmp_path_factory.mktemp("rel") / "release"
    done = subprocess.run([sys.executable, "-m", "grader", "release", str(out)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return out / "grading"


def reference(**changes):
    files = {name: (SOLUTIONS / name).read_bytes() for name in MODULES}
    files.update(changes)
    return files


def pulls(grading, fake, *args, token=TOKEN, state=None):
    """`grader pulls` as the grading workflow runs it: the release's kit, in the grading repository."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(PYTHONPATH=str(grading / "kit"), GRADER_TOKEN=token)
    state = state or grading.parent / f"state-{id(fake)}"
    return subprocess.run([sys.executable, "-m", "grader", "pulls", "--api", fake.url, "--state", str(state), *args],
                          capture_output=True, text=True, env=environ, cwd=grading, timeout=600)


CLASS = ("--org", "turma", "--prefix", "calculo-dl-")


def test_each_open_pull_request_is_graded_once_with_the_hidden_tests(grading, github):
    buggy = (SOLUTIONS / "losses.py").read_text().replace("[2 * (p - y) / n for y, p", "[(p - y) / n for y, p")
    fake = github({"turma/calculo-dl-ana": {1: reference()},
                   "turma/calculo-dl-bia": {3: reference(**{"losses.py": buggy.encode()})},
                   "turma/calculo-dl-2-caio": {5: reference()},    # the next assignment's
                   "turma/outra-tarefa-caio": {2: reference()}})
    done = pulls(grading, fake, *CLASS, "--exclude-prefix", "calculo-dl-2-")
    assert done.returncode == 0, done.stderr
    assert "graded 2 pull request(s) in 2 repositories" in done.stdout
    bodies = {repo: [c["body"] for c in comments] for (repo, _), comments in fake.comments.items()}
    assert set(bodies) == {"turma/calculo-dl-ana", "turma/calculo-dl-bia"}
    (ana,), (bia,) = bodies["turma/calculo-dl-ana"], bodies["turma/calculo-dl-bia"]
    assert "testes ocultos" in ana and "100 / 100" in ana
    assert "100 / 100" not in bia and "mse" in bia
    descriptions = [s[0]["description"] for s in fake.statuses.values()]
    assert "Nota 100/100 (testes ocultos)" in descriptions and len(set(descriptions)) == 2
    assert all(s[0]["context"] == "grader" and s[0]["state"] == "success" for s in fake.statuses.values())
    fake.log.clear()
    again = pulls(grading, fake, *CLASS, "--exclude-prefix", "calculo-dl-2-")
    assert again.returncode == 0 and "graded 0 pull request(s)" in again.stdout, again.stderr
    assert sum(len(c) for c in fake.comments.values()) == 2
    # Nothing new: the lists come back 304 (free of rate limit), no file, status or comment is touched.
    assert fake.calls("POST") == fake.calls("PATCH") == fake.calls("GET", "/git/") == []
    assert fake.not_modified == len(fake.calls("GET"))


def test_assignment_names_match_exactly():
    def match(name, **kwargs):
        return classroom.student_of(name, "calculo-dl-", **kwargs)
    assert match("calculo-dl-ana") == "ana" and match("Calculo-DL-Bia-2") == "Bia-2"
    assert match("calculo-dl-2-ana", excluded=["calculo-dl-2-"]) is None
    assert match("calculo-dl-3-ana", excluded=["calculo-dl-2-, calculo-dl-3-"]) is None
    for name in ("calculo-dl-", "calculo-dl--ana", "calculo-dl-ana-", "calculo-dl-ana.old", "calculo-dl-" + "a" * 40,
                 "calculo-dlx-ana", "outra-calculo-dl-ana"):
        assert match(name) is None, name
    assert match("calculo-dl-2-ana", roster=["ana", "bia"]) is None
    assert match("calculo-dl-ANA", roster=["ana", "bia"]) == "ana"


def test_another_assignments_repositories_are_left_out_without_being_named(github, tmp_path, capsys):
    fake = github({"turma/calculo-dl-ana": {1: reference()}, "turma/calculo-dl-joao-silva": {2: reference()},
                   "turma/calculo-dl-2-ana": {3: reference()}, "turma/calculo-dl-2-b-ana": {}})
    assert classroom.other_assignments(["ana", "joao-silva", "2-ana", "2-b-ana"]) == {"2-ana": "ana", "2-b-ana": "ana"}
    code, _ = run_in_process(fake, tmp_path / "state")
    printed = capsys.readouterr()
    assert code == 0 and sorted(fake.comments) == [("turma/calculo-dl-ana", 1), ("turma/calculo-dl-joao-silva", 2)]
    assert "calculo-dl-2-ana: left out" in printed.err and "calculo-dl-ana exists too" in printed.err


def test_a_classroom_roster_csv_names_the_students(tmp_path):
    roster = tmp_path / "classroom_roster.csv"
    roster.write_text('identifier,github_username,github_id,name\n"a@x",ana,1,Ana\n"b@x",,,Bruno\n"c@x",bia,2,Bia\n')
    assert classroom.read_roster(roster) == ["ana", "bia"]


# -- the failing API, in process (so the waits are recorded, not slept) -----------------

def arguments(fake, state, *extra):
    parser = argparse.ArgumentParser()
    classroom.add_arguments(parser)
    for flag, default in (("--limit", 50), ("--sandbox", "auto"), ("--seed", 0), ("--bot-login", None),
                          ("--gradebook", None), ("--csv", "comma")):
        parser.add_argument(flag, default=default, type=type(default) if isinstance(default, int) else None)
    classroom.add_retry_argument(parser)
    return parser.parse_args(["--api", fake.url, "--state", str(state), *CLASS, *extra])


def run_in_process(fake, state, *extra, capsys=None):
    from grader.platforms import pulls
    slept = []
    os.environ["GRADER_TOKEN"] = TOKEN
    try:
        code = pulls.main(arguments(fake, state, *extra), sleep=slept.append)
    finally:
        del os.environ["GRADER_TOKEN"]
    return code, slept


def comment_count(fake):
    return {key: len(c) for key, c in fake.comments.items()}


def test_the_grader_survives_deadline_day(github, tmp_path, capsys):
    """502 then OK, 403 with Retry-After, 403 secondary rate limit, 429,
    paginated lists, a status flood, an App token, a pull request whose files
    make grading throw: every repository graded once, one comment per pull
    request, a gradebook; a second run grades nothing."""
    worksheets = json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": 5}).encode()
    long_name = ("a" * 290 + ".ipynb")
    caio = reference(**{"losses.ipynb": worksheets, long_name: worksheets})
    del caio["losses.py"]
    fake = github({"turma/calculo-dl-ana": {1: reference()},
                   "turma/calculo-dl-bia": {2: reference()},
                   "turma/calculo-dl-caio": {3: caio},
                   "turma/calculo-dl-davi": {4: reference(), 5: reference(**{"value.py": b"x = 1\n"})},
                   "turma/calculo-dl-eva": {6: {"derivatives.py": b"# eva\n"}},
                   "turma/calculo-dl-fabi": {}},
                  login="corretor-app[bot]", user_forbidden=True)
    # Eva's file comes back broken: base64 that does not decode.
    fake.blobs[hashlib.sha1(b"# eva\n").hexdigest()] = "broken"
    fake.fail("GET", "/orgs/turma/repos", (502, {}, {"message": "Bad Gateway"}))
    fake.fail("GET", "/repos/turma/calculo-dl-bia/pulls", (403, {"Retry-After": "60"}, {"message": "Forbidden"}))
    fake.fail("GET", "/git/trees/", (403, {}, {"message": "You have exceeded a secondary rate limit. Please wait."}))
    fake.fail("POST", "/statuses/", (429, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"},
                                     {"message": "API rate limit exceeded"}))
    fake.fail("POST", "/repos/turma/calculo-dl-davi/issues/4/comments", ("apply-then", 502, {"message": "Bad Gateway"}))
    ana_head = fake.pulls["turma/calculo-dl-ana"][0]["head"]["sha"]
    fake.statuses[ana_head] = [{"context": "grader", "state": "success", "description": "Nota 100/100",
                                "creator": {"login": "ana"}}] * 7     # hers: three pages and more

    code, slept = run_in_process(fake, tmp_path / "state", "--gradebook", str(tmp_path / "out"))
    printed = capsys.readouterr()
    # Caio's nbformat-3 notebook with `"worksheets": 5` may make grading itself throw (grader/judge/notebooks.py
    # decides); either way it costs Caio only.
    caio_graded = ("turma/calculo-dl-caio", 3) in fake.comments
    expected = {("turma/calculo-dl-ana", 1), ("turma/calculo-dl-bia", 2), ("turma/calculo-dl-davi", 4),
                ("turma/calculo-dl-davi", 5)} | ({("turma/calculo-dl-caio", 3)} if caio_graded else set())
    failed = 1 if caio_graded else 2
    assert code == 1, printed   # Eva could not be graded: the run says so
    assert f"graded {len(expected)} pull request(s) in 6 repositories" in printed.out, printed
    assert f"{failed} could not be graded" in printed.out
    assert "calculo-dl-eva#6" in printed.err and "not graded" in printed.err
    # Backoff after the 502; a minute after the secondary rate limit; x-ratelimit-reset (already past: 1 s)
    # after the 429; Retry-After after the 403.
    assert slept == [2.0, 60, 1.0, 60.0], slept
    assert fake.refused == 0 and fake.calls("GET", "/user") == ["/user"]
    # One comment per pull request, Davi's #4 included (its POST landed though the answer was lost).
    assert comment_count(fake) == {key: 1 for key in expected}
    mine = [s for statuses in fake.statuses.values() for s in statuses if s["creator"]["login"] == fake.login]
    assert len(mine) == len(expected)
    if caio_graded:
        assert "longo demais" in fake.comments[("turma/calculo-dl-caio", 3)][0]["body"]
    gradebook = (tmp_path / "out" / "gradebook.csv").read_text().splitlines()
    header, *rows = gradebook
    assert header.startswith("student,derivadas,") and header.endswith(",total,max,status,message,adjustments")
    by_student = {row.split(",")[0]: row for row in rows}
    assert set(by_student) == {"ana", "bia", "caio", "davi", "eva", "fabi"}
    assert ",100,100,ok," in by_student["ana"] and ",100,100," in by_student["bia"]
    assert ",,100,not graded," in by_student["eva"] and "Error" in by_student["eva"]
    assert "not graded" in by_student["fabi"] and "no pull request graded yet" in by_student["fabi"]
    report = json.loads((tmp_path / "out" / "reports" / "ana.json").read_text())
    assert report["score"] == 100 and report["pull_request"]["number"] == 1
    assert sorted(p.name for p in (tmp_path / "out" / "reports").iterdir()) == [
        f"{s}.json" for s in ("ana", "bia", "caio", "davi") if s != "caio" or caio_graded]

    # The second run: nothing new. Eva's head is tried again; nobody else is graded, posted or fetched.
    fake.log.clear()
    code, slept = run_in_process(fake, tmp_path / "state")
    printed = capsys.readouterr()
    assert "graded 0 pull request(s)" in printed.out and f"{failed} could not be graded" in printed.out, printed
    assert fake.calls("POST") == fake.calls("PATCH") == [] and slept == []
    assert fake.calls("GET", "/git/") and all("calculo-dl-eva" in p or "calculo-dl-caio" in p
                                              for p in fake.calls("GET", "/git/"))
    assert fake.calls("GET", "/user") == ["/user"]   # 403 again: the login learnt from the first status is used

    # Bia pushes again: her head is graded on the next run, her one comment updated in place.
    (bia_comment,) = fake.comments[("turma/calculo-dl-bia", 2)]
    head = fake.push("turma/calculo-dl-bia", 2, reference(**{"losses.py": b""}))
    fake.log.clear()
    run_in_process(fake, tmp_path / "state")
    assert "graded 1 pull request(s)" in capsys.readouterr().out
    (same,) = fake.comments[("turma/calculo-dl-bia", 2)]
    assert same["id"] == bia_comment["id"] and head[:7] in same["body"]
    assert fake.calls("POST") == [f"/repos/turma/calculo-dl-bia/statuses/{head}"]
    assert fake.calls("PATCH") == [f"/repos/turma/calculo-dl-bia/issues/comments/{bia_comment['id']}"]


def test_a_head_that_keeps_failing_waits_for_the_instructor(github, tmp_path, capsys):
    fake = github({"turma/calculo-dl-ana": {1: {"derivatives.py": b"# ana\n"}},
                   "turma/calculo-dl-bia": {2: reference()}})
    fake.blobs[hashlib.sha1(b"# ana\n").hexdigest()] = "broken"
    for _ in range(3):
        assert run_in_process(fake, tmp_path / "state")[0] == 1
    fake.log.clear()
    code, _ = run_in_process(fake, tmp_path / "state", "--gradebook", str(tmp_path / "out"))
    assert code == 0 and fake.calls("GET", "/git/") == []
    row = next(r for r in (tmp_path / "out" / "gradebook.csv").read_text().splitlines() if r.startswith("ana,"))
    assert "not graded" in row and "gave up after 3 tries" in row and "--retry" in row
    gate_args = arguments(fake, tmp_path / "state")
    gate_args.deadline = None
    assert pulls_gate.decide(gate_args, {"GRADER_TOKEN": TOKEN})[0] is False
    gate_args.retry = "yes"
    assert pulls_gate.decide(gate_args, {"GRADER_TOKEN": TOKEN})[0] is True
    code, _ = run_in_process(fake, tmp_path / "state", "--retry")
    assert code == 1 and fake.calls("GET", "/repos/turma/calculo-dl-ana/git/")
    assert ("turma/calculo-dl-bia", 2) in fake.comments and ("turma/calculo-dl-ana", 1) not in fake.comments
    capsys.readouterr()


def test_a_student_with_many_pull_requests_delays_only_herself(github, tmp_path, capsys):
    notebooks = {f"extra{i:02}.ipynb": b"{}" for i in range(25)}
    fake = github({"turma/calculo-dl-ana": {n: reference(**{"value.py": f"# {n}\n".encode()}) for n in (1, 2, 3)},
                   "turma/calculo-dl-bia": {9: reference(**notebooks)}})
    run_in_process(fake, tmp_path / "state", "--limit", "3")
    assert sorted(fake.comments) == [("turma/calculo-dl-ana", 1), ("turma/calculo-dl-ana", 2),
                                     ("turma/calculo-dl-bia", 9)]
    blobs = [p for p in fake.calls("GET", "/repos/turma/calculo-dl-bia/git/blobs/")]
    assert len(blobs) == len(MODULES) + 20   # the modules and the first 20 other notebooks, no more
    assert "5 notebook(s) não foram avaliados" in fake.comments[("turma/calculo-dl-bia", 9)][0]["body"]
    run_in_process(fake, tmp_path / "state", "--limit", "3")
    assert ("turma/calculo-dl-ana", 3) in fake.comments
    capsys.readouterr()


def test_the_gradebook_keeps_an_archived_students_grade_and_drops_what_is_no_longer_the_assignment(tmp_path):
    from grader.platforms.pulls import rows
    from grader.platforms.pulls_state import State
    state = State(tmp_path)
    for repo, student in (("turma/calculo-dl-ana", "ana"), ("turma/calculo-dl-2-bia", "2-bia")):
        state.repos[repo] = {"student": student, "problem": ""}
        state.pulls[f"{repo}#1"] = {"sha": "a" * 40, "graded": True, "graded_at": 1}
        state.save_report(f"{repo}#1", {"score": 50, "max_score": 100, "items": [], "errors": [],
                                        "pull_request": {"number": 1, "sha": "a" * 40}})
    args = argparse.Namespace(repos=None, roster=None, org="turma", prefix="calculo-dl-",
                              exclude_prefix=["calculo-dl-2-"])
    table = rows(state, [("caio", "turma/calculo-dl-caio")], classroom.belongs(args))
    assert [(r.student, r.report is not None) for r in table] == [("ana", True), ("caio", False)]


def test_a_sandbox_that_stops_working_stops_the_run_and_charges_no_student(github, tmp_path, monkeypatch, capsys):
    # The runner's bubblewrap breaking half-way (simulated: grade() raising what the sandbox raises then).
    from grader.platforms import pulls
    from grader.sandbox import confine as sandbox
    fake = github({"turma/calculo-dl-ana": {1: reference()}, "turma/calculo-dl-bia": {2: reference()}})
    real = pulls.grade

    def grade_then_break(folder, **kwargs):
        if fake.comments:
            raise sandbox.SandboxUnavailable("bwrap: setting up uid map: Permission denied")
        return real(folder, **kwargs)
    monkeypatch.setattr(pulls, "grade", grade_then_break)
    with pytest.raises(pulls.GraderBroken, match="sandbox stopped working"):
        run_in_process(fake, tmp_path / "state")
    assert list(fake.comments) == [("turma/calculo-dl-ana", 1)]
    state = json.loads((tmp_path / "state" / "state.json").read_text())
    assert state["pulls"]["turma/calculo-dl-bia#2"].get("failures", 0) == 0
    monkeypatch.setattr(pulls, "grade", real)
    assert run_in_process(fake, tmp_path / "state")[0] == 0 and ("turma/calculo-dl-bia", 2) in fake.comments
    capsys.readouterr()


def test_a_new_head_updates_the_same_comment(github, tmp_path, capsys):
    fake = github({"turma/calculo-dl-ana": {1: reference(**{"value.py": b"x = 1\n"})}})
    run_in_process(fake, tmp_path / "state")
    (first,) = fake.comments[("turma/calculo-dl-ana", 1)]
    assert "100 / 100" not in first["body"]
    head = fake.push("turma/calculo-dl-ana", 1, reference())
    code, _ = run_in_process(fake, tmp_path / "state", "--gradebook", str(tmp_path / "out"))
    assert code == 0 and "graded 1 pull request(s)" in capsys.readouterr().out
    (same,) = fake.comments[("turma/calculo-dl-ana", 1)]
    assert same["id"] == first["id"] and "100 / 100" in same["body"] and head[:7] in same["body"]
    assert len(fake.calls("PATCH", f"/issues/comments/{first['id']}")) == 1
    assert fake.statuses[head][-1]["description"] == "Nota 100/100 (testes ocultos)"
    assert ",100,100,ok," in (tmp_path / "out" / "gradebook.csv").read_text()


def test_a_status_flood_neither_hides_the_grade_nor_makes_a_second_comment(github, tmp_path, capsys):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    run_in_process(fake, tmp_path / "state")
    (head,) = fake.trees
    fake.statuses[head] += [{"context": "grader", "state": "failure", "description": "Nota 0/100",
                             "creator": {"login": "ana"}}] * 150
    # The state lost (a cache evicted): the grader's own status is found on the last page.
    fake.log.clear()
    code, _ = run_in_process(fake, tmp_path / "fresh")
    assert code == 0, capsys.readouterr()
    assert len(fake.calls("GET", f"/commits/{head}/statuses")) == 76   # every page read
    assert fake.calls("POST") == [] and len(fake.comments[("turma/calculo-dl-ana", 1)]) == 1
    fake.log.clear()
    run_in_process(fake, tmp_path / "fresh")
    assert fake.calls("GET", "/statuses") == [] and fake.calls("GET", "/git/") == []


def test_a_status_a_student_set_does_not_stand_for_a_grade(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    (head,) = fake.trees
    fake.statuses[head] = [{"context": "grader", "state": "success", "description": "Nota 100/100",
                            "creator": {"login": "ana"}}]
    done = pulls(grading, fake, *CLASS)
    assert done.returncode == 0 and "graded 1 pull request(s)" in done.stdout, done.stderr
    assert fake.statuses[head][-1]["creator"]["login"] == "corretor"


def test_the_token_never_leaves_the_apis_origin(github, elsewhere, tmp_path, capsys):
    url, seen = elsewhere
    fake = github({"turma/calculo-dl-ana": {1: reference()}, "turma/calculo-dl-bia": {2: reference()},
                   "turma/calculo-dl-caio": {3: reference()}})
    for code in (301, 302, 307, 308):
        fake.fail("GET", "/repos/turma/calculo-dl-ana/pulls", (code, {"Location": f"{url}/steal"}, {}))
    fake.fail("GET", "/repos/turma/calculo-dl-bia/pulls", (200, {"Link": f'<{url}/steal?page=2>; rel="next"'},
                                                           [{"number": 2, "head": {"sha": "a" * 40}}]))
    # A redirect within the API's origin (a renamed repository) is followed.
    fake.fail("GET", "/repos/turma/calculo-dl-caio/pulls", (301, {"Location": "/repos/turma/calculo-dl-caio/pulls?"
                                                                  "state=open&per_page=100"}, {}))
    for _ in range(4):
        code, _ = run_in_process(fake, tmp_path / "state")
        printed = capsys.readouterr()
        assert "another origin" in printed.err or "not on the API's origin" in printed.err, printed
    assert seen == []
    assert ("turma/calculo-dl-caio", 3) in fake.comments and ("turma/calculo-dl-ana", 1) not in fake.comments


def test_a_dropped_connection_is_tried_again(github, tmp_path, capsys):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    fake.fail("GET", "/repos/turma/calculo-dl-ana/pulls", ("drop", {}, None))
    fake.fail("POST", "/statuses/", ("drop", {}, None))     # a status is safe to send twice
    code, slept = run_in_process(fake, tmp_path / "state")
    assert code == 0 and slept == [2.0, 2.0] and len(fake.comments[("turma/calculo-dl-ana", 1)]) == 1
    capsys.readouterr()


def test_retry_after_may_be_a_date():
    now = 1_700_000_000
    assert github_api._seconds("Tue, 14 Nov 2023 22:14:20 GMT", now) == 60   # now is 22:13:20
    assert github_api._seconds("30", now) == 30 and github_api._seconds("soon", now) is None


def test_nothing_in_the_log_becomes_a_workflow_command(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}, "turma/calculo-dl-bia": {2: reference()}})
    fake.fail("GET", "/repos/turma/calculo-dl-ana/pulls",
              (404, {}, {"message": "Not Found\n::error::forjado\r\n::stop-commands::x"}))
    done = pulls(grading, fake, *CLASS)
    assert done.returncode == 1 and "graded 1 pull request(s)" in done.stdout, done.stderr
    assert "forjado" in done.stderr and not any(line.startswith("::") for line in done.stderr.splitlines())


def test_origins_differ_by_scheme_host_and_port():
    same = github_api.origin("https://api.github.com/repos")
    assert github_api.origin("https://API.github.com:443/x") == same
    for other in ("http://api.github.com/x", "https://api.github.com:8443/x", "https://evil.example/x"):
        assert github_api.origin(other) != same


def test_an_app_token_with_bot_login_never_calls_get_user(github, tmp_path, capsys):
    fake = github({"turma/calculo-dl-ana": {1: reference()}}, login="corretor-app[bot]", user_forbidden=True)
    code, _ = run_in_process(fake, tmp_path / "state", "--bot-login", "corretor-app[bot]")
    assert code == 0 and fake.calls("GET", "/user") == []
    fake.comments[("turma/calculo-dl-ana", 1)].insert(0, {"id": 5, "user": {"login": "ana"},
                                                          "body": "<!-- grader-pulls -->\nNota 100"})
    head = fake.push("turma/calculo-dl-ana", 1, reference(**{"losses.py": b""}))
    run_in_process(fake, tmp_path / "fresh", "--bot-login", "corretor-app[bot]")   # no state: found by marker + author
    comments = fake.comments[("turma/calculo-dl-ana", 1)]
    assert len(comments) == 2 and comments[0]["body"].endswith("Nota 100") and head[:7] in comments[1]["body"]
    capsys.readouterr()


def test_rate_limit_longer_than_the_budget_stops_the_run_and_the_next_goes_on(github, tmp_path, capsys):
    fake = github({"turma/calculo-dl-ana": {1: reference()}, "turma/calculo-dl-bia": {2: reference()}})
    fake.fail("GET", "/repos/turma/calculo-dl-ana/pulls",
              (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9999999999"}, {"message": "rate limit"}))
    code, slept = run_in_process(fake, tmp_path / "state", "--gradebook", str(tmp_path / "out"))
    printed = capsys.readouterr()
    assert code == 1 and "stopped early" in printed.out and slept == [] and fake.comments == {}
    assert (tmp_path / "out" / "gradebook.csv").exists()
    code, _ = run_in_process(fake, tmp_path / "state")
    assert code == 0 and "graded 2 pull request(s)" in capsys.readouterr().out


def test_the_token_never_reaches_the_child(grading, github):
    spy = ((SOLUTIONS / "losses.py").read_text() + "\nimport os\ndef choose_loss(task):\n"
           "    raise ValueError(repr(dict(os.environ)) + open('/proc/self/environ').read())\n")
    fake = github({"turma/calculo-dl-eve": {7: reference(**{"losses.py": spy.encode()})}})
    done = pulls(grading, fake, *CLASS)
    assert done.returncode == 0, done.stderr
    ((_, (comment,)),) = fake.comments.items()
    body = comment["body"]
    assert "choose\\_loss" in body and TOKEN not in body and "GRADER_TOKEN" not in body


def test_a_symlink_or_a_file_in_a_folder_is_not_fetched(grading, github):
    files = reference(**{"value.py": ("link", "/etc/passwd")})
    files["sub/derivatives.py"] = files.pop("derivatives.py")
    fake = github({"turma/calculo-dl-rui": {4: files}})
    done = pulls(grading, fake, *CLASS)
    assert done.returncode == 0, done.stderr
    ((_, (comment,)),) = fake.comments.items()
    assert "value.py (ou value.ipynb) não foi entregue" in comment["body"]
    assert "derivatives.py (ou derivatives.ipynb) não foi entregue" in comment["body"]


def test_a_wrong_token_or_no_prefix_is_a_clear_error(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    done = pulls(grading, fake, *CLASS, token="wrong")
    assert done.returncode == 2 and "HTTP 401" in done.stderr
    done = pulls(grading, fake, "--org", "turma")
    assert done.returncode == 2 and "--prefix" in done.stderr
    assert fake.comments == {}


def test_it_refuses_to_run_the_hidden_tests_in_the_weak_sandbox(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    done = pulls(grading, fake, *CLASS, "--sandbox", "process")
    assert done.returncode == 2 and "refusing" in done.stderr
    assert fake.comments == {} and fake.log == []


# -- the workflow's first step: anything to grade? ------------------------------------------

def gate(grading, fake, state, *extra, event="schedule", python_flags=("-S",)):
    """The gate as the workflow runs it: the runner's Python, nothing installed (-S: no site-packages)."""
    output = state.parent / f"output-{os.urandom(4).hex()}"
    environ = {"PATH": os.environ["PATH"], "PYTHONPATH": str(grading / "kit"), "GRADER_TOKEN": TOKEN,
               "GITHUB_EVENT_NAME": event, "GITHUB_OUTPUT": str(output)}
    done = subprocess.run([sys.executable, *python_flags, "-m", "grader.platforms.pulls_gate", "--api", fake.url,
                           "--state", str(state), *CLASS, *extra], capture_output=True, text=True, env=environ,
                          cwd=grading, timeout=120)
    assert done.returncode == 0, done.stderr
    return output.read_text().strip(), done.stdout


def test_the_first_step_skips_the_run_when_nothing_changed(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}, "turma/calculo-dl-bia": {2: reference()}})
    state = grading.parent / f"gate-state-{id(fake)}"
    assert gate(grading, fake, state)[0] == "grade=true"
    assert pulls(grading, fake, *CLASS, state=state).returncode == 0
    fake.log.clear()
    fake.not_modified = 0
    said, printed = gate(grading, fake, state)
    assert said == "grade=false" and "nothing new" in printed
    assert fake.calls("GET") and fake.not_modified == len(fake.calls("GET"))   # 304s only
    fake.push("turma/calculo-dl-bia", 2, reference(**{"losses.py": b""}))
    said, printed = gate(grading, fake, state)
    assert said == "grade=true" and "calculo-dl-bia#2" in printed


def test_the_first_step_stops_scheduled_runs_a_day_after_the_deadline(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    state = grading.parent / f"gate-state-{id(fake)}"
    said, printed = gate(grading, fake, state, "--deadline", "2020-03-01T23:59-03:00")
    assert said == "grade=false" and "past the deadline" in printed and fake.log == []
    assert gate(grading, fake, state, "--deadline", "2020-03-01T23:59-03:00", event="workflow_dispatch")[0] \
        == "grade=true"
    assert gate(grading, fake, state, "--deadline", "2999-03-01T23:59-03:00")[0] == "grade=true"


def test_a_repository_that_is_gone_does_not_make_every_run_install(grading, github, tmp_path):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    listed = tmp_path / "repos.txt"
    listed.write_text("turma/calculo-dl-ana\nturma/calculo-dl-sumiu\n")
    state = tmp_path / "state"
    assert pulls(grading, fake, "--repos", str(listed), "--prefix", "calculo-dl-", state=state).returncode == 1
    said, printed = gate(grading, fake, state, "--repos", str(listed))
    assert said == "grade=false", printed


def step_script(workflow, marker):
    """The shell script of the workflow's step that holds `marker`."""
    step = next(step for step in workflow.split("\n      - ")[1:] if marker in step)
    lines = step.split("run: |\n")[1].splitlines()
    return "\n".join(line[10:] for line in lines if line.startswith(" " * 10))


def test_the_workflows_own_steps_grade_the_class_of_the_roster_and_then_skip(grading, github, tmp_path):
    """The gate's and the grading step's shell, as the workflow holds them, run in the grading repository
    with the variables Actions sets (the API is the stand-in, through GITHUB_API_URL)."""
    fake = github({"turma/calculo-dl-ana": {1: reference()}, "turma/calculo-dl-bia": {2: reference()},
                   "turma/calculo-dl-2-ana": {3: reference()}})
    repo = tmp_path / "grading"
    shutil.copytree(grading, repo)
    (repo / "roster.csv").write_text("identifier,github_username,github_id,name\nx,ana,1,Ana\ny,caio,3,Caio\n")
    workflow = (repo / ".github" / "workflows" / "grade-pull-requests.yml").read_text()
    output = tmp_path / "github_output"
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(GITHUB_API_URL=fake.url, GITHUB_REPOSITORY_OWNER="turma", GITHUB_EVENT_NAME="schedule",
                   GITHUB_OUTPUT=str(output), GRADER_TOKEN=TOKEN, DEADLINE="", ASSIGNMENT_PREFIX="calculo-dl-",
                   EXCLUDE_PREFIX="", RETRY="no", BOT_LOGIN="", PYTHONPATH="kit",
                   PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")

    def step(marker):
        return subprocess.run(["bash", "-e", "-c", step_script(workflow, marker)], capture_output=True, text=True,
                              env=environ, cwd=repo, timeout=600)
    assert step("grader.platforms.pulls_gate").returncode == 0 and output.read_text() == "grade=true\n"
    done = step("grader pulls")
    assert done.returncode == 0 and "graded 1 pull request(s) in 1 repositories" in done.stdout, done.stderr
    assert list(fake.comments) == [("turma/calculo-dl-ana", 1)]
    assert (repo / "gradebook" / "gradebook.csv").read_text().splitlines()[1].startswith("ana,")
    output.unlink()
    assert step("grader.platforms.pulls_gate").returncode == 0 and output.read_text() == "grade=false\n"


def test_a_deadline_without_its_offset_is_refused():
    with pytest.raises(pulls_gate.DeadlineError, match="offset from UTC"):
        pulls_gate.parse_deadline("2026-12-20T23:59")
