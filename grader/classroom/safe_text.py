"""Text that comes from students (entry names, LMS full names, error messages),
made safe to show: on a terminal, where control codes and right-to-left marks
would redraw or reorder the line, and in a spreadsheet, where a cell starting
with `=` runs as a formula.
"""
import unicodedata

# A spreadsheet runs a cell that starts with one of these as a formula (Excel,
# LibreOffice and Google Sheets skip leading spaces, so those are looked past).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control, format (bidi marks, zero-width), separators, private-use, unassigned.
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}


def visible(text):
    """`text` with every invisible or line-redrawing character written as its
    escape (`\\x1b`, `\\u202e`), so what is shown is what is there."""
    return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in HIDDEN else c
                   for c in text)


def inert(value):
    """A CSV cell that a spreadsheet shows as text, never runs."""
    if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value):
    """Student text for a CSV cell: visible and inert."""
    return inert(visible(value))
