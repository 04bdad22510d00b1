"""What a class run tells people: the gradebook CSV, each student's status
(decided here only) and each student's feedback. They are written with
grader/atomic.py.
"""
import csv
import io

from ..judge.failures import UNTOUCHED
from ..show.feedback import as_text, plain
from ..show.feedback_page import as_html, not_graded_html
from ..show.render import as_markdown, format_score
from ..judge.report import inert
from .safe_text import cell


# -- the gradebook -----------------------------------------------------------

# How the gradebook's cells are written: "comma" for most spreadsheets, "semicolon"
# (with a decimal comma) for one set to Brazilian Portuguese, which opens that in columns.
DIALECTS = {"comma": (",", "."), "semicolon": (";", ",")}


def header(manifest):
    return ["student", *(item.id for item in manifest.items), "total", "max", "status", "message", "adjustments"]


# One student's status, decided here only (the gradebook, the class report and
# the end-of-run summary all ask status_of).
OK, WITH_ERRORS, NOT_ATTEMPTED, NOT_GRADED = "ok", "graded with errors", "not attempted", "not graded"
STUB_SIGN = "NotImplementedError"   # what a test said of a stub in reports older than failure kinds


def status_of(outcome):
    """(OK | WITH_ERRORS | NOT_ATTEMPTED | NOT_GRADED, message) for one student.
    Not attempted: graded, and every test failed on a stub or a file not handed
    in (grader/judge/failures.py's kinds; an empty hand-in is no attempt either)."""
    if outcome.report is None:
        return NOT_GRADED, outcome.problem
    tests = [t for item in outcome.report["items"] for t in item.get("tests", [])]
    if tests and all(not t["passed"] and (t.get("kind") in UNTOUCHED or "kind" not in t and STUB_SIGN in t["message"])
                     for t in tests):
        return NOT_ATTEMPTED, "nothing attempted: every test met a stub (NotImplementedError) or a missing file"
    if outcome.report["errors"]:
        return WITH_ERRORS, "; ".join(e["message"] for e in outcome.report["errors"])
    return OK, ""


def row(outcome, manifest, decimal="."):
    status, message = status_of(outcome)

    def number(x):
        return format_score(x).replace(".", decimal)
    max_score = number(sum(item.weight for item in manifest.items))
    adjustments = ""
    if outcome.report is None:
        scores = [""] * len(manifest.items) + [""]
    else:
        by_id = {item["id"]: item["score"] for item in outcome.report["items"]}
        scores = [number(by_id[item.id]) for item in manifest.items] + [number(outcome.report["score"])]
        adjustments = "; ".join(f"{o['item']}: {number(o['was'])} -> {number(o['score'])} ({o['reason']})"
                                for o in outcome.report.get("overrides", []))
    one_line = " ".join(message.split())  # one row per student, whatever the message held
    # Ids and messages come from students: shown as text, never run, no escape codes.
    return [cell(outcome.student), *scores, max_score, status, cell(one_line), cell(adjustments)]


def gradebook_csv(outcomes, manifest, dialect="comma"):
    """The CSV text: one row per student, sorted by student id. No timestamps,
    no durations: the same submissions give the same bytes."""
    delimiter, decimal = DIALECTS[dialect]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header(manifest))
    for outcome in sorted(outcomes, key=lambda o: o.student):
        writer.writerow(row(outcome, manifest, decimal))
    return buffer.getvalue()


# -- feedback for the student (pt-BR) ------------------------------------------

NOT_GRADED_FEEDBACK = "Houve um problema com a sua entrega."


def feedback(outcome):
    """Markdown (GitHub, and batch's feedback/ID.md)."""
    if outcome.report is not None:
        return as_markdown(outcome.report)
    return ("# Sua entrega não foi corrigida\n\n"
            f"{plain(outcome.feedback or NOT_GRADED_FEEDBACK)}\n\n"
            "Corrija o problema e envie de novo, ou fale com o professor.\n")


def feedback_text(outcome):
    """Plain text for an LMS comment box (feedback/ID.txt)."""
    if outcome.report is not None:
        return as_text(outcome.report)
    return ("Sua entrega não foi corrigida.\n\n"
            f"{inert(outcome.feedback or NOT_GRADED_FEEDBACK)}\n\n"
            "Corrija o problema e envie de novo, ou fale com o professor.\n")


def feedback_html(outcome, name=""):
    """The student's page (feedback/ID.html), linked from the class report."""
    if outcome.report is not None:
        return as_html(outcome.report, inert(outcome.student), inert(name))
    return not_graded_html(inert(outcome.student), inert(outcome.feedback or NOT_GRADED_FEEDBACK), inert(name))
