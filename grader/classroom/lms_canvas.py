"""Canvas, as its "Download Submissions" and gradebook import behave.

Download: one file per submitted file, `lastnamefirstname_12345_67890_losses.py`
(the sortable name squashed and lower-cased, `_late` after it when late, the
Canvas user id, the attachment id, the file's own name; a resubmitted file
gets `-1`, `-2` before its extension).

Grades back: the gradebook import CSV (Grades -> Import). Its first five
columns are `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`; Canvas
finds each student by `ID` (the Canvas user id the download carries), then by
the SIS ids; a column headed `Assignment name (assignment id)` updates that
assignment, and a header Canvas does not know creates a new assignment.
"""
import csv
import io

from ..show.render import format_score
from .safe_text import cell

PATTERN = r"(?P<name>[^_]+?)(?:_LATE|_late)?_(?P<student>\d+)_(?P<submission>\d+)_(?P<file>.+)"
HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
IMPORT = "canvas_gradebook_import.csv"
NEW_ASSIGNMENT = "Cálculo para deep learning (grader)"   # without --assignment: Canvas creates this column


def import_csv(outcomes, names, assignment=None):
    """The CSV Canvas imports as is: graded students only, so a student who was
    not graded keeps what Canvas has (an empty cell would be read as a change)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*HEADER, assignment or NEW_ASSIGNMENT])
    for outcome in sorted(outcomes, key=lambda o: (len(o.student), o.student)):
        if outcome.report is not None:
            writer.writerow([cell(names.get(outcome.student, ("",))[0]), outcome.student, "", "", "",
                             format_score(outcome.report["score"])])
    return buffer.getvalue()
