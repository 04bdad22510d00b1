"""The grading queue: Huey, because one library gives both modes the issue
asks for with the same task code: `SqliteHuey` (a file in the data folder,
nothing to install or start) for the embedded default and `RedisHuey` for
workers on many machines; its consumer runs process workers and restarts one
that dies. Celery would need a broker even for one machine; RQ has no
embedded mode; Dramatiq's SQLite broker is a third-party add-on.

Huey itself does not promise exactly-once (a worker killed mid-task loses
the message), so the database does: the task only grades an attempt it can
claim (db.claim), writes its result only while it still owns it (db.finish),
and `recover` queues again what a dead worker or server left behind."""
import logging
import os
import socket
import time
from functools import lru_cache

from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from . import db
from .config import Config
from .grading import grade_files
from .store import Store

log = logging.getLogger("grader.service")
TASK = "grade_attempt"
LEASE_MARGIN = 60.0        # seconds past the grading time limit before a silent 'grading' is taken back
GAVE_UP = ("Sua entrega não pôde ser corrigida: o avaliador parou {n} vezes ao corrigi-la. O professor foi "
           "avisado; você pode enviar de novo.")
INTERNAL = "Um erro interno do avaliador impediu a correção; o professor foi avisado. Você pode enviar de novo."


def make_huey(config: Config):
    if config.queue.startswith(("redis://", "rediss://", "unix://", "redis+unix://")):
        url = config.queue.replace("redis+unix://", "unix://", 1)
        huey = RedisHuey("grader", url=url, results=False)
    else:
        huey = SqliteHuey("grader", filename=str(config.data / "queue.db"), results=False)
    huey.grade_attempt = huey.task(name=TASK, retries=0)(_grade_task(config))
    return huey


@lru_cache(maxsize=None)
def _resources(config, pid):
    # One engine per process: a connection pool must not cross a fork.
    return db.connect(config.database), Store(config.data / "blobs")


def _grade_task(config):
    def grade_attempt(attempt_id, task_id):
        Session, store = _resources(config, os.getpid())
        attempt = db.claim(Session, attempt_id, task_id)
        if attempt is None:
            return   # replaced or delivered twice: another task owns it
        try:
            report = grade_files(attempt.files, store, attempt.seed, config.sandbox)
        except Exception as err:  # noqa: BLE001 - the attempt must end with a message, whatever went wrong
            log.exception("attempt %s: grading failed", attempt_id)
            problem = getattr(err, "reason", None)
            message = f"Sua entrega foi recusada: {problem}." if problem else INTERNAL
            db.finish(Session, attempt_id, task_id, problem=message)
            return
        report["submission"] = f"tentativa {attempt_id}"
        sha = store.put_json(report)
        if not db.finish(Session, attempt_id, task_id, sha, report["score"], report["max_score"]):
            log.info("attempt %s: taken back while grading; this result is dropped", attempt_id)
    grade_attempt.__name__ = TASK
    return grade_attempt


def enqueue(huey, attempt_id, task_id):
    huey.grade_attempt(attempt_id, task_id)


def _alive_here(worker):
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True    # another machine's worker: its lease decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(Session, huey, lease_seconds, startup=False):
    """Queue again every attempt a killed worker or server left: 'grading' on
    a dead worker of this machine or past its lease, and on startup every
    'queued' one (its message may never have reached the queue). Returns the
    attempt ids queued again."""
    now = time.time()
    with Session() as session:
        rows = session.execute(select(db.Attempt.id, db.Attempt.state, db.Attempt.task_id, db.Attempt.worker,
                                      db.Attempt.started_at, db.Attempt.tries)
                               .where(db.Attempt.state.in_((db.QUEUED, db.GRADING)))).all()
    again = []
    for attempt_id, state, task_id, worker, started, tries in rows:
        if state == db.QUEUED and not startup:
            continue
        if state == db.GRADING and _alive_here(worker) and (started or 0) + lease_seconds > now:
            continue
        if state == db.GRADING and tries >= db.MAX_TRIES:
            db.give_up(Session, attempt_id, task_id, GAVE_UP.format(n=tries))
            continue
        new = db.requeue(Session, attempt_id, task_id)
        if new:
            enqueue(huey, attempt_id, new)
            again.append(attempt_id)
    return again
