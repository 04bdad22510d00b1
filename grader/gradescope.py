"""The kit's report as Gradescope's results.json.

Gradescope's autograder reads /autograder/results/results.json: a top-level
"score", "tests" (each with "name", "score", "max_score", "status",
"output", "visibility"), and optional "output", "visibility",
"stdout_visibility", "execution_time", "extra_data". One Gradescope test per
checklist item keeps the same unit of score as the rest of the kit; its
output is the Portuguese feedback of the item's failing tests.
"""
import json

from .render import first_failure, format_score

# Visibility values Gradescope documents: hidden, after_due_date,
# after_published, visible. Feedback is written for students, so show it.
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
    return "\n".join(lines)


def results(report):
    """Gradescope's results.json content for one report, as a dict."""
    tests = []
    for number, item in enumerate(report["items"], start=1):
        full = item["score"] >= item["max_score"]
        tests.append({"number": str(number),
                      "name": f"{item['title']} ({item['id']})",
                      "score": item["score"], "max_score": item["max_score"],
                      "status": "passed" if full else "failed",
                      "output": _item_output(item), "visibility": VISIBILITY})
    out = {"score": report["score"], "output": _overall_output(report),
           "visibility": VISIBILITY, "stdout_visibility": STDOUT_VISIBILITY, "tests": tests}
    if "duration_seconds" in report:
        out["execution_time"] = report["duration_seconds"]
    extra = {key: report[key] for key in ("seed", "suite", "sandbox") if key in report}
    if extra:
        out["extra_data"] = extra
    return out


def cannot_grade(message):
    """results.json for a submission the grader could not grade at all."""
    return {"score": 0, "output": f"Sua entrega não pôde ser corrigida: {message}",
            "visibility": VISIBILITY, "stdout_visibility": STDOUT_VISIBILITY, "tests": []}


def as_json(report):
    return json.dumps(results(report), ensure_ascii=False, indent=2)
