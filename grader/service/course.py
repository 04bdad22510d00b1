"""The course file (TOML): deadline and late policy, attempts per hour, which
attempt counts, feedback level before and after the deadline. Data, not code:
the instructor edits DATA/course.toml (a copy of course.toml here)."""
import shutil
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from ..errors import GraderError
from ..manifest import FEEDBACK_LEVELS

DEFAULT = Path(__file__).with_name("course.toml")
LATE_POLICIES = ("refuse", "penalty", "accept")
COUNTS = ("last", "best")


class CourseError(GraderError):
    """The course file cannot be used: its message names the key."""


@dataclass(frozen=True)
class Course:
    title: str = ""
    deadline: float | None = None       # epoch seconds
    late_policy: str = "penalty"
    penalty_per_day: float = 0.0
    late_until: float | None = None     # epoch seconds: nothing accepted after
    per_hour: int = 0                   # 0: no limit
    counts: str = "best"
    feedback_before: str = "hint"
    feedback_after: str = "full"
    submissions_per_address: int = 300    # per minute
    requests_per_address: int = 3000      # per minute
    logins_per_address: int = 10          # per minute
    status_per_student: int = 600         # per minute


def _time(value, key):
    if value is None:
        return None
    if isinstance(value, datetime):   # TOML's own offset date-time
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise CourseError(f"course file: {key} = {value!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise CourseError(f"course file: {key} needs its UTC offset (for Brasília, -03:00)")
    return moment.timestamp()


def _choice(value, allowed, key):
    if value not in allowed:
        raise CourseError(f"course file: {key} must be one of {', '.join(allowed)} (got {value!r})")
    return value


def load(path=DEFAULT) -> Course:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise CourseError(f"course file {path}: {err}") from None
    late, attempts, feedback = data.get("late", {}), data.get("attempts", {}), data.get("feedback", {})
    limits = {key: int(value) for key, value in data.get("limits", {}).items()}
    unknown = set(limits) - {"submissions_per_address", "requests_per_address", "logins_per_address",
                             "status_per_student"}
    if unknown or any(value < 1 for value in limits.values()):
        raise CourseError(f"course file: [limits] takes positive numbers for known keys (not {sorted(unknown)})")
    course = Course(
        title=str(data.get("title", "")),
        deadline=_time(data.get("deadline"), "deadline"),
        late_policy=_choice(late.get("policy", "penalty"), LATE_POLICIES, "late.policy"),
        penalty_per_day=float(late.get("penalty_per_day", 0.0)),
        late_until=_time(late.get("until"), "late.until"),
        per_hour=int(attempts.get("per_hour", 0)),
        counts=_choice(attempts.get("counts", "best"), COUNTS, "attempts.counts"),
        feedback_before=_choice(feedback.get("before_deadline", "hint"), FEEDBACK_LEVELS, "feedback.before_deadline"),
        feedback_after=_choice(feedback.get("after_deadline", "full"), FEEDBACK_LEVELS, "feedback.after_deadline"),
        **limits)
    if not 0 <= course.penalty_per_day <= 1:
        raise CourseError("course file: late.penalty_per_day must be between 0 and 1")
    if course.per_hour < 0:
        raise CourseError("course file: attempts.per_hour must be 0 (no limit) or more")
    return course


@lru_cache(maxsize=8)
def _load_version(path, mtime_ns, size):
    return load(path)


def current(path) -> Course:
    """load(path), read again only when the file changed (the pages ask on every request)."""
    stat = Path(path).stat()
    return _load_version(str(path), stat.st_mtime_ns, stat.st_size)


def in_data(data_dir) -> Path:
    """DATA/course.toml, copied from the default on the first run."""
    path = Path(data_dir) / "course.toml"
    if not path.exists():
        shutil.copyfile(DEFAULT, path)
    return path
