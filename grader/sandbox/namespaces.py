"""Linux namespaces for the landlock and process sandboxes (bwrap makes its
own): entered by the child between fork and exec, where the kernel allows.

- network: a new, empty network namespace (loopback down);
- mount: the private copy becomes a size-limited tmpfs holding the files the
  judge wrote (so the child's total writes are bounded and nothing it leaves
  there reaches the host), and /tmp another one;
- pid: the child is the init of its own pid namespace, so every process it
  starts dies with it, whatever group or session it moved to, and no process
  outside (the judge above all) can be named to be signalled.

Without root these come with a user namespace that maps only the grading
user to itself. `available()` finds, once, what this machine allows; the
child then asks for exactly that, so a spawn never half-succeeds.
"""
import os
import signal
import tempfile
from functools import lru_cache

from .linux import PR_SET_DUMPABLE, PR_SET_PDEATHSIG, check
from .linux import libc as _libc

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 0x1, 0x2, 0x4, 0x4000, 0x40000
NAMES = {CLONE_NEWNET: "network", CLONE_NEWNS: "mount", CLONE_NEWPID: "pid"}



def enter(flags):
    """unshare() `flags` (CLONE_NEWNET/NS/PID), with a user namespace when not root."""
    if not flags:
        return
    if os.geteuid() == 0:
        check(_libc.unshare(flags), "unshare")
        return
    uid, gid = os.geteuid(), os.getegid()
    check(_libc.unshare(CLONE_NEWUSER | flags), "unshare")
    # Files the child creates must belong to someone the kernel can name: the grading user, as itself.
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)


def private_disk(workdir, files, size_mb, owner, tmp=True, hide=()):
    """Mount a tmpfs of `size_mb` over `workdir` holding `files` ({name: bytes,
    or ('link', target)}), and another over /tmp; `owner` (uid, gid) owns them.
    Each folder in `hide` gets an empty read-only tmpfs over it: Landlock
    refuses to open what lies there but not to stat it (size, times).
    Needs a mount namespace (entered with enter())."""
    check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
    for folder in hide:
        check(_libc.mount(b"tmpfs", os.fsencode(folder), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
                          b"size=4k,mode=0555"), f"mount {folder}")
    uid, gid = owner
    mounts = {workdir: f"size={size_mb}m,mode=0700,uid={uid},gid={gid}"}
    if tmp:
        mounts["/tmp"] = f"size={size_mb}m,mode=1777"
    # Outermost first: a copy beneath /tmp is made again inside the new /tmp.
    for target in sorted(mounts, key=len):
        os.makedirs(target, exist_ok=True)
        check(_libc.mount(b"tmpfs", os.fsencode(target), b"tmpfs", MS_NOSUID | MS_NODEV, mounts[target].encode()),
               f"mount {target}")
    for name, content in files.items():
        path = os.path.join(workdir, name)
        if isinstance(content, tuple):
            os.symlink(content[1], path)
        else:
            with open(path, "wb") as f:
                f.write(content)
        os.lchown(path, uid, gid)
    os.chdir(workdir)   # the cwd was the directory now underneath


def become_init():
    """Fork once more: the new process is pid 1 of the namespace and goes on
    to exec; this one waits, passes on how it ended, and never returns. The
    init dies if this process does (PDEATHSIG), and every process of the
    namespace dies with the init."""
    pid = os.fork()
    if pid == 0:
        check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
        return
    # This process is a copy of the judge's memory: the child may not read it through /proc.
    check(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")
    # Hold nothing of the spawn: above all not the pipe that tells the judge the exec happened.
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except ChildProcessError:
            os._exit(1)
        except InterruptedError:
            continue
    if os.WIFSIGNALED(status):
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


@lru_cache(maxsize=None)
def available():
    """The namespaces (unshare flags) a child can enter here, tried in a
    forked process: all three, or as many as the kernel allows."""
    for flags in (CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWPID, CLONE_NEWNET | CLONE_NEWPID, CLONE_NEWNET, 0):
        if _works(flags):
            return flags
    return 0


def missing(flags):
    """Names of the namespaces not in `flags`."""
    return [name for flag, name in NAMES.items() if not flags & flag]


def _works(flags):
    scratch = tempfile.mkdtemp(prefix="grader-probe-")

    def probe():
        enter(flags)
        if flags & CLONE_NEWNS:
            private_disk(scratch, {"probe": b"x"}, 1, (os.geteuid(), os.getegid()), tmp=False)
        if flags & CLONE_NEWPID:
            inner = os.fork()
            if inner == 0:
                os._exit(0 if os.getpid() == 1 else 1)
            if os.waitstatus_to_exitcode(os.waitpid(inner, 0)[1]) != 0:
                raise OSError("the first process of the new pid namespace is not its init")
    try:
        return succeeds_in_fork(probe)
    finally:
        os.rmdir(scratch)


def succeeds_in_fork(action):
    """Whether `action()` returns (or execs a program that exits 0) in a forked
    process: how the sandbox finds, once, what this machine allows, without
    changing the judge itself."""
    pid = os.fork()
    if pid == 0:
        try:
            action()
            os._exit(0)
        except BaseException:  # noqa: BLE001  (the probe answers with its exit code, whatever broke)
            os._exit(1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
