"""Shared by tests/test_service*.py: an in-process app with an immediate queue
(the task runs the real grader as it is enqueued), and a real `grader serve`
in a subprocess on 127.0.0.1."""
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
MODULES = ("derivatives.py", "value.py", "losses.py", "gradient_check.py")
PASSWORD = "senha-de-teste-123"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r'value="(https?://[^"]+/a/([^"]+))"')


def solution_files(replace=None):
    """[(name, bytes)] of the reference solutions, with (file, old, new) applied."""
    files = {name: (SOLUTIONS / name).read_bytes() for name in MODULES}
    for name, old, new in replace or ():
        assert old.encode() in files[name]
        files[name] = files[name].replace(old.encode(), new.encode())
    return list(files.items())


def zipped(files, folder=""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files:
            zf.writestr(f"{folder}{name}", data)
    return buffer.getvalue()


class Clock:
    def __init__(self, now=None):
        self.now = now or time.time()

    def __call__(self):
        return self.now


class LiveServer:
    """`grader serve` in a subprocess; .url once it listens."""

    def __init__(self, data, workers=2, extra=(), env=None):
        self.data, self.workers, self.extra = Path(data), workers, list(extra)
        self.env = {**os.environ, "GRADER_INSTRUCTOR_PASSWORD": PASSWORD, **(env or {})}
        self.process = None
        self.url = ""

    def start(self, timeout=60):
        log = open(self.data.parent / f"serve-{time.time_ns()}.log", "w")
        self.log_path = log.name
        self.process = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--data", str(self.data),
                                         "--port", "0", "--workers", str(self.workers), *self.extra],
                                        stdout=subprocess.PIPE, stderr=log, text=True, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("grader serve stopped: " + Path(self.log_path).read_text())
            found = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            if found:
                self.url = found.group(1)
                return self
        raise RuntimeError("grader serve did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


def login(http, url):
    page = http.get(f"{url}/prof/login")
    token = CSRF.search(page.text).group(1)
    response = http.post(f"{url}/prof/login", data={"csrf_token": token, "password": PASSWORD})
    assert response.status_code == 200 and "Roster" in response.text, response.text[:500]
    return CSRF.search(response.text).group(1)


def add_roster(http, url, rows):
    """Log in, upload the roster; {id: token}."""
    csrf = login(http, url)
    text = "id,name,email\n" + "".join(f"{i},{n},{e}\n" for i, n, e in rows)
    response = http.post(f"{url}/prof/roster", data={"csrf_token": csrf}, files={"roster": ("r.csv", text)})
    assert response.status_code == 200, response.text[:500]
    tokens = [token for _, token in LINK.findall(response.text)]
    assert len(tokens) == len(rows)
    return dict(zip([r[0] for r in rows], tokens))


# -- the scale mode's engines, started in temporary folders -------------------------------

def _pg_bin():
    # Debian installs each major version in its own folder (15 on bookworm, 17 on trixie): the newest.
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = Path(os.environ["GRADER_PG_BIN"]) if os.environ.get("GRADER_PG_BIN") else _pg_bin()


class Postgres:
    """A throwaway PostgreSQL cluster listening on a Unix socket only. As root
    (CI), it runs as the `postgres` user: initdb refuses root."""

    def __init__(self):
        import shutil
        import tempfile
        self.base = Path(tempfile.mkdtemp(prefix="grader-pg-"))
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+psycopg://grader@/grader?host={self.base}"

    def start(self):
        data = self.base / "data"
        run = lambda *cmd: subprocess.run([*self.as_user, *cmd], check=True, capture_output=True)  # noqa: E731
        run(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "grader", "--no-sync")
        run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(self.base / "log"), "-w", "-o",
            f"-k {self.base} -c listen_addresses='' -F", "start")
        run(str(PG_BIN / "createdb"), "-h", str(self.base), "-U", "grader", "grader")
        return self

    def stop(self):
        import shutil
        subprocess.run([*self.as_user, str(PG_BIN / "pg_ctl"), "-D", str(self.base / "data"), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)


class Redis:
    """A throwaway redis-server on a Unix socket (no TCP port, no persistence)."""

    def __init__(self, folder):
        self.socket = Path(folder) / "redis.sock"
        self.url = f"redis+unix://{self.socket}"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", str(self.socket),
                                         "--unixsocketperm", "700", "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not self.socket.exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
