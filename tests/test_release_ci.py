"""The student release leaks nothing, and `grader check` / `grader ci` work
in it under a simulated pull request."""
import ast
import base64
import json
import os
import re
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
    out = tmp_path_factory.mktemp("rel") / "release"
    done = subprocess.run([sys.executable, "-m", "grader", "release", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return out / "student", out / "grading"


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


def hidden_lines():
    public_text = "\n".join(p.read_text() for p in PUBLIC.glob("*.py"))
    lines = {line.strip() for p in HIDDEN.glob("test_*.py") for line in p.read_text().splitlines()
             if len(line.strip()) > 40 and line.strip() not in public_text}
    assert lines
    return lines


def test_student_repository_has_no_solution_no_hidden_test_and_no_secret(release):
    student, _ = release
    everything = "\n".join(normalized(text) for _, text in text_files(student))
    leaks = [name for name, body in solution_bodies() if len(body) > 25 and body in everything]
    assert leaks == []
    assert [line for line in hidden_lines() if normalized(line) in everything] == []
    assert not (student / "kit" / "grader" / "suites" / "hidden").exists()
    assert not (student / ".grader").exists()   # no bundle, encrypted or not
    assert not any("solutions" in str(p.relative_to(student)) for p in student.rglob("*"))
    for path in (student / ".github" / "workflows").iterdir():
        assert secrets_named(path.read_text()) == set(), path.name


def test_grading_repository_holds_the_hidden_suite_and_no_solution(release):
    _, grading = release
    everything = "\n".join(normalized(text) for _, text in text_files(grading))
    leaks = [name for name, body in solution_bodies() if len(body) > 25 and body in everything]
    # The judge's Value is a correct Value by design (SPEC section 2), in the hidden suite only.
    assert [name for name in leaks if not name.startswith("value.py:")] == []
    assert (grading / "kit" / "grader" / "suites" / "hidden" / "test_mse.py").is_file()
    assert not (grading / "kit" / "grader" / "make_notebooks.py").exists()   # an authoring tool
    assert "matplotlib" not in (grading / "kit" / "pyproject.toml").read_text()
    workflow = (grading / ".github" / "workflows" / "grade-pull-requests.yml").read_text()
    assert secrets_named(workflow) == {"GRADER_TOKEN", "GRADER_APP_PRIVATE_KEY"}
    assert "--sandbox bwrap" in workflow and "apparmor_restrict_unprivileged_userns=0" in workflow


def test_the_grading_workflow_installs_nothing_until_there_is_something_to_grade(release, tmp_path):
    _, grading = release
    workflow = (grading / ".github" / "workflows" / "grade-pull-requests.yml").read_text()
    steps = workflow.split("\n      - ")[1:]
    gate = next(i for i, step in enumerate(steps) if "grader.platforms.pulls_gate" in step)
    assert not any(word in step for step in steps[:gate] for word in ("pip", "apt-get", "setup-python"))
    for step in steps[gate + 1:]:
        assert "steps.gate.outputs.grade == 'true'" in step, step
    assert "cache: pip" in workflow and '"17 */2 * * *"' in workflow and 'DEADLINE: ""' in workflow
    assert "--gradebook gradebook" in workflow and "actions/create-github-app-token@" in workflow
    out = tmp_path / "release"
    done = subprocess.run([sys.executable, "-m", "grader", "release", str(out), "--schedule", "41 8-22 * * 1-5",
                           "--deadline", "2026-12-20T23:59-03:00"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    workflow = (out / "grading" / ".github" / "workflows" / "grade-pull-requests.yml").read_text()
    assert '- cron: "41 8-22 * * 1-5"' in workflow and 'DEADLINE: "2026-12-20T23:59:00-03:00"' in workflow
    for bad in (["--deadline", "2026-12-20T23:59"], ["--deadline", "amanhã"], ["--schedule", "every hour"],
                ["--schedule", '17 * * * *"\n  x: y']):
        done = subprocess.run([sys.executable, "-m", "grader", "release", str(tmp_path / "x"), *bad],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 2 and ("--deadline" in done.stderr or "--schedule" in done.stderr), bad


def test_release_holds_what_a_student_needs(release):
    student, _ = release
    for name in (*MODULES, "mlp.py", "README.md", ".github/workflows/check.yml", "kit/pyproject.toml"):
        assert (student / name).is_file(), name
    assert "NotImplementedError" in (student / "value.py").read_text()
    assert "grader check" in (student / "README.md").read_text()


def workflows(release):
    return [p for repo in release for p in sorted((repo / ".github" / "workflows").glob("*.yml"))]


def test_workflows_are_valid_against_githubs_schema(release):
    checker = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    for path in workflows(release):
        done = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows", str(path)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pass_zizmor_and_actionlint(release):
    tools = Path(sys.executable).parent
    for path in workflows(release):
        for persona in ("regular", "auditor"):
            done = subprocess.run([str(tools / "zizmor"), "--offline", "--persona", persona, "--format", "json",
                                   "--no-progress", str(path)], capture_output=True, text=True, timeout=120)
            findings = json.loads(done.stdout or "[]")
            high = [f["ident"] for f in findings if f["determinations"]["severity"] == "High"]
            assert high == [], f"{path.name} ({persona}): {high}"
        done = subprocess.run([str(tools / "actionlint"), "-no-color", str(path)], capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    uses = [found.group(1).strip() for path in workflows(release) for line in path.read_text().splitlines()
            if (found := re.match(r"\s*(?:- )?uses:(.*)", line))]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)?@[0-9a-f]{40} # v[\d.]+", u) for u in uses), uses


# -- which secrets a workflow reaches, by GitHub's documented rules --------------
# A job reaches the repository's and the organisation's secrets that it names,
# and an environment's only when its run's branch satisfies that environment's
# deployment branches. The setup the grading README describes puts no secret
# in a student repository or the organisation, and GRADER_TOKEN (or the App's
# key) in the grading repository's secrets: environments do not exist for
# private repositories on GitHub Free, so every branch of the grading
# repository reaches them, and only instructors can push one.
GRADING_SECRETS = {"GRADER_TOKEN", "GRADER_APP_PRIVATE_KEY"}
SETUP = {"student": {"repository": set(), "organisation": set(), "environments": {}},
         "grading": {"repository": GRADING_SECRETS, "organisation": set(), "environments": {}}}


def secrets_named(text):
    return set(re.findall(r"secrets\.(\w+)", text)) - {"GITHUB_TOKEN"}


def reachable(setup, workflow, branch):
    """The secrets a run of `workflow` on `branch` receives."""
    named = secrets_named(workflow)
    got = named & (setup["repository"] | setup["organisation"])
    for env in re.findall(r"^\s+environment:\s*([\w-]+)", workflow, re.M):
        secrets, branches = setup["environments"].get(env, (set(), set()))
        if branch in branches:
            got |= named & secrets
    return got


def test_no_workflow_a_student_can_write_or_trigger_reaches_a_grading_secret(release):
    student, grading = release
    hostile = ("on: [push, pull_request, workflow_dispatch]\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
               "    environment: grading\n    steps:\n      - run: echo ${{ secrets.GRADER_TOKEN }} | base64\n")
    # In their own repository, on any branch, their workflows and the release's reach nothing.
    for text in [hostile, *(p.read_text() for p in (student / ".github" / "workflows").glob("*.yml"))]:
        for branch in ("main", "entrega", "x"):
            assert reachable(SETUP["student"], text, branch) == set()
    # The grading workflow runs on a schedule or by hand in a repository students cannot write to.
    workflow = (grading / ".github" / "workflows" / "grade-pull-requests.yml").read_text()
    triggers = workflow.split("\non:\n")[1].split("\n\n")[0]
    assert set(re.findall(r"^  (\w+):", triggers, re.M)) == {"schedule", "workflow_dispatch"}
    assert reachable(SETUP["grading"], workflow, "main") == GRADING_SECRETS


def student_copy(release, tmp_path, replacements=()):
    out, _ = release
    repo = tmp_path / "student"
    shutil.copytree(out, repo)
    for name in MODULES:
        shutil.copyfile(SOLUTIONS / name, repo / name)
    for filename, old, new in replacements:
        path = repo / filename
        path.write_text(path.read_text().replace(old, new))
    return repo


def run_vendored(repo, *args, env=None):
    # The release's own copy of the kit, not this checkout's.
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(env or {})
    environ["PYTHONPATH"] = str(repo / "kit")
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True,
                          cwd=repo, env=environ, timeout=300)


def pull_request(tmp_path, number=42):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": number, "head": {"sha": "0123456789abcdef"}}}))
    files = {name: tmp_path / name for name in ("summary.md", "output.txt", "comment.md")}
    env = {"GITHUB_EVENT_PATH": str(event), "GITHUB_STEP_SUMMARY": str(files["summary.md"]),
           "GITHUB_OUTPUT": str(files["output.txt"])}
    return env, files


def outputs(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_check_in_the_release_uses_the_public_tests(release, tmp_path):
    repo = student_copy(release, tmp_path)
    done = run_vendored(repo, "check")
    assert done.returncode == 0, done.stderr
    assert "100/100" in done.stdout


def test_ci_in_the_student_repository_runs_the_public_tests(release, tmp_path):
    repo = student_copy(release, tmp_path)
    env, files = pull_request(tmp_path)
    done = run_vendored(repo, "ci", ".", "--comment-file", str(files["comment.md"]), env=env)
    assert done.returncode == 0, done.stderr
    summary = files["summary.md"].read_text()
    assert "do pull request #42 (0123456)" in summary and "testes públicos" in summary
    assert "# Resultado: 100 / 100" in summary
    assert files["comment.md"].read_text() == summary
    got = outputs(files["output.txt"])
    assert got["score"] == "100" and got["max_score"] == "100"
    classroom = json.loads(base64.b64decode(got["valuebackprop_results"]))
    assert classroom["version"] == 1 and classroom["status"] == "pass" and classroom["max_score"] == 20
    assert all(t["status"] == "pass" for t in classroom["tests"]) and len(classroom["tests"]) >= 3
    assert done.stdout.strip() == ""  # no annotation for a perfect submission


def test_ci_annotates_the_failing_function(release, tmp_path):
    bug = ("losses.py", "[2 * (p - y) / n for y, p", "[(p - y) / n for y, p")
    repo = student_copy(release, tmp_path, [bug])
    env, files = pull_request(tmp_path)
    done = run_vendored(repo, "ci", ".", env=env)
    assert done.returncode == 0, done.stderr
    line = next(i + 1 for i, text in enumerate((repo / "losses.py").read_text().splitlines())
                if text.startswith("def mse_gradient"))
    assert f"::error file=losses.py,line={line}," in done.stdout
    got = outputs(files["output.txt"])
    assert float(got["score"]) < 100
    mse = json.loads(base64.b64decode(got["mse_results"]))
    assert mse["status"] == "fail" and any(t["status"] == "fail" and t["message"] for t in mse["tests"])


def test_student_text_cannot_issue_workflow_commands(release, tmp_path):
    evil = ("\ndef choose_loss(task):\n"
            "    raise ValueError('x\\n::stop-commands::pwned\\n::set-output name=score::100\\r\\n%0A::warning::hi')\n")
    repo = student_copy(release, tmp_path)
    (repo / "losses.py").write_text((repo / "losses.py").read_text() + evil)
    env, files = pull_request(tmp_path)
    done = run_vendored(repo, "ci", ".", env=env)
    lines = done.stdout.splitlines()
    assert lines and all(line.startswith("::error ") for line in lines)  # only the grader's own commands
    assert outputs(files["output.txt"])["score"] != "100"


def test_files_that_are_symlinks_or_devices_score_as_missing(release, tmp_path):
    repo = student_copy(release, tmp_path)
    (repo / "value.py").unlink()
    (repo / "value.py").symlink_to("/dev/zero")
    (repo / "losses.py").unlink()
    os.mkfifo(repo / "losses.py")
    env, files = pull_request(tmp_path)
    done = run_vendored(repo, "ci", ".", env=env)
    assert done.returncode == 0, done.stderr
    summary = files["summary.md"].read_text()
    assert "value.py foi ignorado: é um link simbólico" in summary
    assert "losses.py foi ignorado: não é um arquivo comum" in summary
    assert 0 < float(outputs(files["output.txt"])["score"]) < 100


def test_the_comment_cannot_lie(release, tmp_path):
    # Student text in the comment and summary takes no effect as markdown or
    # HTML: no fake score line, no @mention, no unclosed comment; the
    # grader's score line comes first.
    evil = ("\ndef choose_loss(task):\n"
            "    raise ValueError('<!-- @octocat\\n# Nota final 100/100\\n**100/100** [prêmio](http://x)')\n")
    repo = student_copy(release, tmp_path)
    (repo / "losses.py").write_text((repo / "losses.py").read_text() + evil)
    env, files = pull_request(tmp_path)
    done = run_vendored(repo, "ci", ".", "--comment-file",
                        str(files["comment.md"]), env=env)
    assert done.returncode == 0, done.stderr
    for name in ("comment.md", "summary.md"):
        text = files[name].read_text()
        assert "<!-- @" not in text and "@octocat" not in text and "\n# Nota final" not in text, name
        assert "**100/100**" not in text and "[prêmio](" not in text, name
        assert text.index("Resultado:") < text.index("octocat"), name


# Stands for pip in the test below (offline: the real one would fetch the
# kit's dependencies): checks the address the cell passes, clones it with git
# and puts the kit's package where pip would.
FAKE_PIP = """
import shutil, subprocess, sys, sysconfig, tempfile
args = sys.argv[1:]
assert args[:2] == ["install", "--quiet"], args
url, _, sub = args[2].partition("#subdirectory=")
assert url.startswith("git+") and sub == "kit", args
clone = tempfile.mkdtemp()
subprocess.run(["git", "clone", "-q", url[4:], clone], check=True)
shutil.copytree(f"{clone}/{sub}/grader", sysconfig.get_paths()["purelib"] + "/grader")
"""


def test_a_release_for_a_repository_installs_the_kit_from_it_in_the_first_cell(tmp_path):
    out = tmp_path / "release"
    template = out / "student"
    done = subprocess.run([sys.executable, "-m", "grader", "release", str(out), "--repo", f"file://{template}"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(template)]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "template"]):
        subprocess.run([*git, *step], check=True, capture_output=True)
    cells = json.loads((template / "notebooks" / "derivatives.ipynb").read_text())["cells"]
    code = next("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert f'KIT = "git+file://{template}#subdirectory=kit"' in code
    venv, fake = tmp_path / "colab", tmp_path / "fake" / "pip"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text(FAKE_PIP)
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environ["PYTHONPATH"] = str(fake.parent)
    python = str(venv / "bin" / "python")
    ran = subprocess.run([python, "-c", code], capture_output=True, text=True, env=environ, cwd=tmp_path, timeout=300)
    assert "Avaliador instalado." in ran.stdout, ran.stdout + ran.stderr
    found = subprocess.run([python, "-c", "import grader, pathlib; print(grader.__version__, "
                            "(pathlib.Path(grader.__file__).parent / 'suites' / 'hidden').exists())"],
                           capture_output=True, text=True, env=environ, cwd=tmp_path)
    from grader import __version__
    assert found.stdout.split() == [__version__, "False"]   # the student kit: public tests only
    again = subprocess.run([python, "-c", code], capture_output=True, text=True, env=environ, cwd=tmp_path)
    assert "Instalando" not in again.stdout   # installed once


def test_a_release_for_a_github_repository_has_colab_links(tmp_path):
    out = tmp_path / "release"
    done = subprocess.run([sys.executable, "-m", "grader", "release", str(out), "--repo", "turma/calculo-dl"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    readme = (out / "student" / "README.md").read_text()
    for module in load().modules:
        assert (f"(https://colab.research.google.com/github/turma/calculo-dl/blob/main/notebooks/{module}.ipynb)"
                in readme)
    for notebook in (out / "student" / "notebooks").glob("*.ipynb"):
        text = notebook.read_text()
        assert "__ENDERECO_DO_KIT__" not in text
        assert "git+https://github.com/turma/calculo-dl.git#subdirectory=kit" in text


def test_off_linux_the_kit_says_where_it_runs():
    done = subprocess.run([sys.executable, "-c", "import sys; sys.platform = 'win32'; import grader"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1 and "WSL" in done.stderr and "Colab" in done.stderr and "Traceback" not in done.stderr


def test_the_student_kit_says_the_hidden_tests_are_not_there(release, tmp_path):
    repo = student_copy(release, tmp_path)
    done = run_vendored(repo, "grade", ".")
    assert done.returncode == 0, done.stderr
    assert "os testes ocultos não estão neste kit" in done.stderr and "Total" in done.stdout
    assert "100/100" in done.stdout
