"""Gradescope: the kit's report as results.json, and the autograder zip.

Gradescope's autograder reads /autograder/results/results.json: a top-level
"score", "tests" (each with "name", "score", "max_score", "status",
"output", "visibility"), and optional "output", "visibility",
"stdout_visibility", "execution_time", "extra_data". One Gradescope test per
checklist item keeps the same unit of score as the rest of the kit; its
output is the Portuguese feedback of the item's failing tests, as plain text
(`output_format`), and its visibility the item's in the manifest.

`grader gradescope OUT.zip` builds the zip Gradescope's "Configure
Autograder" page takes: setup.sh and run_autograder at its top (see
release_files/gradescope/) and the kit, with the hidden suite, in kit/.
run_autograder execs `python -m grader.platforms.gradescope /autograder` (main() below):
this judge process, never the child, writes results.json, after every child
has ended, into a results folder only root may enter.
"""
import json
import os
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

from .. import __version__
from ..atomic import write_json
from ..errors import GraderError
from ..manifest import SUITES, load
from ..show.render import first_failure, format_score
from ..sandbox.confine import SandboxUnavailable

TEMPLATES = Path(__file__).parent / "release_files" / "gradescope"
# The overall output is for the student: visible. Items follow the manifest.
VISIBILITY = "visible"
# The stdout of run_autograder is for the instructor's debugging only.
STDOUT_VISIBILITY = "hidden"


def _item_output(item):
    failing = [t for t in item["tests"] if not t["passed"]]
    if not item["tests"]:
        return first_failure(item)
    if not failing:
        return f"Todos os {len(item['tests'])} testes passaram."
    lines = [f"{len(failing)} de {len(item['tests'])} testes falharam:"]
    lines += [f"- {t['name']}: {t['message']}" for t in failing]
    return "\n".join(lines)


def _overall_output(report):
    lines = [f"Nota: {format_score(report['score'])} de {format_score(report['max_score'])}."]
    if report["errors"]:
        lines += ["", "Problemas na entrega:"] + [f"- {e['message']}" for e in report["errors"]]
    sandbox = report.get("sandbox", "?") + (f" ({report['sandbox_note']})" if report.get("sandbox_note") else "")
    lines += ["", f"Corrigido pelo grader {report.get('grader_version', __version__)}, sandbox {sandbox}."]
    return "\n".join(lines)


def results(report) -> dict:
    """Gradescope's results.json content for one report, as a dict."""
    visibility = {item.id: item.visibility for item in load().items}
    tests = []
    for number, item in enumerate(report["items"], start=1):
        full = item["score"] >= item["max_score"]
        tests.append({"number": str(number),
                      "name": f"{item['title']} ({item['id']})",
                      "score": item["score"], "max_score": item["max_score"],
                      "status": "passed" if full else "failed",
                      "output": _item_output(item), "visibility": visibility.get(item["id"], VISIBILITY)})
    # Plain text: messages hold < and & (and student text), which html or md would mangle or run.
    out = {"score": report["score"], "output": _overall_output(report), "output_format": "text",
           "test_output_format": "text", "visibility": VISIBILITY, "stdout_visibility": STDOUT_VISIBILITY,
           "tests": tests}
    if "duration_seconds" in report:
        out["execution_time"] = report["duration_seconds"]
    extra = {key: report[key] for key in ("seed", "suite", "sandbox", "sandbox_note", "grader_version")
             if key in report}
    if extra:
        out["extra_data"] = extra
    return out


def cannot_grade(message):
    """results.json for a submission the grader could not grade at all."""
    return {"score": 0, "output": f"Sua entrega não pôde ser corrigida: {message}", "output_format": "text",
            "visibility": VISIBILITY, "stdout_visibility": STDOUT_VISIBILITY, "tests": []}


# For a failure of the grader itself (no safe sandbox, a crash): the student
# learns it is not their fault; the details go to run_autograder's stdout and
# extra_data, which only the instructor sees.
GRADER_FAILED = ("A correção automática falhou antes de dar uma nota (um erro do avaliador, não da sua entrega). "
                 "O professor vê os detalhes; envie de novo ou fale com ele.")


def grader_failed(detail):
    out = cannot_grade("")
    out.update(output=GRADER_FAILED, extra_data={"grader_error": detail[:2000]})
    return out


def lock_down(root):
    """As root: the hidden suite (the installed kit's and the zip's copy in
    source/) and the results folder become root's alone, so the child,
    running as nobody where no stronger sandbox starts, can read neither nor
    write a result (sandbox.for_hidden_tests checks it before grading)."""
    if os.geteuid() != 0:
        return
    for folder in (root / "results", root / "source", SUITES / "hidden"):
        if folder.is_dir() and not folder.is_symlink():
            os.chown(folder, 0, 0)
            os.chmod(folder, 0o700)


def run_autograder(root):
    """Grade root/submission with the hidden suite; write root/results/results.json,
    always (a grade, or a message saying grading failed)."""
    from ..grade import grade   # the judge's whole machinery, only when grading
    (root / "results").mkdir(parents=True, exist_ok=True)
    lock_down(root)
    try:
        out = results(grade(root / "submission", suite="hidden"))
    except SandboxUnavailable as err:   # the instructor's to fix: never run the hidden tests unguarded
        print(f"grader: {err}")
        out = grader_failed(str(err))
    except GraderError as err:          # the submission's (an empty upload, say): the student's to fix
        out = cannot_grade(str(err))
    except Exception:  # noqa: BLE001  (whatever broke, Gradescope still gets a results.json)
        print(traceback.format_exc())
        out = grader_failed(traceback.format_exc(limit=3))
    write_json(root / "results" / "results.json", out)
    return out


def as_json(report):
    return json.dumps(results(report), ensure_ascii=False, indent=2)


def build_zip(path) -> Path:
    """Write Gradescope's autograder zip at `path`: setup.sh and run_autograder
    at its top, the kit (hidden suite included, never a solution) in kit/."""
    from .release import vendor_kit   # a checkout's authoring tools
    with tempfile.TemporaryDirectory(prefix="gradescope-") as scratch:
        vendor_kit(Path(scratch) / "kit", hidden=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("setup.sh", "run_autograder"):
                info = zipfile.ZipInfo(name)
                info.external_attr = 0o755 << 16   # executable once unzipped
                archive.writestr(info, (TEMPLATES / name).read_bytes())
            for file in sorted(Path(scratch).rglob("*")):
                if file.is_file():
                    archive.write(file, file.relative_to(scratch).as_posix())
    return Path(path)


if __name__ == "__main__":   # run_autograder: python -m grader.platforms.gradescope /autograder
    run_autograder(Path(sys.argv[1] if len(sys.argv) > 1 else "/autograder"))
