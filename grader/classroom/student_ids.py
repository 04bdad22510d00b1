"""One student, one id: the same id written in another Unicode form, with
other digits (Arabic-Indic `١٠٠٦`, full-width `１００６`) or in another case
must not become a second student.

`normal` is the id the gradebook shows (NFKC, every decimal digit as ASCII);
`same_key` decides which ids are one student (also case-folded: LMS user
names and e-mails are matched without case).
"""
import unicodedata

MAX_ID_BYTES = 200   # a student id must still make a file name


def normal(raw):
    text = unicodedata.normalize("NFKC", raw)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def same_key(student):
    return normal(student).casefold()


def unusable(student):
    """Why `student` cannot be an id (it names files in OUT), or ''."""
    if not student.strip():
        return "an empty student id"
    if student in (".", "..") or "/" in student or "\\" in student or "\0" in student:
        return f"the id {student!r} cannot name a file"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in student):
        return "a student id with control or direction characters"
    if len(student.encode("utf-8")) > MAX_ID_BYTES:
        return f"a student id longer than {MAX_ID_BYTES} bytes"
    return ""
