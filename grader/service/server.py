"""`grader serve`: the web app and its grading workers, started by one
command. Roles: 'all' (the embedded default: the web server here and a Huey
consumer with N process workers as a child process), 'web' (only the web
server: workers run elsewhere) and 'worker' (only the consumer, for the
scale mode's worker machines).

Waitress serves the app: pure Python, production-grade, multi-threaded, on
Linux, macOS and Windows alike, with nothing to compile or configure."""
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading

from ..errors import GraderError
from ..manifest import SUITES
from ..sandbox.confine import for_hidden_tests
from ..judge.student_process import Limits
from . import db, tasks
from .config import ENV_PASSWORD, Config

log = logging.getLogger("grader.service")
RECOVER_EVERY = 2.0   # seconds between looks for attempts a dead worker left


class ServiceError(GraderError):
    """The service cannot start (no hidden suite, no sandbox for it)."""


def _die_with_parent():
    # A worker must not outlive the process that started it, even one killed with SIGKILL.
    from ..sandbox.linux import PR_SET_PDEATHSIG, libc
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def check(config: Config):
    if not (SUITES / "hidden").is_dir():
        raise ServiceError("the hidden suite is not in this installation (a student kit?): the service grades with it")
    for_hidden_tests(config.sandbox)   # refuses the process sandbox: it cannot hide the hidden suite


def instructor_password(Session, out=sys.stdout):
    """From GRADER_INSTRUCTOR_PASSWORD when set; else, on the first run, a new
    one printed once. Stored hashed (werkzeug's scrypt)."""
    from .app import PASSWORD_KEY, set_password
    given = os.environ.get(ENV_PASSWORD)
    if given:
        set_password(Session, given)
    elif db.get_setting(Session, PASSWORD_KEY) is None:
        made = secrets.token_urlsafe(12)
        set_password(Session, made)
        print(f"instructor password (shown once; set {ENV_PASSWORD} to choose your own): {made}", file=out,
              flush=True)


def _consumer_class():
    from huey.consumer import Consumer, Scheduler, Worker

    # The consumer forks its workers and its scheduler; the death signal is not inherited
    # across fork, so each sets its own: none outlives a consumer killed with SIGKILL.
    class DyingWorker(Worker):
        def initialize(self):
            _die_with_parent()
            super().initialize()

    class DyingScheduler(Scheduler):
        def initialize(self):
            _die_with_parent()
            super().initialize()

    class GradingConsumer(Consumer):
        worker_class, scheduler_class = DyingWorker, DyingScheduler
    return GradingConsumer


def run_worker(config: Config, workers: int):
    """The Huey consumer with `workers` process workers, in this process, until SIGINT/SIGTERM."""
    check(config)
    huey = tasks.make_huey(config)
    # Short polling delays: an idle SqliteHuey otherwise waits up to 10 s before it looks again.
    consumer = _consumer_class()(huey, workers=workers, worker_type="process", periodic=False, initial_delay=0.05,
                        backoff=1.1, max_delay=0.25, check_worker_health=True, health_check_interval=1)
    consumer.run()


def _start_workers(config: Config, workers: int):
    command = [sys.executable, "-m", "grader.service.server", "--data", str(config.data), "--workers", str(workers),
               "--sandbox", config.sandbox]
    if config.database:
        command += ["--database", config.database]
    if config.queue:
        command += ["--queue", config.queue]
    return subprocess.Popen(command, preexec_fn=_die_with_parent)


def _recover_forever(Session, huey, stop):
    lease = Limits().total_timeout + tasks.LEASE_MARGIN
    while not stop.wait(RECOVER_EVERY):
        try:
            again = tasks.recover(Session, huey, lease)
            if again:
                log.warning("queued again after a worker died: attempts %s", again)
        except Exception:  # noqa: BLE001 - a database hiccup must not end the recovery loop
            log.exception("recovery pass failed")


def serve(data, host="127.0.0.1", port=8000, workers=2, role="all", database=None, queue=None, sandbox="auto",
          out=sys.stdout):
    import waitress.server
    from .app import create_app
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = Config.make(data, database, queue, sandbox)
    check(config)
    if role == "worker":
        return run_worker(config, workers)
    Session = db.connect(config.database)
    instructor_password(Session, out)
    huey = tasks.make_huey(config)
    app = create_app(config, huey)
    again = tasks.recover(Session, huey, Limits().total_timeout + tasks.LEASE_MARGIN, startup=True)
    if again:
        print(f"queued again after a stop: attempts {again}", file=out, flush=True)
    child = _start_workers(config, workers) if role == "all" else None
    stop = threading.Event()
    threading.Thread(target=_recover_forever, args=(Session, huey, stop), daemon=True).start()
    server = waitress.server.create_server(app, host=host, port=port, threads=16, ident="grader")
    print(f"grader serve: http://{host}:{server.effective_port}/ (data in {config.data}; "
          f"{workers if child else 'no'} local workers)", file=out, flush=True)
    try:
        server.run()
    finally:
        stop.set()
        server.close()
        if child is not None:
            child.send_signal(signal.SIGINT)   # Huey's graceful stop: running gradings finish
            try:
                child.wait(timeout=Limits().total_timeout + 10)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0


def main(argv=None):
    """The workers' process (`grader serve` starts it; `--role worker` runs it directly)."""
    import argparse
    parser = argparse.ArgumentParser(prog="grader-worker")
    parser.add_argument("--data", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database")
    parser.add_argument("--queue")
    parser.add_argument("--sandbox", default="auto")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    run_worker(Config.make(args.data, args.database, args.queue, args.sandbox), args.workers)


if __name__ == "__main__":
    main()
