"""The course material a release hands students, and how to recognise it in a submission.

The stubs and notebooks live in exercises/ in a checkout; an installed kit
carries them as package data in grader/exercises (pyproject.toml maps one
onto the other), and a release's vendored kits carry the stubs alone. A file
that is still the stub as handed out is not the student's work: a notebook of
the same module beside it is what the student meant (grader/judge/notebooks.py).
"""
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def folder() -> Path | None:
    """exercises/: the installed copy first, then the checkout's; None when neither is there."""
    for candidate in (PACKAGE / "exercises", PACKAGE.parent / "exercises"):
        if (candidate / "value.py").is_file():
            return candidate
    return None


def fingerprint(text: str) -> str:
    """A hash of `text` that survives what an editor or an upload does to a file
    nobody changed: a byte-order mark, CRLF or CR line ends, trailing blanks."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return hashlib.sha256("\n".join(lines).strip("\n").encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def _released_files() -> frozenset:
    found = folder()
    return frozenset(fingerprint(p.read_text(encoding="utf-8")) for p in sorted(found.glob("*.py"))) \
        if found else frozenset()


def is_released_file(path) -> bool:
    """Whether the .py file at `path` is one the release shipped, unchanged (a stub
    left as it was). `path` is a regular file the caller already checked for size."""
    try:
        text = Path(path).read_bytes().decode("utf-8", "replace")
    except OSError:
        return False
    return fingerprint(text) in _released_files()


def notebooks() -> dict:
    """{module: path of the notebook handed out} (a checkout or an installed kit)."""
    found = folder()
    return {p.stem: p for p in sorted((found / "notebooks").glob("*.ipynb"))} if found else {}
