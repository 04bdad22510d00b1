"""The same assignment for Otter-Grader and nbgrader, in their native formats.

Each tool gets one notebook per student: a given first cell, then one cell per
student module (the submission's .py file verbatim, under a `%%module NAME`
cell magic that runs it as that module, as our child imports it, with the
judge's Value installed after `value` as our child does). Its tests are our
hidden tests, one test case (Otter, OK format) or one autograder test cell
(nbgrader) each, worth the item's weight divided by its number of tests. A
test case calls bench_shim.check(...), which runs our hidden test function in
the kernel against those modules (bench/inprocess.py): the same checks, the
same inputs (the same node ids seed them), less isolation than ours.
bench/compare.py checks that each tool gives our scores before timing it. Each tool lives in its own
virtual environment under bench/.envs (gitignored), installed from PyPI.
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GRADER = ROOT / "grader"
ENVS = BENCH / ".envs"
sys.path.insert(0, str(ROOT))
from grader.manifest import load  # noqa: E402

PACKAGES = {"otter": ["otter-grader", "ipykernel", "pytest"],      # pytest: our test files import it
            "nbgrader": ["nbgrader", "ipykernel", "pytest"]}
GIVEN = "import bench_shim\nbench_shim.install(globals())  # each cell below is one student module (%%module)"


def venv(tool, log=print):
    """bench/.envs/<tool>, created and filled from PyPI on first use."""
    env = ENVS / tool
    if not (env / "bin" / "python").exists() or not (env / ".ready").exists():
        log(f"installing {tool} from PyPI into {env} (once) ...")
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        subprocess.run([str(env / "bin" / "pip"), "install", "-q", *PACKAGES[tool]], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        (env / ".ready").write_text("ok\n")
    return env


def version(env, package):
    out = subprocess.run([str(env / "bin" / "python"), "-c",
                          f"import importlib.metadata as m; print(m.version({package!r}))"],
                         capture_output=True, text=True)
    return out.stdout.strip()


def clean_env():
    # Python's defaults: this machine sets PYTHONDONTWRITEBYTECODE, which would make
    # every run recompile the kit (the peers' packages were compiled by pip); and no
    # PYTHONPATH, so the kernels import the small grader copy beside the notebook.
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}


def tool_env(env):
    # The tool's own bin first, so `python` and `jupyter` are the venv's.
    return {**clean_env(), "PATH": f"{env / 'bin'}:{os.environ.get('PATH', '')}"}


def support_files(dest):
    """What a test needs beside the notebook: the shim, the kit's mlp.py and
    the part of our grader package the hidden test files import."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BENCH / "inprocess.py", dest / "bench_shim.py")
    shutil.copyfile(GRADER / "kit" / "mlp.py", dest / "mlp.py")
    pkg = dest / "grader"
    # The whole package: grader.testing imports StudentError, which brings the sandbox
    # modules along, and which of them it imports changes (a list here went stale once,
    # and every peer scored 0 on an ImportError).
    shutil.copytree(GRADER, pkg, ignore=shutil.ignore_patterns("__pycache__", "release_files"), dirs_exist_ok=True)
    return [dest / "bench_shim.py", dest / "mlp.py", pkg]


def hidden_cases():
    """[(item, points, stem, function, index)] for every hidden test."""
    sys.path.insert(0, str(BENCH))
    import inprocess
    out = []
    for item in load().items:
        stem = Path(item.suite).stem
        found = inprocess.cases([stem])
        out += [(item, item.weight / len(found), *case) for case in found]
    return out


def module_cells(submission):
    """The student's four modules as notebook cells (a missing file is an empty cell)."""
    cells = []
    for name in load().modules:
        path = Path(submission) / f"{name}.py"
        code = path.read_text(encoding="utf-8") if path.exists() else ""
        # An imported module never runs its demo; a notebook would, so leave it out.
        code = code.split('\nif __name__ == "__main__":')[0]
        cells.append((name, f"%%module {name}\n" + code.rstrip() + "\n"))
    return cells


def notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    return nb


# -- Otter-Grader ----------------------------------------------------------------

def build_otter(work, env):
    """Otter test files (OK format) + `otter generate` -> autograder.zip."""
    work.mkdir(parents=True, exist_ok=True)
    tests = work / "tests"
    tests.mkdir(exist_ok=True)
    by_item = {}
    for item, _points, stem, name, index in hidden_cases():
        code = f">>> import bench_shim\n>>> bench_shim.check({stem!r}, {name!r}, {index!r})\nTrue"
        # No points per case: Otter shares the test's points out equally itself (per-case
        # shares that sum a float epsilon above the test's points make it refuse the file).
        by_item.setdefault(item, []).append({"code": code, "hidden": True, "locked": False})
    for item, cases in by_item.items():
        test = {"name": item.id, "points": item.weight,
                "suites": [{"cases": cases, "scored": True, "setup": "", "teardown": "", "type": "doctest"}]}
        (tests / f"{item.id.replace('-', '_')}.py").write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n")
    files = support_files(work / "files")
    subprocess.run([str(env / "bin" / "otter"), "generate", "-t", str(tests), "-o", str(work / "autograder.zip"),
                    "--no-config", "--no-requirements", "--no-environment",
                    *[str(f.relative_to(work / "files")) for f in files]],
                   cwd=work / "files", env=tool_env(env), check=True, capture_output=True)
    return work / "autograder.zip"


def otter_submission(submission, dest):
    cells = [nbformat.v4.new_code_cell(GIVEN)]
    cells += [nbformat.v4.new_code_cell(code) for _, code in module_cells(submission)]
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook(cells), dest)
    return dest


def otter_command(env, autograder, notebook_path, out):
    out.mkdir(parents=True, exist_ok=True)
    return [str(env / "bin" / "otter"), "run", "-a", str(autograder), "-o", str(out), "--no-logo",
            str(notebook_path)]


def otter_score(out):
    results = json.loads((out / "results.json").read_text())
    return round(sum(t.get("score", 0) for t in results["tests"]), 2)


def otter_failures(out, shown=3):
    """The first failing test cases' output in Otter's results.json."""
    results = json.loads((out / "results.json").read_text())
    failed = [t for t in results["tests"] if t.get("status") == "failed" or t.get("score", 0) < t.get("max_score", 0)]
    return f"{len(failed)} test(s) lost points" + "".join(
        f"\n  {t.get('name')}: {tail(t.get('output') or '', 6)}" for t in failed[:shown])


def tail(text, lines=15):
    return "\n".join(text.strip().splitlines()[-lines:]) or "(no output)"


# -- nbgrader --------------------------------------------------------------------

def _meta(grade_id, solution=False, grade=False, locked=False, points=None):
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked, "schema_version": 3}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def build_nbgrader(course, env, reference):
    """A course folder: source/ps1 (reference in solution cells, one test cell
    per hidden test) -> `nbgrader generate_assignment` -> release/ps1."""
    if course.exists():
        shutil.rmtree(course)
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\nc.CourseDirectory.course_id = 'bench'\n")
    source = course / "source" / "ps1"
    support_files(source)
    cells = [nbformat.v4.new_code_cell(GIVEN, metadata=_meta("given", locked=True))]
    for name, code in module_cells(reference):
        magic, code = code.split("\n", 1)   # the cell magic stays outside the solution region
        cells.append(nbformat.v4.new_code_cell(f"{magic}\n### BEGIN SOLUTION\n{code}### END SOLUTION\n",
                                               metadata=_meta(name, solution=True)))
    for n, (_item, points, stem, name, index) in enumerate(hidden_cases()):
        cells.append(nbformat.v4.new_code_cell(f"assert bench_shim.check({stem!r}, {name!r}, {index!r})",
                                               metadata=_meta(f"t{n:03d}_{name}"[:60], grade=True, locked=True,
                                                              points=round(points, 4))))
    nbformat.write(notebook(cells), source / "ps1.ipynb")
    subprocess.run([str(env / "bin" / "nbgrader"), "generate_assignment", "ps1", "--force"],
                   cwd=course, env=tool_env(env), check=True, capture_output=True)
    return course


def nbgrader_submission(course, student, submission):
    """submitted/<student>/ps1/ps1.ipynb: the released notebook, its solution
    cells replaced by the student's modules."""
    released = nbformat.read(course / "release" / "ps1" / "ps1.ipynb", as_version=4)
    code = dict(module_cells(submission))
    for cell in released.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in code:
            cell.source = code[grade_id]
    dest = course / "submitted" / student / "ps1"
    dest.mkdir(parents=True, exist_ok=True)
    nbformat.write(released, dest / "ps1.ipynb")
    return dest


def nbgrader_command(env, student=None):
    """Autograde one student, or (None) everyone in submitted/ in one process."""
    return [str(env / "bin" / "nbgrader"), "autograde", "ps1", "--force", *(["--student", student] if student else [])]


def nbgrader_failures(course, student, shown=3):
    """The first errors in the student's autograded notebook."""
    path = course / "autograded" / student / "ps1" / "ps1.ipynb"
    if not path.exists():
        return "no autograded notebook"
    errors = [o for cell in nbformat.read(path, as_version=4).cells for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    return f"{len(errors)} cell(s) raised" + "".join(f"\n  {e.get('ename')}: {e.get('evalue')}"[:400]
                                                    for e in errors[:shown])


def nbgrader_scores(course, env):
    """{student: score} from nbgrader's gradebook (read after timing)."""
    script = ("import json, sys\nfrom nbgrader.api import Gradebook\n"
              "with Gradebook('sqlite:///gradebook.db') as gb:\n"
              "    print(json.dumps({s.student.id: round(s.score, 2) for s in gb.assignment_submissions('ps1')}))")
    out = subprocess.run([str(env / "bin" / "python"), "-c", script], cwd=course, env=tool_env(env),
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
