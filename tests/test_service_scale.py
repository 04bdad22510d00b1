"""The scale mode: the same app on PostgreSQL and Redis (real servers,
started here in temporary folders), the web server and two worker
processes apart (`grader serve --role web` and `--role worker`), one of the
workers killed mid-grade: every attempt graded exactly once."""
import os
import shutil
import signal
import subprocess
import sys

import pytest
import requests
from sqlalchemy import create_engine, text

from service_helpers import PG_BIN, LiveServer, Postgres, Redis, add_roster, solution_files
from test_service_live import SLOW, accepted, alive, wait_for

pytestmark = pytest.mark.skipif(not (PG_BIN / "initdb").exists() or not shutil.which("redis-server"),
                                reason="postgresql and redis-server are not installed")


@pytest.fixture
def engines(tmp_path):
    postgres, redis = Postgres().start(), Redis(tmp_path).start()
    yield postgres.url, redis.url
    redis.stop()
    postgres.stop()


def worker(tmp_path, database, queue):
    return subprocess.Popen([sys.executable, "-m", "grader", "serve", "--role", "worker", "--workers", "1",
                             "--data", str(tmp_path / "data"), "--database", database, "--queue", queue],
                            stdout=subprocess.DEVNULL, stderr=open(tmp_path / f"worker-{os.urandom(3).hex()}.log", "w"))


def query(database, sql, **args):
    engine = create_engine(database)
    try:
        with engine.connect() as con:
            return con.execute(text(sql), args).all()
    finally:
        engine.dispose()


def test_postgres_redis_and_separate_workers(tmp_path, engines):
    database, queue = engines
    web = LiveServer(tmp_path / "data", extra=["--role", "web", "--database", database, "--queue", queue]).start()
    workers = [worker(tmp_path, database, queue) for _ in range(2)]
    try:
        tokens = add_roster(requests.Session(), web.url, [(f"s{i}", f"Aluno {i}", f"s{i}@x") for i in range(3)])
        ids = [accepted(web.url, tokens[f"s{i % 3}"], solution_files([SLOW] if i < 4 else [])) for i in range(6)]
        victim, name = wait_for(lambda: next(iter(query(database, "select id, worker from attempts "
                                                                  "where state='grading'")), None), timeout=90)
        pid = int(name.rpartition(":")[2])
        os.kill(pid, signal.SIGKILL)           # a worker process dies mid-grade; its consumer starts another
        wait_for(lambda: not alive(pid), timeout=10)
        wait_for(lambda: query(database, "select count(*) from attempts where state != 'done'")[0][0] == 0,
                 timeout=240, every=0.5)
        done = query(database, "select attempt_id, count(*) from events where state='done' "
                               "group by attempt_id, generation order by attempt_id")
        assert [tuple(row) for row in done] == [(i, 1) for i in sorted(ids)]
        assert {s for (s,) in query(database, "select score from attempts")} == {100.0}
        assert query(database, "select count(*) from events where state='grading' and attempt_id=:a",
                     a=victim)[0][0] >= 2
        hosts = {w.rpartition(":")[0] for (w,) in query(database, "select worker from events where state='done'")}
        assert len(hosts) == 1   # one machine here; the workers' pids differ:
        assert len({w for (w,) in query(database, "select worker from events where state='done'")}) >= 2
        page = requests.get(f"{web.url}/a/{tokens['s0']}")
        assert page.status_code == 200 and "conta para a nota" in page.text
    finally:
        for process in workers:
            process.send_signal(signal.SIGINT)
        for process in workers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        web.stop()
