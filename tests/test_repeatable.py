"""The same submission, seed and grader give the same report on every run
(SPEC section 2), durations aside, and on every supported Python: the golden
report below was made on 3.11 and checked on 3.13 (README, "Repeatable")."""
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, build_submission
from grader.classroom import batch
from grader.grade import grade
from mutants import MUTANTS

GOLDEN = Path(__file__).parent / "golden" / "aluno_seed_2026.json"
VARYING = ("duration_seconds", "submission", "sandbox", "sandbox_note", "grader_version")


def stable(report):
    return json.dumps({k: v for k, v in report.items() if k not in VARYING}, ensure_ascii=False, indent=1,
                      sort_keys=True)


def test_example_submission_matches_the_golden_report_on_every_regrade():
    # examples/aluno holds the `=`-for-`+=` bug in __mul__, whose effect could
    # depend on a set's order: it must not.
    expected = GOLDEN.read_text(encoding="utf-8")
    for _ in range(10):
        assert stable(grade(ROOT / "examples" / "aluno", seed=2026)) + "\n" == expected


@pytest.mark.parametrize("mutant_id", ["mul_assigns_instead_of_accumulating", "add_assigns_instead_of_accumulating",
                                       "backward_without_topological_sort"])
def test_order_sensitive_value_bugs_regrade_identically(tmp_path, mutant_id):
    m = next(m for m in MUTANTS if m["id"] == mutant_id)
    folder = build_submission(tmp_path / "sub", [(m["file"], m["old"], m["new"])])
    first = stable(grade(folder, seed=99))
    for _ in range(4):
        assert stable(grade(folder, seed=99)) == first


def test_batch_regrades_identically(tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(ROOT / "examples" / "aluno", subs / "aluno")
    m = next(m for m in MUTANTS if m["id"] == "mul_assigns_instead_of_accumulating")
    build_submission(subs / "outro", [(m["file"], m["old"], m["new"])])
    seen = set()
    for run in range(10):
        out = tmp_path / f"out{run}"   # a fresh folder: no saved report is reused
        batch.run(subs, out, jobs=2, seed=5, stream=io.StringIO())
        reports = tuple(stable(json.loads((out / "reports" / f"{s}.json").read_text(encoding="utf-8")))
                        for s in ("aluno", "outro"))
        seen.add(reports + ((out / "gradebook.csv").read_bytes(),))
    assert len(seen) == 1
