"""What a student sends, checked before it is queued: the file types, names
and sizes the grader accepts, and a zip opened with the kit's own checks
(grader/judge/unpack.py), so a refused upload gets its reason at once instead of a
failed attempt. Messages are for the student (pt-BR)."""
import os
import tempfile
import zipfile

from ..judge.inputs import MAX_SOURCE, _size as size_text
from ..manifest import load as load_manifest
from ..judge.unpack import MAX_TOTAL, UnpackError, safe_extract
from .grading import SUFFIXES, module_name

MAX_FILES = 20            # loose files in one attempt (the four modules, notebooks, a few extras)
MAX_NAME = 200            # characters of a file name


class UploadError(Exception):
    """The upload is refused; str() is the message for the student."""


def check_name(raw):
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name in (".", "..") or len(name) > MAX_NAME or any(ord(c) < 32 or c == "\x7f" for c in name):
        raise UploadError("Um dos arquivos tem um nome que não pode ser usado; renomeie e envie de novo.")
    if not name.lower().endswith(SUFFIXES):
        raise UploadError(f"{name}: envie arquivos .py, .ipynb ou um .zip com eles.")
    return name


def checked(files):
    """[(name, bytes)] -> the same, or UploadError."""
    if not files:
        raise UploadError("Escolha ao menos um arquivo (.py, .ipynb ou um .zip).")
    if len(files) > MAX_FILES:
        raise UploadError(f"São {len(files)} arquivos; envie no máximo {MAX_FILES} (ou um .zip).")
    names = [check_name(name) for name, _ in files]
    zips = [n for n in names if n.lower().endswith(".zip")]
    if zips and len(files) > 1:
        raise UploadError("Envie um .zip sozinho, ou os arquivos soltos sem o .zip.")
    total = sum(len(data) for _, data in files)
    if total > MAX_TOTAL:
        raise UploadError(f"O envio tem {size_text(total)}, mais que o limite de {size_text(MAX_TOTAL)}.")
    modules, seen = load_manifest().modules, {}
    for name, (_, data) in zip(names, files):
        if name.lower().endswith(".py") and len(data) > MAX_SOURCE:
            raise UploadError(f"{name} tem {size_text(len(data))}, mais que o limite de {size_text(MAX_SOURCE)}.")
        graded_as = module_name(name, modules)
        if graded_as in seen:
            raise UploadError(f"{seen[graded_as]} e {name} seriam o mesmo arquivo ({graded_as}); envie um só.")
        seen[graded_as] = name
    if zips:
        _check_zip(files[0][1])
    return list(zip(names, (data for _, data in files)))


def _check_zip(data):
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        archive = f"{folder}/upload.zip"
        with open(archive, "wb") as out:
            out.write(data)
        if not zipfile.is_zipfile(archive):
            raise UploadError("O .zip está corrompido ou não pôde ser lido.")
        target = f"{folder}/x"
        os.mkdir(target)
        try:
            safe_extract(archive, target)
        except UnpackError as err:
            raise UploadError(f"O .zip foi recusado: {err.reason}.") from None
