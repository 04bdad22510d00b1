"""What the judge agrees to read from a submission: regular files (never a
symlink, a FIFO or a device, which could point anywhere or block the judge)
under a size cap. The module files, notebooks and CI's annotations all ask here."""
import os
import re

MAX_SOURCE = 2 * 1024 * 1024        # bytes of code: a .py file, or the code cells of a notebook
MAX_NOTEBOOK = 256 * 1024 * 1024    # bytes of .ipynb (outputs included) read at all


def unsafe(path, limit=MAX_SOURCE):
    """Why `path` is not read (in Portuguese, for the report), or ''."""
    if os.path.islink(path):
        return "é um link simbólico"
    if not os.path.isfile(path):
        return "não é um arquivo comum"
    size = os.path.getsize(path)
    return f"tem {_size(size)}, mais que o limite de {_size(limit)}" if size > limit else ""


def _size(n):
    return f"{n / 2 ** 20:.1f} MB".replace(".0 MB", " MB") if n >= 2 ** 20 else f"{n // 1024} KiB"


# Controls, bidi and invisible format marks, and the lone surrogates that stand
# for a name's bytes that are not UTF-8: shown as \uXXXX, never as themselves.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
# What GitHub's markdown turns into a link by itself: www.x, #12 (an issue).
_LINKING = re.compile(r"(?i)www(?=\.)|#(?=\w)")


def cite(name):
    """A submission's file name as a report message shows it: between quotes (so
    no message starts with it: a name like "# Nota 100" cannot become a heading),
    invisible characters spelled out, and a word joiner after what GitHub would
    turn into a link. The markdown renderer escapes the rest ([, `, *, <, @)."""
    return f"“{neutral(name)}”"


def neutral(name):
    """`name` with invisible characters spelled out and no link GitHub would make of it
    (for a name inside a message, as in a notebook cell's label)."""
    text = _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", str(name))
    return _LINKING.sub(lambda m: m.group() + WORD_JOINER, text)


WORD_JOINER = "\u2060"
