"""`grader pulls` from a release's grading repository, against a stand-in for
GitHub's REST API (the few endpoints it calls, served on 127.0.0.1)."""
import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from conftest import ROOT, SOLUTIONS
from grader.manifest import load

TOKEN = "github_pat_0123456789secret"
MODULES = [f"{m}.py" for m in load().modules]


class FakeGitHub:
    """Repositories {full_name: {number: {path: bytes or ('link', target)}}}; records what is posted."""

    def __init__(self, repos):
        self.blobs, self.trees, self.pulls, self.statuses, self.comments = {}, {}, {}, {}, []
        self.refused = 0
        for full_name, pulls in repos.items():
            self.pulls[full_name] = []
            for number, files in pulls.items():
                entries = []
                for path, content in files.items():
                    link = isinstance(content, tuple)
                    data = content[1].encode() if link else content
                    sha = hashlib.sha1(data).hexdigest()
                    self.blobs[sha] = data
                    entries.append({"path": path, "mode": "120000" if link else "100644", "type": "blob",
                                    "sha": sha, "size": len(data)})
                head = hashlib.sha1(f"{full_name}{number}{sorted(files)}".encode()).hexdigest()
                self.trees[head] = {"sha": head, "tree": entries}
                self.pulls[full_name].append({"number": number, "head": {"sha": head}})

    def answer(self, method, path, body):
        url = urlparse(path)
        parts = url.path.strip("/").split("/")
        if method == "GET" and parts == ["user"]:
            return {"login": "corretor"}
        if method == "GET" and parts[0] == "orgs":
            if "page=1" not in url.query:
                return []
            return [{"name": n.split("/")[1], "full_name": n, "archived": False} for n in self.pulls]
        repo = "/".join(parts[1:3])
        rest = parts[3:]
        if method == "GET" and rest == ["pulls"]:
            return self.pulls.get(repo, []) if "page=1" in url.query else []
        if method == "GET" and rest[:1] == ["commits"]:
            return self.statuses.get(rest[1], [])
        if method == "GET" and rest[:2] == ["git", "trees"]:
            return self.trees[rest[2]]
        if method == "GET" and rest[:2] == ["git", "blobs"]:
            return {"content": base64.b64encode(self.blobs[rest[2]]).decode(), "encoding": "base64"}
        if method == "POST" and rest[:1] == ["statuses"]:
            self.statuses.setdefault(rest[1], []).append({**body, "creator": {"login": "corretor"}})
            return body
        if method == "POST" and rest[:1] == ["issues"]:
            self.comments.append((repo, int(rest[1]), body["body"]))
            return {"id": len(self.comments)}
        raise KeyError(path)


@pytest.fixture
def github():
    servers = []

    def serve(repos):
        fake = FakeGitHub(repos)

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self, method):
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    fake.refused += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                try:
                    data = json.dumps(fake.answer(method, self.path, body)).encode()
                    self.send_response(200)
                except KeyError:
                    data = b"{}"
                    self.send_response(404)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.handle_one("GET")

            def do_POST(self):
                self.handle_one("POST")

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        fake.url = f"http://127.0.0.1:{server.server_address[1]}"
        return fake
    yield serve
    for server in servers:
        server.shutdown()


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


def pulls(grading, fake, *args, token=TOKEN):
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(PYTHONPATH=str(grading / "kit"), GRADER_TOKEN=token)
    return subprocess.run([sys.executable, "-m", "grader", "pulls", "--api", fake.url, *args], capture_output=True,
                          text=True, env=environ, cwd=grading, timeout=600)


def test_each_open_pull_request_is_graded_once_with_the_hidden_tests(grading, github):
    buggy = (SOLUTIONS / "losses.py").read_text().replace("[2 * (p - y) / n for y, p", "[(p - y) / n for y, p")
    fake = github({"turma/calculo-dl-ana": {1: reference()},
                   "turma/calculo-dl-bia": {3: reference(**{"losses.py": buggy.encode()})},
                   "turma/outra-tarefa-caio": {2: reference()}})
    done = pulls(grading, fake, "--org", "turma", "--prefix", "calculo-dl-")
    assert done.returncode == 0, done.stderr
    assert "graded 2 pull request(s) in 2 repositories" in done.stdout
    by_repo = {repo: body for repo, _, body in fake.comments}
    assert set(by_repo) == {"turma/calculo-dl-ana", "turma/calculo-dl-bia"}
    assert "testes ocultos" in by_repo["turma/calculo-dl-ana"] and "100 / 100" in by_repo["turma/calculo-dl-ana"]
    assert "100 / 100" not in by_repo["turma/calculo-dl-bia"] and "mse" in by_repo["turma/calculo-dl-bia"]
    descriptions = [s[0]["description"] for s in fake.statuses.values()]
    assert "Nota 100/100 (testes ocultos)" in descriptions and len(set(descriptions)) == 2
    assert all(s[0]["context"] == "grader" and s[0]["state"] == "success" for s in fake.statuses.values())
    again = pulls(grading, fake, "--org", "turma", "--prefix", "calculo-dl-")
    assert again.returncode == 0 and "graded 0 pull request(s)" in again.stdout
    assert len(fake.comments) == 2


def test_a_status_a_student_set_does_not_stand_for_a_grade(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    (head,) = fake.trees
    fake.statuses[head] = [{"context": "grader", "state": "success", "description": "Nota 100/100",
                            "creator": {"login": "ana"}}]
    done = pulls(grading, fake, "--org", "turma", "--prefix", "calculo-dl-")
    assert done.returncode == 0 and "graded 1 pull request(s)" in done.stdout, done.stderr
    assert fake.statuses[head][-1]["creator"]["login"] == "corretor"


def test_the_token_never_reaches_the_child(grading, github):
    spy = ((SOLUTIONS / "losses.py").read_text() + "\nimport os\ndef choose_loss(task):\n"
           "    raise ValueError(repr(dict(os.environ)) + open('/proc/self/environ').read())\n")
    fake = github({"turma/calculo-dl-eve": {7: reference(**{"losses.py": spy.encode()})}})
    done = pulls(grading, fake, "--org", "turma", "--prefix", "calculo-dl-")
    assert done.returncode == 0, done.stderr
    (_, _, body), = fake.comments
    assert "choose\\_loss" in body and TOKEN not in body and "GRADER_TOKEN" not in body


def test_a_symlink_or_a_file_in_a_folder_is_not_fetched(grading, github):
    files = reference(**{"value.py": ("link", "/etc/passwd")})
    files["sub/derivatives.py"] = files.pop("derivatives.py")
    fake = github({"turma/calculo-dl-rui": {4: files}})
    done = pulls(grading, fake, "--org", "turma", "--prefix", "calculo-dl-")
    assert done.returncode == 0, done.stderr
    (_, _, body), = fake.comments
    assert "value.py (ou value.ipynb) não foi entregue" in body
    assert "derivatives.py (ou derivatives.ipynb) não foi entregue" in body


def test_a_wrong_token_or_no_prefix_is_a_clear_error(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    done = pulls(grading, fake, "--org", "turma", "--prefix", "calculo-dl-", token="wrong")
    assert done.returncode == 2 and "HTTP 401" in done.stderr
    done = pulls(grading, fake, "--org", "turma")
    assert done.returncode == 2 and "--prefix" in done.stderr
    assert fake.comments == []


def test_it_refuses_to_run_the_hidden_tests_in_the_weak_sandbox(grading, github):
    fake = github({"turma/calculo-dl-ana": {1: reference()}})
    done = pulls(grading, fake, "--org", "turma", "--prefix", "calculo-dl-", "--sandbox", "process")
    assert done.returncode == 2 and "refusing" in done.stderr
    assert fake.comments == []
