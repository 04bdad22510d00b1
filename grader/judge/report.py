"""Turns pytest-json-report's report into the kit's report (SPEC section 3)."""
import copy
import unicodedata
from pathlib import Path
from typing import TypedDict

from .failures import KINDS

SCHEMA_VERSION = 1


class TestResult(TypedDict, total=False):
    name: str
    passed: bool
    message: str            # "ok", or what failed (inert text), its hint at the end after " Dica: "
    kind: str               # a failure's class (grader/judge/failures.py): missing, import, undefined, stub, ...
    hint: str               # the hint alone, when the message carries one
    module: str             # missing, import, undefined: the student module it is about
    function: str           # undefined: the name the module lacks
    graph: dict             # a failed Value test: the graph it built (grader/show/value_graph.py)


class ItemResult(TypedDict):
    id: str
    title: str
    score: float
    max_score: float
    tests: list[TestResult]


class ReportError(TypedDict, total=False):
    module: str             # the module it concerns, or "" for the whole submission (always there)
    message: str            # always there
    detail: str             # for the instructor (the child's words, an internal error's place)
    kind: str               # "stub": the module is still the stub as released


class Report(TypedDict, total=False):
    """SPEC section 3 (the first six keys, always there) and what the kit adds."""
    schema_version: int
    submission: str
    score: float
    max_score: float
    items: list[ItemResult]
    errors: list[ReportError]
    seed: int
    suite: str
    sandbox: str            # "bwrap", "landlock" or "process"
    sandbox_note: str       # what that sandbox does not confine here, and why a stronger one was passed over
    grader_version: str
    duration_seconds: float
    batch: dict             # grader batch: student, entry, cache key
    overrides: list         # grader batch --overrides: the instructor's adjustments
NOT_RUN = "o teste não chegou a rodar"
WITHHELD = "este teste falhou."


# Controls, format characters (bidi marks and overrides, zero-width ones), line
# and paragraph separators, newlines and tabs aside: text from a submission must
# not repaint a terminal, reorder a page or a spreadsheet that shows it.
_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs"}


def inert(text):
    return "".join(c if c in "\n\t" or unicodedata.category(c) not in _HIDDEN else f"\\u{ord(c):04x}"
                   for c in str(text))


def _message(metadata, level):
    """What a failing test shows: everything, only its hint, or nothing
    (fewer details make the grader a poorer oracle for hidden tests)."""
    if level == "none":
        return WITHHELD
    if level == "hint":
        return metadata.get("hint") or WITHHELD
    return metadata.get("feedback") or NOT_RUN


def _details(metadata, level):
    """What a failure adds to its message, as much as the feedback level
    allows: its class always (pass/fail already says as much), the hint apart
    from "hint" on, the drawn graph (expected values) only at "full"."""
    if level == "none":
        return {}
    kind = metadata.get("kind") if metadata.get("kind") in KINDS else ("limit" if not metadata else "wrong")
    out = {"kind": kind}
    for key in ("module", "function", "hint"):
        if isinstance(metadata.get(key), str) and metadata[key]:
            out[key] = inert(metadata[key])
    if level == "full" and isinstance(metadata.get("graph"), dict):
        out["graph"] = metadata["graph"]
    return out


def at_level(report: "Report", level: str) -> "Report":
    """A report built at "full", cut to `level` as build would have written it
    at that level (the course service grades once and shows each student what
    the course's rules allow at that moment). At "none" an error keeps only
    its first clause: the rest is the child's own words."""
    if level == "full":
        return report
    shown = copy.deepcopy(report)
    for item in shown["items"]:
        item["tests"] = [test if test["passed"] else
                         {"name": test["name"], "passed": False, "message": inert(_message(test, level)),
                          **_details(test, level)} for test in item["tests"]]
    if level == "none":
        for error in shown["errors"]:
            error["message"] = error["message"].split(": ", 1)[0]
    return shown


def _test_name(nodeid):
    return nodeid.split("::", 1)[-1]


def build(manifest, pytest_report: dict, submission, errors: list, extra: dict | None = None,
          feedback: str | None = None) -> Report:
    """`feedback` ('full', 'hint', 'none') overrides each item's level from the manifest."""
    if not pytest_report:
        pytest_report = {}
        errors.append({"module": "", "message": "internal: the test run produced no report"})
    by_item = {item.id: [] for item in manifest.items}
    for test in pytest_report.get("tests", []):
        item = manifest.item_for_suite(Path(test["nodeid"].split("::")[0]).name)
        if item is None:
            continue
        passed = test.get("outcome") == "passed"  # fail closed: only a seen pass counts
        level = feedback or item.feedback
        metadata = test.get("metadata", {}) or {}
        message = "ok" if passed else inert(_message(metadata, level))
        result = {"name": _test_name(test["nodeid"]), "passed": passed, "message": message}
        if not passed:
            result.update(_details(metadata, level))
        by_item[item.id].append(result)
    for collector in pytest_report.get("collectors", []):
        if collector.get("outcome") == "failed":
            errors.append({"module": "", "message": f"internal: suite {collector.get('nodeid')} did not load"})

    items = []
    for item in manifest.items:
        tests = by_item[item.id]
        fraction = sum(t["passed"] for t in tests) / len(tests) if tests else 0.0
        items.append({"id": item.id, "title": item.title,
                      "score": round(item.weight * fraction, 2),
                      "max_score": item.weight, "tests": tests})
    # An error's `detail` is what the child said: with no feedback at all it
    # could carry code the child was sent (the judge's Value), so it is dropped.
    withhold = all(level == "none" for level in ([feedback] if feedback else [i.feedback for i in manifest.items]))
    errors = [{"module": e.get("module", ""), "message": inert(e.get("message", "") + (
        f": {e['detail']}" if e.get("detail") and not withhold else "")),
        **({"kind": e["kind"]} if e.get("kind") else {})} for e in errors]
    report = {"schema_version": SCHEMA_VERSION, "submission": str(submission),
              "score": round(sum(i["score"] for i in items), 2),
              "max_score": sum(i["max_score"] for i in items),
              "items": items, "errors": errors}
    report.update(extra or {})
    return report
