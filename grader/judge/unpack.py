"""Extracts a student's .zip without trusting anything in it.

A zip is refused whole, before a byte is written, when a member's name would
land outside the destination (`../`, an absolute path, a drive letter), when a
member is a symlink or a device, or when its headers announce too many
members or too many bytes. The headers can lie, so the bytes actually
decompressed are counted again while writing, and the extraction stops at the
same caps. Files are created with O_EXCL | O_NOFOLLOW inside a fresh folder,
so nothing already on disk can be followed or overwritten.
"""
import os
import stat
import zipfile
import zlib

MAX_TOTAL = 50 * 1024 * 1024   # bytes, all members uncompressed
MAX_MEMBERS = 1000
CHUNK = 64 * 1024


# Why a zip was refused, told to the student in their feedback file.
REASONS = {
    "slip": "o .zip tem arquivos com caminho absoluto ou com '..', que sairiam da pasta da entrega",
    "special": "o .zip tem links simbólicos, arquivos especiais ou arquivos criptografados",
    "bomb": f"o .zip tem arquivos demais (mais de {MAX_MEMBERS}) ou se expande para mais de "
            f"{MAX_TOTAL // 2**20} MB",
    "duplicate": "o .zip tem o mesmo arquivo duas vezes",
    "corrupt": "o .zip está corrompido ou não pôde ser lido",
}


class UnpackError(Exception):
    """The zip was refused: str() says why for the instructor, `reason` for the student."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.reason = REASONS[kind]


def safe_extract(archive, dest, max_total=MAX_TOTAL, max_members=MAX_MEMBERS):
    """Extract `archive` into the existing empty folder `dest`, or raise UnpackError."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            _check_headers(members, max_total, max_members)
            written = 0
            for info in members:
                written = _extract_one(zf, info, dest, written, max_total)
    except UnpackError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, zlib.error, UnicodeDecodeError, ValueError, OSError) as err:
        # Corrupt data, a wrong CRC (what a lying size header ends in), an
        # encrypted or unsupported member, a name that is not valid UTF-8.
        raise UnpackError("corrupt", f"not a readable zip ({type(err).__name__}: {err})") from None


def _check_headers(members, max_total, max_members):
    if len(members) > max_members:
        raise UnpackError("bomb", f"zip has {len(members)} members (limit {max_members})")
    total = sum(info.file_size for info in members)
    if total > max_total:
        raise UnpackError("bomb", f"zip expands to {total} bytes (limit {max_total}): zip bomb?")
    for info in members:
        kind, problem = unsafe_member(info)
        if problem:
            raise UnpackError(kind, f"member {_shown(info)} refused: {problem}")


def unsafe_member(info):
    """(kind, why) when the member must not be extracted, else ('', '')."""
    name = info.filename.replace("\\", "/")
    if "\0" in name:
        return "slip", "NUL byte in its name"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "slip", "absolute path (zip-slip)"
    if ".." in name.split("/"):
        return "slip", "path with '..' (zip-slip)"
    if info.flag_bits & 0x1:
        return "special", "encrypted"
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "special", "symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "special", "not a regular file"
    return "", ""


def _shown(info):
    name = info.filename
    return repr(name if len(name) <= 80 else name[:40] + "…" + name[-30:])


def _parts(info):
    return [p for p in info.filename.replace("\\", "/").split("/") if p not in ("", ".")]


def _extract_one(zf, info, dest, written, max_total):
    parts = _parts(info)
    if not parts:
        return written
    if info.is_dir():
        make_dirs(dest, parts)
        return written
    parent = make_dirs(dest, parts[:-1])
    return written + copy_member(zf, info, os.path.join(parent, parts[-1]), max_total - written)


def copy_member(zf, info, target, budget):
    """Write member `info` of the open zip `zf` to the new file `target`
    (never an existing file or a link); return the bytes written. More bytes
    than the header declares, or than `budget`, is a bomb."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        raise UnpackError("duplicate", f"member {_shown(info)} appears twice") from None
    got = 0
    with os.fdopen(fd, "wb") as out, zf.open(info) as src:
        while chunk := src.read(CHUNK):
            got += len(chunk)
            # Counted again here because the headers checked before can lie.
            if got > info.file_size or got > budget:
                raise UnpackError("bomb", f"member {_shown(info)} expands past its declared size "
                                  f"or the byte limit: zip bomb?")
            out.write(chunk)
    return got


def make_dirs(dest, parts):
    """dest/parts..., created; never through a link."""
    path = dest
    for part in parts:
        path = os.path.join(path, part)
        if os.path.islink(path):
            raise UnpackError("special", f"path {'/'.join(parts)!r} goes through a link")
        os.makedirs(path, exist_ok=True)
    return path
