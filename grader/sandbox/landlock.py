"""Landlock (Linux 5.13+) through ctypes: confine the calling process to
read-only access beneath some paths, read-write beneath others, no TCP.

Used by the "landlock" sandbox where bubblewrap is not available: it needs
no privileges and no extra package. Rules are prepared in the parent
(`Rules`), and `restrict()` runs in the child between fork and exec.
"""
import ctypes
import os
import struct

from .linux import PR_SET_NO_NEW_PRIVS
from .linux import libc as _libc

SYS_CREATE, SYS_ADD_RULE, SYS_RESTRICT = 444, 445, 446   # same numbers on x86_64 and aarch64
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
MAKE_ALL = sum(1 << b for b in range(4, 13))          # remove/make dir, file, fifo, sock, ...
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX, SCOPE_SIGNAL = 1 << 0, 1 << 1
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV



def abi_version():
    """The kernel's Landlock ABI version, or 0 where there is none."""
    try:
        version = _libc.syscall(SYS_CREATE, None, 0, CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return 0
    return max(0, version)


def _fs_rights(abi):
    rights = EXECUTE | WRITE_FILE | READ_FILE | READ_DIR | MAKE_ALL
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


class Rules:
    """Paths to allow, split around the ones that must stay hidden."""

    def __init__(self, read_only, hidden=()):
        self.abi = abi_version()
        self.hidden = {os.path.realpath(h) for h in hidden}
        self.list_only = []   # parents of hidden folders: names visible, contents not
        self.read_only = [p for root in read_only for p in self._split(os.path.realpath(root))]

    def _split(self, root):
        # Landlock only adds rights, so a root holding a hidden folder is
        # allowed entry by entry, leaving the hidden one out.
        if not os.path.exists(root) or root in self.hidden:
            return []
        if not any(h.startswith(root + "/") for h in self.hidden) or not os.path.isdir(root):
            return [root]
        self.list_only.append(root)  # Python's import system lists the folders it searches
        return [p for entry in sorted(os.listdir(root)) for p in self._split(os.path.join(root, entry))]

    def restrict(self, writable):
        """Confine the calling process, `writable` being the one folder it may
        change. Call between fork and exec."""
        abi = self.abi
        fs = _fs_rights(abi)
        attr = struct.pack("Q", fs)
        if abi >= 4:
            attr += struct.pack("Q", NET_BIND_TCP | NET_CONNECT_TCP)
        if abi >= 6:
            attr += struct.pack("Q", SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL)
        ruleset = _libc.syscall(SYS_CREATE, ctypes.c_char_p(attr), len(attr), 0)
        if ruleset < 0:
            raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
        read = EXECUTE | READ_FILE | READ_DIR
        for paths, rights in ((self.list_only, READ_DIR), (self.read_only, read), ([writable], fs)):
            for path in paths:
                self._add(ruleset, path, rights & fs)
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS)")
        if _libc.syscall(SYS_RESTRICT, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
        os.close(ruleset)

    @staticmethod
    def _add(ruleset, path, rights):
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            return
        try:
            if not os.path.isdir(path):
                rights &= FILE_RIGHTS
            rule = struct.pack("=Qi", rights, fd)
            if _libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.c_char_p(rule), 0) != 0:
                raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
        finally:
            os.close(fd)
