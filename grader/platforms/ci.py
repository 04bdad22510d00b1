"""`grader ci`: what the grading workflow runs on a pull request.

It grades the pull request's files with the suites this kit holds: in a
student repository that is the public one (the hidden suite never is there:
see `grader pulls`, run from the grading repository, for the grade of
record). It speaks GitHub Actions through files and environment variables
only, so a test can play a pull request with temporary files:
- GITHUB_STEP_SUMMARY: the per-item table and what to fix;
- stdout: `::error` annotations on the failing functions;
- GITHUB_OUTPUT: score, max_score, and one `<item>_results` per checklist item
  in the format GitHub Classroom's autograding reporter reads;
- --comment-file: the pull-request comment, posted by the workflow.
"""
import ast
import base64
import json
import os
import re
from pathlib import Path

from ..grade import grade
from ..manifest import SUITES, load
from ..show.render import as_markdown
from ..sandbox.confine import for_hidden_tests
from ..judge.inputs import unsafe


def runner_id(item_id):
    """The item's name for GitHub Classroom's reporter: letters and digits only,
    which its own validation of `runners` requires."""
    return "".join(c for c in item_id if c.isalnum())


def escape_data(text):
    # GitHub's escaping for workflow command data: nothing student-written can
    # end the line and start a command of its own.
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text):
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def run_ci(submission, comment_file=None, sandbox: str = "auto", seed: int | None = None, environ=None,
           out=print) -> dict:
    environ = os.environ if environ is None else environ
    suite = "hidden" if (SUITES / "hidden").is_dir() else "public"
    if suite == "hidden":
        for_hidden_tests(sandbox)
    report = grade(submission, suite=suite, seed=seed, sandbox=sandbox)
    event = _event(environ)
    body = header(report, event) + as_markdown(report)
    _append(environ.get("GITHUB_STEP_SUMMARY"), body)
    if comment_file:
        Path(comment_file).write_text(body, encoding="utf-8")
    for line in annotations(report, submission):
        out(line)
    _append(environ.get("GITHUB_OUTPUT"), _outputs(report))
    return report


def _event(environ):
    try:
        return json.loads(Path(environ["GITHUB_EVENT_PATH"]).read_text(encoding="utf-8"))
    except (KeyError, OSError, ValueError):
        return {}


def header(report, event):
    """The comment's first lines, the grader's own: what was graded, how."""
    pr = event.get("pull_request") or {}
    where = f"do pull request #{pr.get('number')}" if pr.get("number") else "desta entrega"
    sha = str((pr.get("head") or {}).get("sha", ""))[:7]
    suite = ("testes ocultos (a nota que vale)" if report["suite"] == "hidden"
             else "testes públicos (a nota que vale vem dos testes ocultos, comentada aqui depois)")
    return (f"<!-- grader-ci -->\n**Correção automática** {where}{' (' + sha + ')' if sha else ''}: "
            f"{suite}, sandbox `{report['sandbox']}`, seed `{report['seed']}`.\n\n")


def _append(path, text):
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text if text.endswith("\n") else text + "\n")


def _outputs(report):
    lines = [f"score={report['score']:g}", f"max_score={report['max_score']:g}"]
    for item in report["items"]:
        # The reporter adds up tests[].score: the item's score rides on its first
        # passing test, so each runner sums to exactly the item's score.
        first = next((t for t in item["tests"] if t["passed"]), None)
        # Students read these names in Classroom: the item and a number, never a pytest id.
        tests = [{"name": f"{item['title']}, teste {n}", "status": "pass" if t["passed"] else "fail",
                  "message": "" if t["passed"] else t["message"], "line_no": 0, "execution_time": "0s",
                  "score": item["score"] if t is first else 0} for n, t in enumerate(item["tests"], 1)]
        status = "pass" if item["score"] == item["max_score"] and tests else "fail"
        payload = {"version": 1, "status": status, "max_score": item["max_score"], "tests": tests}
        encoded = base64.b64encode(json.dumps(payload, ensure_ascii=False).encode()).decode()
        lines.append(f"{runner_id(item['id'])}_results={encoded}")
    return "\n".join(lines) + "\n"


def _definitions(submission):
    """{function name: (file, line)} for the submission's .py modules, read as text."""
    found = {}
    for module in load().modules:
        path = Path(submission) / f"{module}.py"
        # What the grade refused (a symlink to /dev/zero, a FIFO, a huge file) is not read here either.
        if not (path.exists() or path.is_symlink()) or unsafe(path):
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                found.setdefault(node.name, (path.name, node.lineno))
    return found


def annotations(report, submission):
    """One `::error` per failing test, on the function its message names."""
    definitions = _definitions(submission)
    lines = []
    for item in report["items"]:
        for test in item["tests"]:
            if test["passed"]:
                continue
            names = re.findall(r"[A-Za-z_]\w*", test["message"])
            spot = next((definitions[n] for n in names if n in definitions), None)
            where = f"file={escape_property(spot[0])},line={spot[1]}," if spot else ""
            title = escape_property(f"{item['title']}: {test['name']}")
            lines.append(f"::error {where}title={title}::{escape_data(test['message'])}")
    for error in report["errors"]:
        lines.append(f"::error title=Entrega::{escape_data(error['message'])}")
    return lines
