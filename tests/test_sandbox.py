"""What each sandbox keeps away from the host (see docs/security.md).

Every case runs in every sandbox this machine has. What a sandbox does not
defend is skipped with the reason, so the table in docs/security.md and
these tests say the same thing.
"""
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT, SOLUTIONS, scores
from grader.sandbox import namespaces
from grader.sandbox.confine import (PROBLEMS, _child_owner, fresh_tmp_possible, process_exposes_hidden_tests,
                                    socket_filter)
from grader.judge.student_process import Limits

FAST = Limits(call_timeout=3, import_timeout=3, total_timeout=60)
KINDS = [k for k in ("bwrap", "landlock", "process") if not PROBLEMS[k]()]
CONFINES_FILES = {"bwrap", "landlock"}


def has(kind, flag):
    """Whether `kind` gets namespace `flag` here (bwrap always has every one)."""
    return kind == "bwrap" or bool(namespaces.available() & flag)


def test_this_machine_has_a_real_sandbox():
    if os.environ.get("CI"):
        assert "bwrap" in KINDS, f"CI must exercise bubblewrap: {PROBLEMS['bwrap']()}"
        assert socket_filter() is not None, "CI must exercise the socket filter (libseccomp, pyseccomp)"
    assert "process" in KINDS


@pytest.fixture(params=KINDS)
def kind(request):
    return request.param


def add(folder, filename, text):
    path = folder / filename
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def grade_with(graded, folder, kind):
    report = graded(folder, limits=FAST, sandbox=kind)
    assert report["sandbox"] == kind
    return report


def test_reference_scores_full_marks(submission, graded, kind):
    report = grade_with(graded, submission(), kind)
    assert report["score"] == report["max_score"], report["errors"]


def test_cannot_read_hidden_tests_or_solutions(submission, graded, kind):
    if kind not in CONFINES_FILES:
        pytest.skip("the process sandbox cannot hide files the grading user can read")
    targets = [str(ROOT / "grader" / "suites" / "hidden" / "test_mse.py"), str(SOLUTIONS / "losses.py")]
    folder = submission()
    add(folder, "losses.py", f"\nTARGETS = {targets!r}\n"
        "def choose_loss(task):\n    found = []\n    for path in TARGETS:\n        try:\n"
        "            found.append(open(path).read()[:300])\n        except OSError as exc:\n"
        "            found.append(type(exc).__name__)\n    raise ValueError(' | '.join(found))\n")
    dump = json.dumps(grade_with(graded, folder, kind))
    assert "def test_" not in dump and "_check_batch" not in dump
    assert "PermissionError" in dump or "FileNotFoundError" in dump


def test_walking_the_disk_finds_no_suite(submission, graded, kind):
    if kind not in CONFINES_FILES:
        pytest.skip("the process sandbox cannot hide files the grading user can read")
    folder = submission()
    add(folder, "losses.py", "\nimport os\ndef choose_loss(task):\n    hits = []\n"
        "    for top, dirs, files in os.walk('/'):\n        dirs[:] = [d for d in dirs if d not in ('proc', 'sys')]\n"
        "        hits += [os.path.join(top, f) for f in files if f.startswith('test_cross_entropy')]\n"
        "    raise ValueError('FOUND:' + ';'.join(hits))\n")
    report = graded(folder, limits=Limits(call_timeout=20, total_timeout=120), sandbox=kind)
    messages = [t["message"] for i in report["items"] for t in i["tests"] if "FOUND:" in t["message"]]
    assert messages and all("test_cross_entropy" not in m.split("FOUND:")[1] for m in messages)


def test_files_outside_the_submission_are_safe(submission, graded, kind, tmp_path):
    if kind not in CONFINES_FILES:
        pytest.skip("the process sandbox cannot stop writes the grading user may make")
    canary, victim = tmp_path / "canary.txt", tmp_path / "victim.txt"
    canary.write_text("intact")
    victim.write_text("intact")
    folder = submission()
    add(folder, "derivatives.py", f"\nimport os\nfor attack in (lambda: os.remove({str(canary)!r}),\n"
        f"               lambda: open({str(victim)!r}, 'w').write('owned'),\n"
        f"               lambda: open({str(tmp_path / 'planted.txt')!r}, 'w').write('x')):\n"
        "    try:\n        attack()\n    except OSError:\n        pass\n")
    report = grade_with(graded, folder, kind)
    assert canary.read_text() == "intact" and victim.read_text() == "intact"
    assert not (tmp_path / "planted.txt").exists()
    assert report["score"] == report["max_score"]


def test_no_network(submission, graded, kind):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    folder = submission()
    add(folder, "losses.py", f"\nimport socket\ndef phone_home():\n    try:\n"
        f"        socket.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'leak')\n"
        "    except OSError:\n        pass\nphone_home()\n"
        "def choose_loss(task):\n    phone_home()\n    return {'regression': 'mse'}.get(task, 'cross_entropy')\n")
    grade_with(graded, folder, kind)
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()


def test_no_secret_in_the_child(submission, graded, kind, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secretvalue123")
    folder = submission()
    add(folder, "losses.py", "\nimport os\ndef choose_loss(task):\n"
        "    raise ValueError(repr(dict(os.environ)) + open('/proc/self/environ').read())\n")
    dump = json.dumps(grade_with(graded, folder, kind))
    assert "ghs_secretvalue123" not in dump and "GITHUB_TOKEN" not in dump


def test_forked_processes_do_not_outlive_grading(submission, graded, kind):
    folder = submission()
    add(folder, "losses.py", "\nimport os\ndef choose_loss(task):\n"
        "    for i in range(8):\n        if os.fork() == 0:\n            if i % 2:\n                os.setsid()\n"
        "            os.execv('/bin/sleep', ['sleep', '31.337'])\n    while True:\n        pass\n")
    report = grade_with(graded, folder, kind)
    deadline = time.monotonic() + 5  # the kernel tears a namespace down asynchronously
    while _running("31.337") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running("31.337") == []
    assert scores(report)["quando-usar-loss"][0] < 5


def test_fake_reports_change_nothing(submission, graded, kind):
    folder = submission([("losses.py", "    return 2 * (p - y) * p * (1 - p), p - y\n", "    return 0.0, 0.0\n")])
    add(folder, "losses.py", "\nimport json\nfor path in ('report.json', '../report.json', '/tmp/report.json',\n"
        "             '.report.json', 'results.json'):\n    try:\n"
        "        open(path, 'w').write(json.dumps({'score': 100, 'max_score': 100, 'outcome': 'passed'}))\n"
        "    except OSError:\n        pass\nprint(json.dumps({'score': 100}))\n")
    try:
        report = grade_with(graded, folder, kind)
    finally:
        if kind not in CONFINES_FILES and os.path.exists("/tmp/report.json"):
            os.remove("/tmp/report.json")  # the process sandbox let it through; tidy the host
    assert scores(report)["quando-usar-loss"][0] < 5
    assert report["score"] < report["max_score"]


@pytest.mark.skipif(os.geteuid() != 0, reason="the grader runs as root here only in Docker, CI or Gradescope")
def test_root_is_not_a_privilege_the_child_keeps(submission, graded, kind, tmp_path):
    # As root: no capability left, no device node (such as /dev/kmsg's) made in
    # the copy, no resource limit raised back; in bwrap the uid is nobody's.
    probe = ("\ndef choose_loss(task):\n    import os, resource\n    seen = []\n"
             "    try:\n        os.mknod('kmsg', 0o600 | 0o020000, os.makedev(1, 11))\n        seen.append('MKNOD')\n"
             "    except OSError:\n        pass\n"
             "    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)\n"
             "    try:\n        resource.setrlimit(resource.RLIMIT_FSIZE, (hard * 2, hard * 2))\n"
             "        seen.append('RAISED')\n"
             "    except (ValueError, OSError):\n        pass\n"
             "    try:\n        caps = [l.split()[1] for l in open('/proc/self/status') if l.startswith('Cap')]\n"
             "        seen += ['CAPS'] if any(int(c, 16) for c in caps) else []\n"
             "    except OSError:\n        pass\n"
             "    raise ValueError(f'uid={os.getuid()} ' + ' '.join(seen))\n")
    folder = submission()
    add(folder, "losses.py", probe)
    report = grade_with(graded, folder, kind)
    said = next(t["message"] for i in report["items"] for t in i["tests"] if "choose_loss" in t["message"])
    assert "uid=" in said, said
    for sign in ("MKNOD", "RAISED", "CAPS"):
        assert sign not in said, said
    if kind == "bwrap" or _child_owner(namespaces.available())[0] == 65534:
        assert "uid=65534" in said, said


def test_no_process_escapes_by_leaving_the_group_and_clearing_its_environment(submission, graded, kind):
    if not has(kind, namespaces.CLONE_NEWPID):
        pytest.skip("no pid namespace here: such a process is found by neither group nor token")
    folder = submission()
    add(folder, "losses.py", "\nimport os\ndef choose_loss(task):\n    if os.fork() == 0:\n        os.setsid()\n"
        "        if os.fork() == 0:\n            os.execve('/bin/sleep', ['sleep', '41.337'], {})\n"
        "        os._exit(0)\n"
        "    while True:\n        pass\n")
    grade_with(graded, folder, kind)
    deadline = time.monotonic() + 5
    while _running("41.337") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running("41.337") == []


def _running(marker):
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            alive = b"\nState:\tZ" not in open(f"/proc/{pid}/status", "rb").read()
            if alive and marker.encode() in open(f"/proc/{pid}/cmdline", "rb").read():
                found.append(pid)
        except OSError:
            pass
    return found


def test_the_judge_is_out_of_reach(submission, kind):
    # A judge started with a secret in its environment, as in CI: the child
    # finds it by its command line and may neither signal it (signal 0 only
    # asks whether it could) nor read its environment.
    folder = submission()
    marker = folder.name
    add(folder, "losses.py", f"\nMARKER = {marker!r}\n"
        "def choose_loss(task):\n    import os\n    seen = []\n    try:\n        pids = os.listdir('/proc')\n"
        "    except OSError:\n        pids = []\n"
        "    for pid in filter(str.isdigit, pids):\n        try:\n"
        "            argv = open(f'/proc/{pid}/cmdline', 'rb').read().decode(errors='replace')\n"
        "        except OSError:\n            continue\n"
        "        if MARKER not in argv or 'grade' not in argv or 'sandbox' not in argv:\n            continue\n"
        "        seen.append('JUDGE')\n        try:\n            os.kill(int(pid), 0)\n"
        "            seen.append('SIGNAL')\n"
        "        except OSError:\n            pass\n        try:\n"
        "            seen.append(open(f'/proc/{pid}/environ').read())\n        except OSError:\n            pass\n"
        "        try:\n            open(f'/proc/{pid}/mem', 'rb').close()\n            seen.append('MEMORY')\n"
        "        except OSError:\n            pass\n"
        "    raise ValueError('seen: ' + ' '.join(seen))\n")
    env = {**os.environ, "GRADER_HIDDEN_KEY": "judge-secret-4242"}
    done = subprocess.run([sys.executable, "-m", "grader", "grade", str(folder), "--sandbox", kind, "--format", "json",
                           "--timeout", "60", "--call-timeout", "3", "--allow-weak-sandbox"], capture_output=True,
                          text=True, env=env,
                          timeout=120)
    assert "seen: " in done.stdout, done.stderr[-2000:]
    assert "judge-secret-4242" not in done.stdout and "MEMORY" not in done.stdout
    if kind == "process":   # it sees /proc: the probe did find the judge
        assert "seen: JUDGE" in done.stdout
    if has(kind, namespaces.CLONE_NEWPID) or os.geteuid() == 0:
        assert "SIGNAL" not in done.stdout


def test_total_writes_are_bounded(submission, graded, kind):
    if not has(kind, namespaces.CLONE_NEWNS):
        pytest.skip("no mount namespace here: each file is limited, not their total")
    places = ("'.', '/tmp'" if kind == "bwrap" or fresh_tmp_possible() else "'.',")   # else /tmp is the host's
    probe = ("\ndef choose_loss(task):\n    import os\n    total = 0\n"
             f"    for where in ({places}):\n        for i in range(8):\n            try:\n"
             "                with open(os.path.join(where, f'fill{i}'), 'wb') as f:\n"
             "                    for _ in range(60):\n                        f.write(b'x' * 1024 * 1024)\n"
             "                        f.flush()\n                        total += 1\n"
             "            except OSError:\n                pass\n"
             "    raise ValueError(f'wrote {total} MiB')\n")
    folder = submission()
    add(folder, "losses.py", probe)
    report = grade_with(graded, folder, kind)
    said = next(t["message"] for i in report["items"] for t in i["tests"] if "wrote" in t["message"])
    written = int(said.split("wrote ")[1].split(" MiB")[0])
    assert 0 < written <= 2 * FAST.disk_mb, said


def test_no_socket_reaches_the_host(submission, graded, kind, tmp_path):
    # Landlock does not mediate connect() to a pathname UNIX socket (a Docker
    # socket on a CI runner, D-Bus): a seccomp filter refuses sockets there.
    path = tmp_path / "host.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    probe = ("\ndef choose_loss(task):\n    import socket\n    reached = []\n"
             f"    for family, kind, where in ((socket.AF_UNIX, socket.SOCK_STREAM, {str(path)!r}),\n"
             "                                (socket.AF_INET, socket.SOCK_DGRAM, ('8.8.8.8', 53))):\n"
             "        try:\n            s = socket.socket(family, kind)\n            s.connect(where)\n"
             "            s.send(b'x')\n            reached.append(str(family))\n"
             "        except OSError:\n            pass\n"
             "    raise ValueError('REACHED ' + ' '.join(reached) if reached else 'nothing')\n")
    folder = submission()
    add(folder, "losses.py", probe)
    try:
        report = grade_with(graded, folder, kind)
    finally:
        server.close()
    said = " ".join(t["message"] for i in report["items"] for t in i["tests"])
    assert "REACHED" not in said


def test_the_process_sandbox_says_what_it_does_not_defend(graded):
    report = graded(SOLUTIONS, sandbox="process")
    assert "does not confine files" in report["sandbox_note"]


def test_the_hidden_suite_never_runs_in_the_weak_process_sandbox_unless_forced(tmp_path):
    # One rule for every command (grade, batch, ci, pulls, Gradescope): the
    # process child must not be able to read the hidden tests.
    problem = process_exposes_hidden_tests()
    if not problem:
        pytest.skip("here the process child runs as a uid that can read neither the suite nor the grader's code")
    command = [sys.executable, "-m", "grader", "grade", str(SOLUTIONS), "--sandbox", "process", "--format", "json"]
    refused = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert refused.returncode == 2 and refused.stdout == "", refused.stdout
    assert "refusing to run the hidden tests" in refused.stderr and "--allow-weak-sandbox" in refused.stderr
    forced = subprocess.run([*command, "--allow-weak-sandbox"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    report = json.loads(forced.stdout)
    assert report["sandbox"] == "process" and "forced with --allow-weak-sandbox" in report["sandbox_note"]
    public = subprocess.run([sys.executable, "-m", "grader", "check", str(SOLUTIONS), "--sandbox", "process",
                             "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert public.returncode == 0, public.stderr   # the public suite holds nothing to hide
    (tmp_path / "turma").mkdir()
    batch = subprocess.run([sys.executable, "-m", "grader", "batch", str(tmp_path / "turma"), "--out",
                            str(tmp_path / "out"), "--sandbox", "process"], capture_output=True, text=True, cwd=ROOT,
                           timeout=120)
    assert batch.returncode == 2 and "refusing to run the hidden tests" in batch.stderr


def test_a_sandbox_that_cannot_start_the_child_is_the_graders_failure(kind, monkeypatch, tmp_path):
    # No interpreter where the child expects one: nothing of the student's ran,
    # so no score is given (a GraderError, exit 2), never a 0 for the student.
    from grader.sandbox import confine as sandbox
    from grader.grade import grade
    from grader.sandbox.confine import SandboxFailed
    monkeypatch.setattr(sandbox, "base_python", lambda: str(tmp_path / "no-python"))
    with pytest.raises(SandboxFailed, match="could not start the child"):
        grade(SOLUTIONS, limits=FAST, sandbox=kind, allow_weak_sandbox=True)


GRADING_USER = "grader-threads"


@pytest.fixture(scope="module")
def busy_user(tmp_path_factory):
    """An ordinary grading user (created here) who already runs a program of
    120 threads, as a desktop session or a CI agent does; and a Python that
    user can run, with the kit and its dependencies."""
    if os.geteuid() != 0 or not shutil.which("useradd") or not Path("/usr/bin/python3.11").exists():
        pytest.skip("needs root (to create the user) and the system's Python 3.11")
    subprocess.run(["userdel", GRADING_USER], capture_output=True)
    subprocess.run(["useradd", "--system", "--no-create-home", GRADING_USER], check=True)
    scratch = Path(tempfile.mkdtemp(prefix="grader-threads-"))
    scratch.chmod(0o755)
    uid, gid = pwd.getpwnam(GRADING_USER).pw_uid, pwd.getpwnam(GRADING_USER).pw_gid
    busy = None
    try:
        subprocess.run(["/usr/bin/python3.11", "-m", "venv", "--without-pip", str(scratch / "venv")], check=True)
        site = next((scratch / "venv" / "lib").glob("python3*/site-packages"))
        deps = next(Path(p) for p in sys.path if p.endswith("site-packages") and (Path(p) / "numpy").is_dir())
        (site / "kit.pth").write_text(f"{ROOT}\n{deps}\n")
        as_user = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups"]
        busy = subprocess.Popen([*as_user, "/usr/bin/python3.11", "-c",
                                 "import threading, time\nfor _ in range(120):\n"
                                 "    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
                                 "time.sleep(600)\n"])
        time.sleep(1)
        yield as_user, scratch / "venv" / "bin" / "python", scratch
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run(["userdel", GRADING_USER], capture_output=True)


def test_a_grading_user_running_a_threaded_program_still_grades(busy_user, kind):
    # RLIMIT_NPROC is checked against all the user's threads: a limit computed
    # from their processes left no room for the child, and every submission scored 0.
    as_user, python, home = busy_user
    done = subprocess.run([*as_user, str(python), "-m", "grader", "grade", str(SOLUTIONS), "--sandbox", kind,
                           "--format", "json", "--allow-weak-sandbox"], capture_output=True, text=True, cwd=home,
                          env={"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}, timeout=300)
    if done.returncode == 2 and "sandbox" in done.stderr and "could not start" not in done.stderr:
        pytest.skip(f"the {kind} sandbox does not run for an ordinary user here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["score"] == report["max_score"], report["errors"]


def test_no_stat_of_the_hidden_suite_the_solutions_or_ssh_keys(submission, graded, kind):
    # Landlock refuses to open these, not to stat them (size and times): an
    # empty tmpfs over each folder hides them where a mount namespace is allowed.
    if kind not in CONFINES_FILES:
        pytest.skip("the process sandbox cannot hide files the grading user can read")
    if not has(kind, namespaces.CLONE_NEWNS):
        pytest.skip("no mount namespace here: Landlock does not mediate stat (docs/security.md)")
    key = Path(os.path.expanduser("~/.ssh")) / f"grader-test-{os.getpid()}"   # a stand-in for a private key
    if not key.parent.is_dir():
        key = SOLUTIONS / "value.py"
    targets = [str(ROOT / "grader" / "suites" / "hidden" / "test_mse.py"), str(SOLUTIONS / "losses.py"), str(key)]
    folder = submission()
    add(folder, "losses.py", f"\nTARGETS = {targets!r}\n"
        "def choose_loss(task):\n    import os\n    seen = []\n    for path in TARGETS:\n        try:\n"
        "            os.stat(path)\n            seen.append('STAT ' + path)\n        except OSError as exc:\n"
        "            seen.append(type(exc).__name__)\n    raise ValueError('seen: ' + ' | '.join(seen))\n")
    planted = not key.exists()
    key.touch()
    try:
        said = " ".join(t["message"] for i in grade_with(graded, folder, kind)["items"] for t in i["tests"])
    finally:
        if planted:
            key.unlink()
    assert "seen: " in said and "STAT" not in said, said
