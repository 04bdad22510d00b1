"""Moodle's assignment (mod/assign), as its own source writes and reads it.

Download (locallib.php, download_submissions): each file is named from the
prefix `clean_filename(fullname with "_" as " " + "_" + participant number)`;
"download as folders" (the default since 3.1) gives one folder per student
and submission plugin, `Ana Souza_101_assignsubmission_file_/losses.py` (no
trailing `_` from 4.1 on), else one flat name per file,
`Ana Souza_101_assignsubmission_file_losses.py`. The number is the student's
participant number in this assignment (also under blind marking, where the
name is "Participant").

Grades back: the offline grading worksheet (feedback/offline). Its importer
finds the columns by their names in the interface language (`Identifier`,
`Grade`, `Last modified (grade)` in English), reads the participant number
after "Participant ", skips an empty grade, a grade above the assignment's
maximum, and a grade changed in Moodle after the worksheet's
`Last modified (grade)` (unless told to). The columns and their order are the
ones gradingtable.php writes for "Download grading worksheet".

Feedback files (feedback/file/importziplib.php): a zip whose first folder is
`fullname_participant_assignfeedback_file_`; the name is split on "_" into
five parts (four are enough from 4.1 on), so the full name must hold none.
"""
import csv
import io
import time
import zipfile

from ..show.render import format_score
from .safe_text import cell

PATTERN = (r"(?P<name>.*?)_(?P<student>\d+)_assign(?:submission|feedback)_(?P<plugin>[a-z]+)"
           r"(?:_(?P<file>.*))?")
PARTICIPANT = "Participant "   # get_string('hiddenuser', 'assign'), English
WORKSHEET_HEADER = ["Identifier", "Full name", "Status", "Grade", "Maximum grade", "Grade can be changed",
                    "Last modified (submission)", "Last modified (grade)"]
WORKSHEET, FEEDBACK_ZIP = "moodle_grading_worksheet.csv", "moodle_feedback_files.zip"
FEEDBACK_NAME = "feedback.md"


def worksheet(outcomes, names, manifest, graded_at=None):
    """The grading worksheet CSV: one row per student of the download; a student
    who was not graded has an empty Grade, which the importer skips."""
    maximum = format_score(sum(item.weight for item in manifest.items))
    when = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(graded_at))   # strtotime reads ISO 8601
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(WORKSHEET_HEADER)
    for outcome in sorted(outcomes, key=lambda o: (len(o.student), o.student)):
        grade = format_score(outcome.report["score"]) if outcome.report is not None else ""
        writer.writerow([PARTICIPANT + outcome.student, cell(names.get(outcome.student, ("",))[0]), "", grade,
                         maximum, "Yes", "", when])
    return buffer.getvalue()


def feedback_folder(student, name):
    """The folder Moodle's "Upload multiple feedback files in a zip" matches to
    participant `student`."""
    name = "".join(" " if c in "_/\\:*?\"<>|" else c for c in name).strip() or PARTICIPANT.strip()
    # The trailing "_" is what Moodle before 4.1 requires (five parts); 4.1 and later accept both.
    return f"{name}_{student}_assignfeedback_file_"


def feedback_zip(outcomes, names, feedback_dir, path):
    """Each student's feedback file in the folder Moodle matches to them. Fixed
    timestamps: the same feedback gives the same bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for outcome in sorted(outcomes, key=lambda o: o.student):
            source = feedback_dir / f"{outcome.student}.md"
            if source.is_file():
                info = zipfile.ZipInfo(f"{feedback_folder(outcome.student, names.get(outcome.student, ('',))[0])}/"
                                       f"{FEEDBACK_NAME}", date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, source.read_bytes())
