"""The course's rules applied: whether a submission is accepted now, what a
late attempt costs, which attempt is the score of record, and how much of a
report the student sees (the feedback level before or after the deadline)."""
import copy
import datetime
import math
from dataclasses import dataclass

from ..classroom import overrides as overrides_module
from ..judge.report import at_level
from .course import Course

HOUR, DAY = 3600.0, 86400.0


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str     # for the student (pt-BR)


def when(epoch):
    """A moment as a student in Brazil reads it."""
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone(datetime.timedelta(hours=-3))) \
        .strftime("%d/%m/%Y às %H:%M (horário de Brasília)")


def refusal(course: Course, now: float, recent: int, oldest_recent: float | None = None) -> Refusal | None:
    """Why a submission is refused now (`recent`: the student's attempts in
    the last hour), or None."""
    if course.deadline is not None and now > course.deadline:
        if course.late_policy == "refuse":
            return Refusal(403, f"O prazo terminou em {when(course.deadline)}; não são aceitas entregas atrasadas.")
        if course.late_until is not None and now > course.late_until:
            return Refusal(403, f"O prazo para entregas atrasadas terminou em {when(course.late_until)}.")
    if course.per_hour and recent >= course.per_hour:
        wait = ""
        if oldest_recent is not None:
            minutes = max(1, math.ceil((oldest_recent + HOUR - now) / 60))
            wait = f" Tente de novo em {minutes} min."
        return Refusal(429, f"Você já fez {recent} envios na última hora (o limite é {course.per_hour}).{wait}")
    return None


def days_late(course: Course, submitted: float) -> int:
    if course.deadline is None or submitted <= course.deadline:
        return 0
    return math.ceil((submitted - course.deadline) / DAY)


def penalty(course: Course, submitted: float) -> float:
    """The share of the score a late attempt loses (0 on time)."""
    if course.late_policy != "penalty":
        return 0.0
    return min(1.0, days_late(course, submitted) * course.penalty_per_day)


def counted(course: Course, report, submitted: float, adjustments=None):
    """A copy of the report as it counts: the instructor's overrides
    (grader/classroom/overrides.py), then the late penalty on the total."""
    report = overrides_module.apply(report, adjustments or {})
    cut = penalty(course, submitted)
    if cut:
        report = copy.deepcopy(report)
        report["late"] = {"days": days_late(course, submitted), "penalty": cut, "was": report["score"]}
        report["score"] = round(report["score"] * (1 - cut), 2)
    return report


def of_record(course: Course, graded):
    """Which of `graded` [(submitted, counted report, what to return)], in
    submission order, counts: the last, or the best (the earliest of equal scores)."""
    if not graded:
        return None
    if course.counts == "last":
        return graded[-1][2]
    return max(graded, key=lambda g: (g[1]["score"], -g[0]))[2]


def feedback_level(course: Course, now: float) -> str:
    past = course.deadline is not None and now > course.deadline
    return course.feedback_after if past else course.feedback_before


def for_student(report, level):
    """The report as the student may see it at `level`: the same scores, and
    each failing test's message cut to its hint ('hint') or to the fact that
    it failed ('none'), as `grader grade --feedback` would have written it.
    At 'none' an error keeps only its first clause (the child's own words,
    which might echo code the child was sent, are dropped)."""
    if level == "full":
        return report
    shown = at_level(report, level)
    for key in ("seed", "sandbox_note"):
        shown.pop(key, None)
    return shown
