"""Submissions' files and reports, content-addressed: DATA/blobs/ab/abcdef...
(the sha256 of the bytes). A file written twice is stored once; a write is
atomic (a temporary name, then os.replace), so a killed process leaves the
blob whole or absent, and writing it again is harmless (idempotent)."""
import hashlib
import json
import os
import tempfile
from pathlib import Path


class Store:
    def __init__(self, root):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha) -> Path:
        if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
            raise ValueError(f"not a sha256: {sha!r}")
        return self.root / sha[:2] / sha

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha) -> bytes:
        return self.path(sha).read_bytes()

    def put_json(self, value) -> str:
        return self.put(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def get_json(self, sha):
        return json.loads(self.get(sha))
