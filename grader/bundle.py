"""The hidden suite as an encrypted bundle, for student repositories.

A release carries the hidden tests only as a Fernet token (AES-128-CBC with
an HMAC, from the `cryptography` package); the key lives in a CI secret. Only
the judging process decrypts it, into a private folder the sandboxed child
cannot see.
"""
import io
import os
import tarfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

MAX_BUNDLE = 20 * 1024 * 1024


class BundleError(Exception):
    """The bundle could not be opened (wrong key, damaged, or unsafe)."""


def new_key():
    return Fernet.generate_key().decode()


def seal(folder, key):
    """Encrypt every .py file directly in `folder` (no subfolders)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(Path(folder).glob("*.py")):
            info = tarfile.TarInfo(path.name)
            data = path.read_bytes()
            info.size, info.mode = len(data), 0o600
            tar.addfile(info, io.BytesIO(data))
    return Fernet(key.encode() if isinstance(key, str) else key).encrypt(buffer.getvalue())


def open_bundle(path, key, dest):
    """Decrypt the bundle at `path` into dest/hidden (mode 0700); return that folder."""
    data = Path(path).read_bytes()
    if len(data) > MAX_BUNDLE:
        raise BundleError("bundle too large")
    try:
        plain = Fernet(key.encode() if isinstance(key, str) else key).decrypt(data)
    except (InvalidToken, ValueError) as err:
        raise BundleError("cannot decrypt the hidden suite: wrong key or damaged bundle") from err
    folder = Path(dest) / "hidden"
    folder.mkdir(mode=0o700)
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or "/" in member.name or member.name.startswith("."):
                raise BundleError(f"unexpected member in bundle: {member.name!r}")
            target = folder / member.name
            with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                out.write(tar.extractfile(member).read())
    return folder
