"""What the judge agrees to read from a submission: regular files (never a
symlink, a FIFO or a device, which could point anywhere or block the judge)
under a size cap. The module files, notebooks and CI's annotations all ask here."""
import os

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
