"""Grade adjustments the instructor keeps in a CSV (an accepted regrade
request, a test that should not count), applied after grading on every run:

    student,item,score,reason
    ana,mse,10,pedido de revisão aceito

The graded report stays as graded (and cached); what the gradebook, the
class report and the student's feedback show is the adjusted copy, with the
original score and the reason beside each change.
"""
import copy
import csv
from pathlib import Path
from ..errors import GraderError

COLUMNS = ("student", "item", "score", "reason")


class OverridesError(GraderError):
    """The file cannot be used at all (missing, or without the columns)."""


def load(path, manifest):
    """({student: {item: (score, reason)}}, [(line, problem)]) from the CSV at `path`."""
    weights = {item.id: item.weight for item in manifest.items}
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise OverridesError(f"--overrides: {err.strerror or err}: {path}") from None
    sample = text.splitlines()[0] if text else ""
    delimiter = ";" if sample.count(";") > sample.count(",") else ","   # a Brazilian-locale spreadsheet saves with ;
    rows = csv.DictReader(text.splitlines(), delimiter=delimiter)
    if rows.fieldnames is None or not set(COLUMNS) <= {f.strip() for f in rows.fieldnames}:
        raise OverridesError(f"--overrides: the first line must name the columns {','.join(COLUMNS)}")
    found, problems = {}, []
    for number, row in enumerate(rows, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        student, item, reason = row["student"], row["item"], row["reason"]
        where = f"{Path(path).name}, line {number}"
        if item not in weights:
            problems.append((where, f"ignored: no checklist item {item!r}"))
            continue
        try:
            score = float(row["score"].replace(",", "."))
        except ValueError:
            problems.append((where, f"ignored: score {row['score']!r} is not a number"))
            continue
        if not 0 <= score <= weights[item]:
            problems.append((where, f"ignored: score {score:g} is outside 0..{weights[item]:g} for {item}"))
            continue
        if item in found.get(student, {}):
            problems.append((where, f"ignored: {student} {item} is adjusted on an earlier line"))
            continue
        found.setdefault(student, {})[item] = (score, reason)
    return found, problems


def apply(report, adjustments):
    """A copy of `report` with `adjustments` ({item: (score, reason)}) in its
    items and total, and an `overrides` list saying what each was."""
    if not adjustments:
        return report
    adjusted = copy.deepcopy(report)
    adjusted["overrides"] = []
    for item in adjusted["items"]:
        if item["id"] in adjustments:
            score, reason = adjustments[item["id"]]
            adjusted["overrides"].append({"item": item["id"], "was": item["score"], "score": score,
                                          "reason": reason})
            item["score"] = score
    adjusted["score"] = round(sum(i["score"] for i in adjusted["items"]), 2)
    return adjusted
