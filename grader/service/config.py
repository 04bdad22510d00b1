"""Where the service keeps things. The embedded default needs only a data
folder: DATA/service.db (SQLite), DATA/queue.db (Huey's SQLite queue),
DATA/blobs/ (files and reports), DATA/course.toml, DATA/secret_key.
For scale, `database` is a PostgreSQL URL and `queue` a Redis URL shared by
the web servers and the workers on every machine (DATA/blobs/ then lives
on storage they all mount)."""
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ENV_DATABASE, ENV_QUEUE, ENV_PASSWORD = "GRADER_DATABASE_URL", "GRADER_QUEUE_URL", "GRADER_INSTRUCTOR_PASSWORD"


@dataclass(frozen=True)
class Config:
    data: Path
    database: str = ""       # SQLAlchemy URL; default sqlite:///DATA/service.db
    queue: str = ""          # redis://... or redis+unix:///path; default DATA/queue.db
    sandbox: str = "auto"    # as `grader grade --sandbox`; the process sandbox is refused (hidden suite)
    course_file: str = ""    # default DATA/course.toml

    @classmethod
    def make(cls, data, database=None, queue=None, sandbox="auto"):
        data = Path(data).resolve()
        data.mkdir(parents=True, exist_ok=True)
        return cls(data, database or os.environ.get(ENV_DATABASE) or f"sqlite:///{data / 'service.db'}",
                   queue or os.environ.get(ENV_QUEUE) or "", sandbox)

    def secret_key(self) -> bytes:
        """Signs the session cookie; made once, kept in the data folder (0600)."""
        path = self.data / "secret_key"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(32))
        return path.read_bytes()
