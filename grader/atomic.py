"""Atomic writes: every output file (gradebook, reports, feedback, class
report, run record) is written to a temporary name in its own folder and
moved into place with os.replace, so a run killed at any instant leaves
either the old file or the new one, never half of one.
"""
import json
import os
import tempfile

TEMP_SUFFIX = ".partial"


def write_atomic(path, data):
    """Write str or bytes to path so that readers see all of it or none."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o644)  # mkstemp's 0600 would hide the outputs from co-instructors
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def write_json(path, value):
    write_atomic(path, json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def remove_partials(folder):
    """Delete the temporary files a killed run may have left in folder."""
    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        if name.startswith(".") and name.endswith(TEMP_SUFFIX):
            os.unlink(os.path.join(folder, name))
