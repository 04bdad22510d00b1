"""The files a class run leaves in its output folder: the gradebook CSV, each
student's feedback, and the atomic write they all go through.

Every file is written to a temporary name in its own folder and moved into
place with os.replace, so a run killed at any instant leaves either the old
file or the new one, never half of one.
"""
import csv
import io
import json
import os
import tempfile

from .render import format_score, as_markdown

TEMP_SUFFIX = ".partial"
# A spreadsheet runs a cell that starts with one of these as a formula, and
# student ids and messages come from students: neutralise them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


# -- the gradebook -----------------------------------------------------------

def header(manifest):
    return ["student", *(item.id for item in manifest.items), "total", "max", "status", "message"]


def status_of(outcome):
    """('ok' | 'graded with errors' | 'not graded', message) for one student."""
    if outcome.report is None:
        return "not graded", outcome.problem
    if outcome.report["errors"]:
        return "graded with errors", "; ".join(e["message"] for e in outcome.report["errors"])
    return "ok", ""


def row(outcome, manifest):
    status, message = status_of(outcome)
    max_score = format_score(sum(item.weight for item in manifest.items))
    if outcome.report is None:
        scores = [""] * len(manifest.items) + [""]
    else:
        by_id = {item["id"]: item["score"] for item in outcome.report["items"]}
        scores = [format_score(by_id[item.id]) for item in manifest.items] + [format_score(outcome.report["score"])]
    one_line = " ".join(message.split())  # one row per student, whatever the message held
    return [_inert(outcome.student), *scores, max_score, status, _inert(one_line)]


def _inert(value):
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def gradebook_csv(outcomes, manifest):
    """The CSV text: one row per student, sorted by student id. No timestamps,
    no durations: the same submissions give the same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(manifest))
    for outcome in sorted(outcomes, key=lambda o: o.student):
        writer.writerow(row(outcome, manifest))
    return buffer.getvalue()


# -- feedback for the student (pt-BR) ------------------------------------------

def feedback(outcome):
    if outcome.report is not None:
        return as_markdown(outcome.report)
    return ("# Sua entrega não foi corrigida\n\n"
            f"{outcome.feedback or 'Houve um problema com a sua entrega.'}\n\n"
            "Corrija o problema e envie de novo, ou fale com o professor.\n")
