"""What the pages show, read from the database and the store: a student's
attempts with their reports as they count, the class table, the gradebook
rows. Reports are immutable blobs, so each is read from disk once."""
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select

from ..classroom import gradebook
from ..manifest import load as load_manifest
from . import db, rules


@dataclass
class AttemptView:
    attempt: db.Attempt
    report: dict | None = None        # as it counts (overrides, late penalty), full detail
    penalty: float = 0.0
    of_record: bool = False


@dataclass
class StudentView:
    student: db.Student
    attempts: list = field(default_factory=list)    # AttemptView, newest first
    record: AttemptView | None = None
    overrides: dict = field(default_factory=dict)   # {item: (score, reason)}

    @property
    def pending(self):
        return sum(a.attempt.state in (db.QUEUED, db.GRADING) for a in self.attempts)


@dataclass
class Row:
    """One gradebook row, shaped as grader/classroom/gradebook.py reads an outcome."""
    student: str
    report: dict | None = None
    problem: str = ""


@lru_cache(maxsize=4096)
def _report(store, sha):
    return store.get_json(sha)


def student_view(Session, store, course, student, attempts=None, adjustments=None) -> StudentView:
    if attempts is None:
        with Session() as session:
            attempts = session.scalars(select(db.Attempt).where(db.Attempt.student_id == student.id)
                                       .order_by(db.Attempt.id)).all()
            adjustments = {o.item: (o.score, o.reason) for o in session.scalars(
                select(db.Override).where(db.Override.student_id == student.id))}
    view = StudentView(student, overrides=adjustments or {})
    graded = []
    for attempt in attempts:
        shown = AttemptView(attempt, penalty=rules.penalty(course, attempt.created_at))
        if attempt.state == db.DONE and attempt.report_sha:
            shown.report = rules.counted(course, _report(store, attempt.report_sha), attempt.created_at,
                                         view.overrides)
            graded.append((attempt.created_at, shown.report, shown))
        view.attempts.append(shown)
    record = rules.of_record(course, graded)
    if record is not None:
        record.of_record = True
        view.record = record
    view.attempts.reverse()
    return view


def class_views(Session, store, course):
    """Every student's view, in id order, from three queries."""
    with Session() as session:
        students = session.scalars(select(db.Student).order_by(db.Student.id)).all()
        attempts = session.scalars(select(db.Attempt).order_by(db.Attempt.id)).all()
        adjustments = session.scalars(select(db.Override)).all()
    by_student, adjusted = {}, {}
    for attempt in attempts:
        by_student.setdefault(attempt.student_id, []).append(attempt)
    for o in adjustments:
        adjusted.setdefault(o.student_id, {})[o.item] = (o.score, o.reason)
    return [student_view(Session, store, course, s, by_student.get(s.id, []), adjusted.get(s.id, {}))
            for s in students]


def class_json(views):
    return [{"id": v.student.id, "name": v.student.name, "attempts": len(v.attempts), "pending": v.pending,
             "score": v.record.report["score"] if v.record else None,
             "max_score": v.record.report["max_score"] if v.record else None,
             "last": v.attempts[0].attempt.created_at if v.attempts else None,
             "state": v.attempts[0].attempt.state if v.attempts else ""} for v in views]


def gradebook_rows(views):
    rows = []
    for v in views:
        if v.record is not None:
            rows.append(Row(v.student.id, v.record.report))
        elif v.attempts:
            rows.append(Row(v.student.id, problem="no attempt graded yet"))
        else:
            rows.append(Row(v.student.id, problem="no submission"))
    return rows


def gradebook_csv(views, dialect="comma"):
    return gradebook.gradebook_csv(gradebook_rows(views), load_manifest(), dialect)
