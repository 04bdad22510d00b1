"""The student release leaks nothing, and `grader check` / `grader ci` work
in it under a simulated pull request."""
import ast
import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SOLUTIONS
from grader.manifest import load

MODULES = tuple(f"{m}.py" for m in load().modules)
HIDDEN = ROOT / "grader" / "suites" / "hidden"
PUBLIC = ROOT / "grader" / "suites" / "public"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("rel") / "repo"
    key_file = out.parent / "key.txt"
    done = subprocess.run([sys.executable, "-m", "grader", "release", str(out), "--key-file", str(key_file)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return out, key_file.read_text().strip()


def text_files(folder):
    for path in folder.rglob("*"):
        if path.is_file():
            try:
                yield path, path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                yield path, path.read_bytes().decode("latin-1")


def normalized(text):
    return " ".join(text.split())


GIVEN = {"value.py:__init__", "value.py:__repr__"}   # handed to students in the stub, by design


def solution_bodies():
    for name in MODULES:
        source = (SOLUTIONS / name).read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
                if body and f"{name}:{node.name}" not in GIVEN:
                    segment = "\n".join(ast.get_source_segment(source, s) for s in body)
                    yield f"{name}:{node.name}", normalized(segment)


def test_release_has_no_solution_and_no_readable_hidden_test(release):
    out, key = release
    corpus = {path: normalized(text) for path, text in text_files(out)}
    everything = "\n".join(corpus.values())
    leaks = [name for name, body in solution_bodies() if len(body) > 25 and body in everything]
    assert leaks == []
    public_text = "\n".join(p.read_text() for p in PUBLIC.glob("*.py"))
    hidden_lines = {line.strip() for p in HIDDEN.glob("test_*.py") for line in p.read_text().splitlines()
                    if len(line.strip()) > 40 and line.strip() not in public_text}
    assert hidden_lines
    found = [line for line in hidden_lines if normalized(line) in everything]
    assert found == []
    assert not (out / "kit" / "grader" / "suites" / "hidden").exists()
    assert not any("solutions" in str(p.relative_to(out)) for p in out.rglob("*"))
    assert key not in everything
    assert b"def test_" not in (out / ".grader" / "hidden.bundle").read_bytes()


def test_release_holds_what_a_student_needs(release):
    out, _ = release
    for name in (*MODULES, "mlp.py", "README.md", ".github/workflows/grade.yml", "kit/pyproject.toml",
                 ".github/grading-security.md"):
        assert (out / name).is_file(), name
    assert "NotImplementedError" in (out / "value.py").read_text()
    assert "grader check" in (out / "README.md").read_text()


def test_workflow_is_valid_against_githubs_schema(release):
    out, _ = release
    checker = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    done = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows",
                           str(out / ".github" / "workflows" / "grade.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = (out / ".github" / "workflows" / "grade.yml").read_text()
    assert "pull_request_target" in workflow and "persist-credentials: false" in workflow
    assert "secrets.GRADER_HIDDEN_KEY" in workflow


def student_copy(release, tmp_path, replacements=()):
    out, key = release
    repo = tmp_path / "student"
    shutil.copytree(out, repo)
    for name in MODULES:
        shutil.copyfile(SOLUTIONS / name, repo / name)
    for filename, old, new in replacements:
        path = repo / filename
        path.write_text(path.read_text().replace(old, new))
    return repo, key


def run_vendored(repo, *args, env=None):
    # The release's own copy of the kit, not this checkout's.
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(env or {})
    environ["PYTHONPATH"] = str(repo / "kit")
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True,
                          cwd=repo, env=environ, timeout=300)


def pull_request(tmp_path, key=None, number=42):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": number, "head": {"sha": "0123456789abcdef"}}}))
    files = {name: tmp_path / name for name in ("summary.md", "output.txt", "comment.md")}
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_STEP_SUMMARY": str(files["summary.md"]),
           "GITHUB_OUTPUT": str(files["output.txt"])}
    if key:
        env["GRADER_HIDDEN_KEY"] = key
    return env, files


def outputs(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_check_in_the_release_uses_the_public_tests(release, tmp_path):
    repo, _ = student_copy(release, tmp_path)
    done = run_vendored(repo, "check")
    assert done.returncode == 0, done.stderr
    assert "100/100" in done.stdout


def test_ci_grades_a_pull_request_with_the_hidden_tests(release, tmp_path):
    repo, key = student_copy(release, tmp_path)
    env, files = pull_request(tmp_path, key)
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle",
                        "--comment-file", str(files["comment.md"]), env=env)
    assert done.returncode == 0, done.stderr
    summary = files["summary.md"].read_text()
    assert "pull request #42 (0123456)" in summary and "testes ocultos" in summary
    assert "# Resultado: 100 / 100" in summary
    assert files["comment.md"].read_text() == summary
    got = outputs(files["output.txt"])
    assert got["score"] == "100" and got["max_score"] == "100"
    classroom = json.loads(base64.b64decode(got["valuebackprop_results"]))
    assert classroom["version"] == 1 and classroom["status"] == "pass" and classroom["max_score"] == 20
    assert all(t["status"] == "pass" for t in classroom["tests"]) and len(classroom["tests"]) > 10
    assert done.stdout.strip() == ""  # no annotation for a perfect submission


def test_ci_annotates_the_failing_function(release, tmp_path):
    bug = ("losses.py", "[2 * (p - y) / n for y, p", "[(p - y) / n for y, p")
    repo, key = student_copy(release, tmp_path, [bug])
    env, files = pull_request(tmp_path, key)
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle", env=env)
    assert done.returncode == 0, done.stderr
    line = next(i + 1 for i, text in enumerate((repo / "losses.py").read_text().splitlines())
                if text.startswith("def mse_gradient"))
    assert f"::error file=losses.py,line={line}," in done.stdout
    got = outputs(files["output.txt"])
    assert float(got["score"]) < 100
    mse = json.loads(base64.b64decode(got["mse_results"]))
    assert mse["status"] == "fail" and any(t["status"] == "fail" and t["message"] for t in mse["tests"])


def test_secret_and_decrypted_suite_never_reach_the_child(release, tmp_path):
    spy = ("\nimport os\ndef choose_loss(task):\n    seen = [repr(dict(os.environ))]\n"
           "    for top in ('/tmp', '/proc', os.path.expanduser('~')):\n"
           "        for root, dirs, files in os.walk(top):\n"
           "            dirs[:] = [d for d in dirs if not d.isdigit()][:50]\n"
           "            for f in files[:50]:\n"
           "                if f.startswith('test_') or f == 'environ':\n"
           "                    try:\n"
           "                        seen.append(open(os.path.join(root, f), errors='replace').read())\n"
           "                    except OSError:\n"
           "                        pass\n"
           # every hidden test file imports the suite-author API; numpy's own tests do not
           "    raise ValueError(' '.join(seen)[:400] + ('HIDDEN-FOUND' if 'grader.testing' in ' '.join(seen) else ''))\n")
    repo, key = student_copy(release, tmp_path)
    (repo / "losses.py").write_text((repo / "losses.py").read_text() + spy)
    env, files = pull_request(tmp_path, key)
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle",
                        "--comment-file", str(files["comment.md"]), env=env)
    assert done.returncode == 0, done.stderr
    produced = done.stdout + "".join(p.read_text() for p in files.values())
    assert key not in produced and "GRADER_HIDDEN_KEY" not in produced
    assert "HIDDEN-FOUND" not in produced


def test_student_text_cannot_issue_workflow_commands(release, tmp_path):
    evil = ("\ndef choose_loss(task):\n"
            "    raise ValueError('x\\n::stop-commands::pwned\\n::set-output name=score::100\\r\\n%0A::warning::hi')\n")
    repo, key = student_copy(release, tmp_path)
    (repo / "losses.py").write_text((repo / "losses.py").read_text() + evil)
    env, files = pull_request(tmp_path, key)
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle", env=env)
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith("::error ") for line in lines)  # only the grader's own commands
    assert outputs(files["output.txt"])["score"] != "100"


def test_without_the_key_ci_falls_back_to_public_tests(release, tmp_path):
    repo, _ = student_copy(release, tmp_path)
    env, files = pull_request(tmp_path)
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle", env=env)
    assert done.returncode == 0, done.stderr
    assert "testes públicos" in files["summary.md"].read_text()


def test_ci_refuses_hidden_tests_in_the_weak_sandbox(release, tmp_path):
    repo, key = student_copy(release, tmp_path)
    env, _ = pull_request(tmp_path, key)
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle", "--sandbox", "process", env=env)
    assert done.returncode == 2 and "refusing" in done.stderr


def test_wrong_key_is_a_clear_error(release, tmp_path):
    repo, _ = student_copy(release, tmp_path)
    env, _ = pull_request(tmp_path, "A" * 43 + "=")
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle", env=env)
    assert done.returncode == 2 and "cannot decrypt" in done.stderr


def test_a_cancelled_run_leaves_no_decrypted_suite(release, tmp_path):
    # A CI job cancelled mid-grade (SIGTERM): the decrypted suite goes with it.
    import signal
    import time
    hang = [("losses.py", "def choose_loss(task):\n", "def choose_loss(task):\n    while True:\n        pass\n")]
    repo, key = student_copy(release, tmp_path, hang)
    env, _ = pull_request(tmp_path, key)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(env, PYTHONPATH=str(repo / "kit"), TMPDIR=str(scratch))
    proc = subprocess.Popen([sys.executable, "-m", "grader", "ci", ".", "--bundle", ".grader/hidden.bundle"],
                            cwd=repo, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(scratch.glob("grader-suite-*/*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(scratch.glob("grader-suite-*")), "the suite was never decrypted"
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) != 0
    finally:
        proc.kill()
    assert not list(scratch.glob("grader-suite-*"))


def test_the_comment_cannot_lie(release, tmp_path):
    # Student text in the comment and summary takes no effect as markdown or
    # HTML: no fake score line, no @mention, no unclosed comment; the
    # grader's score line comes first.
    evil = ("\ndef choose_loss(task):\n"
            "    raise ValueError('<!-- @octocat\\n# Nota final 100/100\\n**100/100** [prêmio](http://x)')\n")
    repo, key = student_copy(release, tmp_path)
    (repo / "losses.py").write_text((repo / "losses.py").read_text() + evil)
    env, files = pull_request(tmp_path, key)
    done = run_vendored(repo, "ci", ".", "--bundle", ".grader/hidden.bundle", "--comment-file",
                        str(files["comment.md"]), env=env)
    assert done.returncode == 0, done.stderr
    for name in ("comment.md", "summary.md"):
        text = files[name].read_text()
        assert "<!-- @" not in text and "@octocat" not in text and "\n# Nota final" not in text, name
        assert "**100/100**" not in text and "[prêmio](" not in text, name
        assert text.index("Resultado:") < text.index("octocat"), name
