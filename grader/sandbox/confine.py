"""How the child process is confined: the command that starts it and the
limits it starts under.

Three kinds, the strongest available chosen by `choose("auto")`:
- "bwrap": bubblewrap with every namespace unshared: a read-only view of the
  system, only the submission's private copy and a fresh /tmp writable, no
  network, its own process tree, nothing of the user's home, the kit or the
  installed packages (the hidden suites and solutions are not there).
- "landlock": a plain child process confined by Landlock (Linux 5.13+, no
  privileges needed): it may read the system folders and the standard library
  only, write only its private copy, open no TCP connection, and signal no
  process outside itself.
- "process": a plain child process, for machines with neither. Every kind
  gets the resource limits, the scrubbed environment and, where the kernel
  allows, an empty network namespace; this one cannot stop the child reading
  or writing what the grading user may.
"""
import ctypes
import errno
import functools
import importlib.util
import os
import resource
import shutil
import signal
import site
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import landlock, namespaces
from .linux import PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_SET_SECUREBITS, libc
from ..errors import GraderError
from ..manifest import SUITES

CHILD = Path(__file__).with_name("child.py")
INSIDE_WORKDIR = "/work"
INSIDE_CHILD = "/sandbox/child.py"
UNPRIVILEGED = 65534    # nobody: the uid and gid the child runs as when the grader is root
# SECBIT_NOROOT, _NO_SETUID_FIXUP, _KEEP_CAPS, _NO_CAP_AMBIENT_RAISE, each with its lock:
# uid 0 gains no capability back by exec, and the setting cannot be undone.
SECURE_NO_ROOT = 0b11111111
LINUX_CAPABILITY_VERSION_3 = 0x20080522
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime")   # what Python reads outside those


# Packages of the grader's environment that student code may import (SPEC
# section 4: the course uses numpy). Only these folders are shown to the child,
# never the site-packages that holds them (the kit and its hidden suites).
SHARED_PACKAGES = ("numpy",)


@lru_cache(maxsize=None)
def shared_packages():
    """{name: real folder} of SHARED_PACKAGES (and their bundled `.libs`) that
    the child would not see anyway (outside the base Python and the system)."""
    found = {}
    visible = (os.path.realpath(sys.base_prefix) + "/", *(d + "/" for d in SYSTEM_DIRS))
    for name in SHARED_PACKAGES:
        spec = importlib.util.find_spec(name)   # finds it without importing it
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = os.path.realpath(list(spec.submodule_search_locations)[0])
        if folder.startswith(visible):
            continue
        found[name] = folder
        libs = folder + ".libs"   # manylinux wheels keep their shared libraries beside the package
        if os.path.isdir(libs):
            found[name + ".libs"] = libs
    return found


def _link_shared_packages(workdir):
    # process and landlock: the child imports them from its own folder (sys.path[0]).
    for name, folder in shared_packages().items():
        link = Path(workdir) / name
        if not os.path.lexists(link):
            os.symlink(folder, link)


class SandboxUnavailable(GraderError):
    """The sandbox asked for (bwrap or landlock) cannot run here."""


class SandboxFailed(GraderError):
    """The sandbox could not start the child: the grader's failure, never a
    score for the student (exit 2)."""


def scrubbed_env(home, token):
    # Nothing of the grader's environment (tokens, CI secrets) reaches the child;
    # the token marks its processes so that strays can be found and killed.
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg",
            "GRADER_CHILD": token}


def kill_strays(token):
    """Kill every process carrying the child's token, even one that left the
    process group (setsid) or was orphaned. bwrap needs none of this: its pid
    namespace dies with it."""
    marker = f"GRADER_CHILD={token}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                if marker in f.read().split(b"\0"):
                    os.kill(int(entry), signal.SIGKILL)
        except OSError:
            pass


def base_python():
    """The real interpreter behind a virtual environment: the child needs no
    package, only the standard library."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


@dataclass(frozen=True)
class Sandbox:
    kind: str          # "bwrap", "landlock" or "process"
    note: str = ""     # why a weaker kind was chosen, if it was

    def command(self, workdir, fds, blocked, token, files, disk_mb):
        """(argv, cwd, env, extra_fds) that start the child. `files` ({name:
        bytes}) is the copy as the judge wrote it: bwrap (and the others where
        a mount namespace is allowed) start each child on a fresh tmpfs holding
        only those, so nothing a child leaves there outlives it."""
        args = [str(fds[0]), str(fds[1]), blocked]
        if self.kind in ("process", "landlock"):
            _link_shared_packages(workdir)
            return ([base_python(), "-I", "-B", str(CHILD), str(workdir), *args], str(workdir),
                    scrubbed_env(workdir, token), ())
        prefix, extra = _bwrap_prefix(workdir, token, files, disk_mb)
        return [*prefix, base_python(), "-I", "-B", INSIDE_CHILD, INSIDE_WORKDIR, *args], "/", {}, extra

    def hand_over(self, workdir):
        """Once, before the first child: give the copy to the uid the child
        runs as, where it writes on the host disk (bwrap copies it)."""
        if self.kind != "bwrap":
            hand_over(workdir)

    def preexec(self, limits, workdir, files):
        if self.kind == "bwrap":   # bwrap unshares everything itself, and drops root itself
            return functools.partial(_set_limits, limits, _processes_of_user(os.geteuid()) + limits.processes)
        rules = _landlock_rules() if self.kind == "landlock" else None
        writable = os.path.realpath(workdir)
        sockets = socket_filter()   # bwrap needs none: the host's sockets are out of its sight
        flags = namespaces.available()
        disk = {**files, **{name: ("link", folder) for name, folder in shared_packages().items()}}
        owner = _child_owner(flags)
        processes = _processes_of_user(owner[0]) + limits.processes
        fresh_tmp = fresh_tmp_possible()
        hide = out_of_sight(workdir) if flags & namespaces.CLONE_NEWNS else ()

        def apply():
            _set_limits(limits, processes)
            namespaces.enter(flags)
            if flags & namespaces.CLONE_NEWNS:
                namespaces.private_disk(writable, disk, limits.disk_mb, owner, tmp=fresh_tmp, hide=hide)
            if os.geteuid() == 0:
                drop_root(owner)
            if rules is not None:
                rules.restrict(writable)
            if sockets is not None:
                sockets.load()   # after Landlock's no_new_privs, which seccomp needs
            if flags & namespaces.CLONE_NEWPID:
                namespaces.become_init()
        return apply


def fresh_tmp_possible():
    """Whether a private disk may cover /tmp too: not if what the child runs
    lives beneath it (a checkout or a virtual environment in /tmp, say)."""
    needed = [str(CHILD), os.path.realpath(sys.base_prefix), *shared_packages().values()]
    return not any(os.path.realpath(p).startswith("/tmp/") for p in needed)


def out_of_sight(workdir):
    """Folders the landlock and process children get an empty tmpfs over
    where a mount namespace is allowed: the hidden suite, a checkout's
    solutions and the grading user's home (or its ~/.ssh, when the
    interpreter lives in the home), never one that holds what the child needs."""
    kit = Path(__file__).resolve().parents[1]
    home = os.path.realpath(os.path.expanduser("~"))
    needed = [str(CHILD), os.path.realpath(sys.base_prefix), os.path.realpath(workdir), *shared_packages().values()]
    found = []
    for folder in (kit / "suites" / "hidden", kit.parent / "solutions", home, os.path.join(home, ".ssh")):
        folder = os.path.realpath(folder)
        if not os.path.isdir(folder) or folder == "/" or any(f == folder or folder.startswith(f + "/") for f in found):
            continue
        if not any(n == folder or n.startswith(folder + "/") for n in needed):
            found.append(folder)
    return found


def _child_owner(flags=None):
    """(uid, gid) the landlock or process child runs as: the grading user's,
    or nobody's when that is root and nobody can run the interpreter (pyenv
    under /root, say, it cannot). Nobody writes in its own tmpfs copy where a
    mount namespace is allowed, else in the copy handed over to it
    (hand_over); `flags` is kept for the callers that pass it."""
    if os.geteuid() != 0 or not _nobody_can_run_the_child():
        return os.geteuid(), os.getegid()
    return UNPRIVILEGED, UNPRIVILEGED


def hand_over(workdir):
    """Make the copy the child's where it writes in it on the host disk (no
    mount namespace) as another uid (nobody): the judge chowns what it wrote
    itself, before any child has run, without following a link."""
    uid, gid = _child_owner()
    if uid == os.geteuid() or namespaces.available() & namespaces.CLONE_NEWNS:
        return
    for top, dirs, files in os.walk(workdir):
        for name in (*dirs, *files):
            os.lchown(os.path.join(top, name), uid, gid)
    os.lchown(workdir, uid, gid)


@lru_cache(maxsize=None)
def _nobody_can_run_the_child():
    readable = [str(CHILD), *(os.path.join(f, "__init__.py") for f in shared_packages().values()
                              if os.path.exists(os.path.join(f, "__init__.py")))]
    probe = f"import json, ctypes, encodings\nfor p in {readable!r}: open(p, 'rb').close()"

    def as_nobody():
        os.setgroups([])
        os.setresgid(UNPRIVILEGED, UNPRIVILEGED, UNPRIVILEGED)
        os.setresuid(UNPRIVILEGED, UNPRIVILEGED, UNPRIVILEGED)
        os.chdir("/")
        quiet = os.open(os.devnull, os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(quiet, std)
        os.execv(base_python(), [base_python(), "-I", "-B", "-c", probe])
    return namespaces.succeeds_in_fork(as_nobody)


@lru_cache(maxsize=None)
def _landlock_rules():
    readable = [*SYSTEM_DIRS, *SYSTEM_FILES, os.path.realpath(sys.base_prefix), str(CHILD),
                *shared_packages().values()]
    return landlock.Rules(readable, hidden=list(_hidden_dirs()))


def _bwrap_prefix(workdir, token="", files=None, disk_mb=64):
    """bwrap's arguments, and the descriptors they name (one memfd per file
    of the copy, which bwrap copies into the tmpfs that /work is)."""
    prefix = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
              "--proc", "/proc", "--dev", "/dev", *_sized(disk_mb), "--tmpfs", "/tmp"]
    if os.geteuid() == 0:   # root is not a privilege the child keeps: nobody, in its own user namespace
        prefix += ["--unshare-user", "--uid", str(UNPRIVILEGED), "--gid", str(UNPRIVILEGED), "--cap-drop", "ALL"]
        prefix += ["--disable-userns"] if "--disable-userns" in _bwrap_help() else []   # bubblewrap >= 0.8
    for path in SYSTEM_DIRS:
        if os.path.lexists(path):
            prefix += ["--ro-bind", path, path]
    for path in SYSTEM_FILES:
        if os.path.exists(path):
            prefix += ["--ro-bind", path, path]
    base = os.path.realpath(sys.base_prefix)
    if not base.startswith(SYSTEM_DIRS):
        prefix += ["--ro-bind", base, base]
    # Installed packages (the kit itself among them) stay out of sight.
    for path in _hidden_dirs():
        prefix += ["--tmpfs", path]
    prefix += ["--ro-bind", str(CHILD), INSIDE_CHILD]
    extra = []
    if files is None:   # the probe: the host folder itself
        prefix += ["--bind", str(workdir), INSIDE_WORKDIR]
    else:
        prefix += [*_sized(disk_mb), "--tmpfs", INSIDE_WORKDIR]
        for name, content in files.items():
            fd = os.memfd_create(name)
            os.write(fd, content)
            os.lseek(fd, 0, os.SEEK_SET)
            extra.append(fd)
            prefix += ["--file", str(fd), f"{INSIDE_WORKDIR}/{name}"]
    prefix += ["--chdir", INSIDE_WORKDIR]
    for name, folder in shared_packages().items():
        prefix += ["--ro-bind", folder, f"{INSIDE_WORKDIR}/{name}"]
    for key, value in scrubbed_env(INSIDE_WORKDIR, token).items():
        prefix += ["--setenv", key, value]
    return prefix, extra


def _sized(disk_mb):
    # bubblewrap >= 0.5 caps a tmpfs; an older one leaves it at the kernel's default (half the RAM).
    return ["--size", str(disk_mb * 1024 * 1024)] if "--size" in _bwrap_help() else []


@lru_cache(maxsize=None)
def _bwrap_help():
    try:
        return subprocess.run([shutil.which("bwrap") or "bwrap", "--help"], capture_output=True, text=True,
                              timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _hidden_dirs():
    roots = [os.path.realpath(sys.base_prefix), *SYSTEM_DIRS]
    candidates = set(site.getsitepackages()) | {str(Path(__file__).resolve().parents[2])}
    for path in sorted(candidates):
        real = os.path.realpath(path)
        if os.path.isdir(real) and any(real == r or real.startswith(r + "/") for r in roots):
            yield real


def _set_limits(limits, processes):
    mb = 1024 * 1024
    for name, value in (("RLIMIT_AS", limits.memory_mb * mb),
                        ("RLIMIT_FSIZE", limits.file_size_mb * mb),
                        ("RLIMIT_NPROC", processes),
                        ("RLIMIT_CORE", 0),
                        ("RLIMIT_CPU", int(limits.total_timeout) + 5)):
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (ValueError, OSError, AttributeError):
            pass


def _processes_of_user(uid):
    """What RLIMIT_NPROC is checked against: every task (thread) whose real
    uid is `uid`, the child's and all the user's other programs' (a desktop
    session or a CI agent may hold hundreds). The limit is that count plus
    the child's share, so only what the child adds is bounded."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", "rb") as f:
                status = dict(line.split(b":", 1) for line in f.read().splitlines() if b":" in line)
            if int(status[b"Uid"].split()[0]) == uid:
                count += int(status[b"Threads"])
        except (OSError, KeyError, ValueError, IndexError):
            pass
    return count


def socket_filter():
    """A seccomp filter (libseccomp, through pyseccomp) that refuses every
    socket() and socketpair(): Landlock does not mediate connect() to a
    pathname UNIX socket (a Docker socket, D-Bus, X11), nor UDP where there is
    no network namespace, and the process kind has nothing else. Built here,
    loaded by the child between fork and exec; None where libseccomp is missing."""
    if not _socket_filter_loads():
        return None
    return _build_socket_filter()


def _build_socket_filter():
    import pyseccomp   # lazily: only the judge's side of a spawn needs it
    refuse = pyseccomp.SyscallFilter(defaction=pyseccomp.ALLOW)   # it sets no_new_privs itself on load
    for name in ("socket", "socketpair"):
        refuse.add_rule(pyseccomp.ERRNO(errno.EPERM), name)
    return refuse


@lru_cache(maxsize=None)
def _socket_filter_loads():
    """Whether the filter can be built and loaded here (tried once, in a
    forked process): a filter that failed in the child would fail every test."""
    try:
        refuse = _build_socket_filter()
    except (ImportError, OSError, RuntimeError, AttributeError):
        return False
    return namespaces.succeeds_in_fork(refuse.load)


@lru_cache(maxsize=None)
def weaknesses(kind):
    """What this machine's `kind` does not confine that the threat model wants
    confined (said in the report's sandbox_note and on stderr)."""
    gaps = []
    if kind == "process":
        uid = _child_owner(namespaces.available())[0]
        gaps.append("the process sandbox does not confine files: the child may read and write what uid "
                    f"{uid} can outside its copy")
    if kind in ("landlock", "process") and socket_filter() is None:
        gaps.append("no seccomp filter (libseccomp missing): UNIX sockets and UDP are open")
    if kind in ("landlock", "process"):
        flags = namespaces.available()
        if not flags & namespaces.CLONE_NEWPID:
            gaps.append("no pid namespace: a process that leaves the group and clears its environment can outlive "
                        "grading")
        if not flags & namespaces.CLONE_NEWNS:
            gaps.append("no mount namespace: the child writes into the copy on the host disk, each file limited "
                        "but not their total")
        if not flags & namespaces.CLONE_NEWNET:
            gaps.append("no network namespace")
        if os.geteuid() == 0 and _child_owner(flags)[0] == 0:
            gaps.append("the child stays uid 0 (without capabilities): nobody cannot run this Python or the "
                        "kernel allows no private copy")
    if kind == "landlock":
        abi = landlock.abi_version()
        if abi < 4:
            gaps.append(f"Landlock ABI {abi} < 4: TCP is not confined")
        if abi < 6:
            gaps.append(f"Landlock ABI {abi} < 6: abstract UNIX sockets and signals to other processes are open")
    return "; ".join(gaps)


def drop_root(owner):
    """Root is not a privilege the child keeps (landlock and process kinds;
    bwrap runs the child as nobody): it becomes `owner` (nobody where it
    can, see _child_owner), and every capability is gone from the bounding,
    permitted, effective and inheritable sets, uid 0 unable to regain them by
    exec, no new privileges. So no device node can be made and no limit
    raised back. A child that stays uid 0 reaches the files root owns as far
    as the sandbox lets it (landlock confines them; process does not)."""
    if libc.prctl(PR_SET_SECUREBITS, SECURE_NO_ROOT, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECUREBITS)")
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break   # EINVAL: past the last capability this kernel knows
    uid, gid = owner
    if uid != 0:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    header = (ctypes.c_uint32 * 2)(LINUX_CAPABILITY_VERSION_3, 0)
    nothing = (ctypes.c_uint32 * 6)()   # effective, permitted, inheritable, for two 32-bit words
    if libc.capset(header, nothing) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS)")


@lru_cache(maxsize=None)
def bwrap_problem():
    """Why bubblewrap cannot run here, or '' if it can (checked once)."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    try:
        probe = subprocess.run([*_bwrap_prefix("/tmp")[0], base_python(), "-I", "-S", "-c", "pass"],
                               capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bwrap failed to start: {err}"
    if probe.returncode != 0:
        return "bwrap cannot create namespaces here: " + probe.stderr.decode(errors="replace").strip()[:200]
    return ""


def landlock_problem():
    if landlock.abi_version() < 1:
        return "Landlock is not available in this kernel"
    return ""


PROBLEMS = {"bwrap": bwrap_problem, "landlock": landlock_problem, "process": lambda: ""}


ALLOW_WEAK_ENV = "GRADER_ALLOW_WEAK_SANDBOX"   # "1": the instructor's --allow-weak-sandbox, for every command


def for_hidden_tests(mode="auto", allow_weak=None):
    """choose(mode) for the hidden suite, the one rule of every command: the
    process sandbox only where its child runs as a uid that can neither read
    the hidden suite nor write where the judge reads or runs from (root
    dropping to nobody, the suite unreadable to others), or when the
    instructor forces it (`allow_weak`, by default the GRADER_ALLOW_WEAK_SANDBOX
    environment variable)."""
    sandbox = choose(mode)
    if sandbox.kind != "process":
        return sandbox
    problem = process_exposes_hidden_tests()
    if not problem:
        return sandbox
    if allow_weak is None:
        allow_weak = os.environ.get(ALLOW_WEAK_ENV) == "1"
    if allow_weak:
        return Sandbox("process", note="; ".join(filter(None, [
            sandbox.note, f"forced with --allow-weak-sandbox although {problem}"])))
    raise SandboxUnavailable(
        f"refusing to run the hidden tests in the process sandbox: {problem}. Install bubblewrap (or use a kernel "
        "with Landlock), or run the grader as root with the hidden suite readable by root only (the child then "
        "runs as nobody), or pass --allow-weak-sandbox (GRADER_ALLOW_WEAK_SANDBOX=1) to grade anyway, knowing "
        "that a submission can then read the hidden tests and change what the grader writes")


def process_exposes_hidden_tests():
    """Why a process-sandbox child could read the hidden suite or write where
    the judge reads or runs from, or '' (tried once per run, as that uid)."""
    uid, gid = _child_owner()
    if uid == os.geteuid():
        return f"its child runs as the grading user (uid {uid}), who can read the hidden tests"
    hidden = SUITES / "hidden"
    readable = [str(p) for p in sorted(hidden.rglob("*")) if p.is_file()] if hidden.is_dir() else []
    writable = sorted({os.path.realpath(p or ".") for p in sys.path if os.path.isdir(p or ".")})
    return _probe_as(uid, gid, readable, writable)


@lru_cache(maxsize=None)
def _probe_cached(uid, gid, readable, writable):
    read_fd, write_fd = os.pipe()

    def as_child():
        os.close(read_fd)
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
        found = [f"uid {uid} can read {p}" for p in readable if _opens(p)]
        found += [f"uid {uid} can write in {p}, where the grader loads its code from" for p in writable
                  if os.access(p, os.W_OK)]
        os.write(write_fd, "; ".join(found[:2]).encode()[:2000])
    ok = namespaces.succeeds_in_fork(as_child)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as answer:
        said = answer.read().decode(errors="replace")
    return said if ok else f"the check as uid {uid} failed"


def _probe_as(uid, gid, readable, writable):
    return _probe_cached(uid, gid, tuple(readable), tuple(writable))


def _opens(path):
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
        return True
    except OSError:
        return False


def choose(mode="auto"):
    """The sandbox asked for, or with 'auto' the strongest that works here;
    `note` says why each stronger one was passed over."""
    if mode != "auto":
        problem = PROBLEMS[mode]()
        if problem:
            raise SandboxUnavailable(problem)
        return Sandbox(mode, note=weaknesses(mode))
    passed_over = []
    for kind in ("bwrap", "landlock", "process"):
        problem = PROBLEMS[kind]()
        if not problem:
            return Sandbox(kind, note="; ".join(filter(None, [*passed_over, weaknesses(kind)])))
        passed_over.append(f"{kind}: {problem}")
