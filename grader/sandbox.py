"""How the child process is confined: the command that starts it and the
limits it starts under.

Two kinds, the strongest available chosen by `choose("auto")`:
- "bwrap": bubblewrap with every namespace unshared: a read-only view of the
  system, only the submission's private copy and a fresh /tmp writable, no
  network, its own process tree, nothing of the user's home, the kit or the
  installed packages (the hidden suites and solutions are not there).
- "process": a plain child process; same resource limits and scrubbed
  environment, and its own empty network namespace where the kernel allows
  one. It cannot stop the child reading or writing what the grading user may.
"""
import ctypes
import os
import resource
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CHILD = Path(__file__).with_name("child.py")
INSIDE_WORKDIR = "/work"
INSIDE_CHILD = "/sandbox/child.py"
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")


class SandboxUnavailable(Exception):
    """--sandbox bwrap was asked for but cannot run here."""


def scrubbed_env(home):
    # Nothing of the grader's environment (tokens, CI secrets) reaches the child.
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg"}


def base_python():
    """The real interpreter behind a virtual environment: the child needs no
    package, only the standard library."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


@dataclass(frozen=True)
class Sandbox:
    kind: str          # "bwrap" or "process"
    note: str = ""     # why a weaker kind was chosen, if it was

    def command(self, workdir, fds, blocked):
        args = [str(fds[0]), str(fds[1]), blocked]
        if self.kind == "process":
            return [base_python(), "-I", "-B", str(CHILD), str(workdir), *args], str(workdir), scrubbed_env(workdir)
        return [*_bwrap_prefix(workdir), base_python(), "-I", "-B", INSIDE_CHILD, INSIDE_WORKDIR, *args], "/", {}

    def preexec(self, limits):
        network = self.kind == "process"

        def apply():
            _set_limits(limits)
            if network:
                _leave_network()
        return apply


def _bwrap_prefix(workdir):
    prefix = [shutil.which("bwrap") or "bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
              "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in SYSTEM_DIRS:
        if os.path.lexists(path):
            prefix += ["--ro-bind", path, path]
    for path in ("/etc/ld.so.cache", "/etc/localtime"):
        if os.path.exists(path):
            prefix += ["--ro-bind", path, path]
    base = os.path.realpath(sys.base_prefix)
    if not base.startswith(SYSTEM_DIRS):
        prefix += ["--ro-bind", base, base]
    # Installed packages (the kit itself among them) stay out of sight.
    for path in _hidden_dirs():
        prefix += ["--tmpfs", path]
    prefix += ["--ro-bind", str(CHILD), INSIDE_CHILD, "--bind", str(workdir), INSIDE_WORKDIR,
               "--chdir", INSIDE_WORKDIR]
    for key, value in scrubbed_env(INSIDE_WORKDIR).items():
        prefix += ["--setenv", key, value]
    return prefix


def _hidden_dirs():
    roots = [os.path.realpath(sys.base_prefix), *SYSTEM_DIRS]
    candidates = set(site.getsitepackages()) | {str(Path(__file__).resolve().parent.parent)}
    for path in sorted(candidates):
        real = os.path.realpath(path)
        if os.path.isdir(real) and any(real == r or real.startswith(r + "/") for r in roots):
            yield real


def _set_limits(limits):
    mb = 1024 * 1024
    for name, value in (("RLIMIT_AS", limits.memory_mb * mb),
                        ("RLIMIT_FSIZE", limits.file_size_mb * mb),
                        ("RLIMIT_NPROC", _processes_of_user() + limits.processes),
                        ("RLIMIT_CORE", 0),
                        ("RLIMIT_CPU", int(limits.total_timeout) + 5)):
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (ValueError, OSError, AttributeError):
            pass


def _processes_of_user():
    # RLIMIT_NPROC counts every process of the user, not only the child's.
    uid, count = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                count += os.stat(f"/proc/{entry}").st_uid == uid
            except OSError:
                pass
    return count


def _leave_network():
    """Move into a new, empty network namespace (loopback down) if allowed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
        libc.unshare(flags)
    except (OSError, AttributeError):
        pass


@lru_cache(maxsize=None)
def bwrap_problem():
    """Why bubblewrap cannot run here, or '' if it can (checked once)."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    try:
        probe = subprocess.run([*_bwrap_prefix("/tmp"), base_python(), "-I", "-c", "pass"],
                               capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bwrap failed to start: {err}"
    if probe.returncode != 0:
        return "bwrap cannot create namespaces here: " + probe.stderr.decode(errors="replace").strip()[:200]
    return ""


def choose(mode="auto"):
    if mode == "process":
        return Sandbox("process")
    problem = bwrap_problem()
    if mode == "bwrap":
        if problem:
            raise SandboxUnavailable(problem)
        return Sandbox("bwrap")
    return Sandbox("process", note=problem) if problem else Sandbox("bwrap")
