"""What `grader pulls` keeps between runs, in one folder (the workflow keeps it
in the Actions cache of the grading repository, which no student can write):

    STATE/state.json          the grader's login, the ETags of the lists it
                              read, and one record per pull request
    STATE/reports/KEY.json    the report of record of each graded head

A record says how far a head got: graded (its report is saved), status set,
comment written. A run picks up each one where it stopped, so a failure to
post never means a regrade, and a head is graded once. Standard library
only: the workflow's first step reads it before anything is installed.
"""
import hashlib
import json
from pathlib import Path

from ..atomic import write_atomic, write_json

VERSION = 1
MAX_FAILURES = 3      # a head that failed this often waits for the instructor (--retry) instead of every run


class State:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.file = self.folder / "state.json"
        data = {}
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            pass
        except (OSError, ValueError):
            data = {}   # a damaged state costs a regrade (and no duplicate: comments are found by marker)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            data = {}
        self.login = data.get("login") if isinstance(data.get("login"), str) else None
        self.etags = _dict(data.get("etags"))
        self.pulls = _dict(data.get("pulls"))       # "owner/repo#number": record
        self.repos = _dict(data.get("repos"))       # "owner/repo": {"student", "problem", "open"}

    def save(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        write_json(self.file, {"version": VERSION, "login": self.login, "etags": self.etags,
                               "pulls": self.pulls, "repos": self.repos})

    def report_path(self, key):
        # Keys hold '/' and '#'; a digest keeps the name short and safe whatever the repository is called.
        return self.folder / "reports" / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".json")

    def save_report(self, key, report):
        path = self.report_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")

    def report(self, key):
        try:
            return json.loads(self.report_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def done(self, key, sha):
        """Whether this head is graded and both its status and its comment are posted."""
        record = self.pulls.get(key) or {}
        return (record.get("sha") == sha and record.get("graded") and record.get("status")
                and record.get("comment_sha") == sha)

    def gave_up(self, key, sha):
        """Whether this head failed (to grade or to post) MAX_FAILURES runs in a row."""
        record = self.pulls.get(key) or {}
        return record.get("sha") == sha and record.get("failures", 0) >= MAX_FAILURES



def _dict(value):
    """A table of records, each a dict (what this module wrote); anything else is dropped."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, dict)}
