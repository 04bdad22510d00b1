"""The database: students, their attempts and each attempt's state
transitions, the instructor's overrides and settings. SQLAlchemy, so the same
code runs on the embedded SQLite file and on PostgreSQL.

An attempt moves queued -> grading -> done (or failed). Every move is one
conditional UPDATE naming the task that owns the attempt (`task_id`), so a
task that was replaced (its worker killed and the attempt queued again) or
delivered twice changes nothing: one accepted attempt gets exactly one
result per grading generation (a regrade starts a new generation). Each move
is also written to `events`, which the tests count."""
import hashlib
import os
import socket
import time
import uuid

from sqlalchemy import (JSON, Float, ForeignKey, Integer, String, Text, create_engine, event, func, select,
                        update)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

QUEUED, GRADING, DONE, FAILED = "queued", "grading", "done", "failed"
MAX_TRIES = 3      # a submission whose grading killed its worker this often is not tried again


class Base(DeclarativeBase):
    pass


class Student(Base):
    __tablename__ = "students"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(300), default="")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[float] = mapped_column(Float, default=time.time)


class Attempt(Base):
    __tablename__ = "attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    created_at: Mapped[float] = mapped_column(Float, default=time.time, index=True)
    files: Mapped[list] = mapped_column(JSON)        # [{"name", "sha", "size"}]
    seed: Mapped[int] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    task_id: Mapped[str] = mapped_column(String(64), default="")
    generation: Mapped[int] = mapped_column(Integer, default=1)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    report_sha: Mapped[str | None] = mapped_column(String(64), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    problem: Mapped[str] = mapped_column(Text, default="")   # for the student (pt-BR), when not graded


class Event(Base):
    __tablename__ = "events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attempt_id: Mapped[int] = mapped_column(Integer, index=True)
    generation: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    task_id: Mapped[str] = mapped_column(String(64))
    worker: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[float] = mapped_column(Float, default=time.time)


class Override(Base):
    __tablename__ = "overrides"
    student_id: Mapped[str] = mapped_column(ForeignKey("students.id"), primary_key=True)
    item: Mapped[str] = mapped_column(String(100), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[float] = mapped_column(Float, default=time.time)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def connect(url):
    """A sessionmaker bound to the database at `url`, its tables created."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, record):
            # WAL: the web server reads while a worker writes; busy_timeout: writers wait their turn.
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
    Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def hash_token(token: str) -> str:
    # Tokens are 256 random bits: a plain sha256 cannot be brute-forced, and
    # lets the page look a student up by the hash (an index, no scan).
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def new_task_id():
    return uuid.uuid4().hex


def _event(session, attempt_id, generation, state, task_id, worker=""):
    session.add(Event(attempt_id=attempt_id, generation=generation, state=state, task_id=task_id, worker=worker))


def add_attempt(Session, student_id, files, seed, address, created_at=None) -> tuple[int, str]:
    """A new queued attempt: (its id, the task id to enqueue it with)."""
    task_id = new_task_id()
    with Session.begin() as session:
        attempt = Attempt(student_id=student_id, files=files, seed=seed, address=address, state=QUEUED,
                          task_id=task_id, created_at=time.time() if created_at is None else created_at)
        session.add(attempt)
        session.flush()
        _event(session, attempt.id, 1, QUEUED, task_id)
        return attempt.id, task_id


def claim(Session, attempt_id, task_id):
    """queued -> grading for this task; the Attempt, or None when the task is
    no longer the attempt's (replaced, or delivered twice)."""
    me = worker_name()
    with Session.begin() as session:
        done = session.execute(update(Attempt).where(Attempt.id == attempt_id, Attempt.task_id == task_id,
                                                     Attempt.state == QUEUED)
                               .values(state=GRADING, worker=me, started_at=time.time(), tries=Attempt.tries + 1))
        if done.rowcount != 1:
            return None
        attempt = session.get(Attempt, attempt_id)
        _event(session, attempt_id, attempt.generation, GRADING, task_id, me)
        return attempt


def finish(Session, attempt_id, task_id, report_sha=None, score=None, max_score=None, problem=""):
    """grading -> done (a report) or failed (a problem for the student), once:
    False when this task no longer owns the attempt (its result is dropped)."""
    state = DONE if report_sha else FAILED
    with Session.begin() as session:
        changed = session.execute(update(Attempt).where(Attempt.id == attempt_id, Attempt.task_id == task_id,
                                                        Attempt.state == GRADING)
                                  .values(state=state, report_sha=report_sha, score=score, max_score=max_score,
                                          problem=problem, finished_at=time.time()))
        if changed.rowcount != 1:
            return False
        generation = session.scalar(select(Attempt.generation).where(Attempt.id == attempt_id))
        _event(session, attempt_id, generation, state, task_id, worker_name())
        return True


def requeue(Session, attempt_id, expected_task, regrade=False):
    """A new task for the attempt (the old one, if it ever runs, changes
    nothing); None when the attempt moved on meanwhile. `regrade`: a done
    attempt starts a new generation."""
    task_id = new_task_id()
    with Session.begin() as session:
        values = dict(state=QUEUED, task_id=task_id, worker="", started_at=None)
        states = (QUEUED, GRADING)
        if regrade:
            values.update(generation=Attempt.generation + 1, tries=0, finished_at=None)
            states = (DONE, FAILED)
        changed = session.execute(update(Attempt).where(Attempt.id == attempt_id, Attempt.task_id == expected_task,
                                                        Attempt.state.in_(states)).values(**values))
        if changed.rowcount != 1:
            return None
        generation = session.scalar(select(Attempt.generation).where(Attempt.id == attempt_id))
        _event(session, attempt_id, generation, QUEUED, task_id)
        return task_id


def give_up(Session, attempt_id, expected_task, problem):
    """An attempt tried MAX_TRIES times: failed, with a message for the student."""
    with Session.begin() as session:
        changed = session.execute(update(Attempt).where(Attempt.id == attempt_id, Attempt.task_id == expected_task,
                                                        Attempt.state.in_((QUEUED, GRADING)))
                                  .values(state=FAILED, problem=problem, finished_at=time.time()))
        if changed.rowcount == 1:
            generation = session.scalar(select(Attempt.generation).where(Attempt.id == attempt_id))
            _event(session, attempt_id, generation, FAILED, expected_task)


def attempts_since(Session, student_id, since) -> int:
    with Session() as session:
        return session.scalar(select(func.count()).select_from(Attempt)
                              .where(Attempt.student_id == student_id, Attempt.created_at >= since))


def get_setting(Session, key, default=None):
    with Session() as session:
        row = session.get(Setting, key)
        return row.value if row else default


def set_setting(Session, key, value):
    with Session.begin() as session:
        session.merge(Setting(key=key, value=value))


def as_dict(attempt):
    return {"id": attempt.id, "state": attempt.state, "created_at": attempt.created_at,
            "files": [f["name"] for f in attempt.files], "score": attempt.score, "max_score": attempt.max_score,
            "generation": attempt.generation, "problem": attempt.problem}
