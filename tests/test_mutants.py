"""Every realistic bug costs points in its own item, and only there."""
import pytest

from conftest import scores
from mutants import MUTANTS, replacements


def test_there_are_enough_mutants_on_every_item():
    from conftest import ITEM_IDS
    assert len(MUTANTS) >= 25
    assert {m["item"] for m in MUTANTS} == set(ITEM_IDS)
    assert len({m["id"] for m in MUTANTS}) == len(MUTANTS)


@pytest.mark.parametrize("seed", [11, 2026, 5, 77, 123456])
@pytest.mark.parametrize("mutant", MUTANTS, ids=[m["id"] for m in MUTANTS])
def test_bug_costs_points_only_in_its_item(submission, graded, mutant, seed):
    report = graded(submission(replacements(mutant)), seed=seed)
    lost = {item for item, (score, best) in scores(report).items() if score < best}
    assert mutant["item"] in lost, f"{mutant['id']} went unnoticed"
    assert lost == {mutant["item"]}, f"{mutant['id']} also cost {lost - {mutant['item']}}"
    assert report["errors"] == []
    failing = [t for i in report["items"] if i["id"] == mutant["item"] for t in i["tests"] if not t["passed"]]
    for test in failing:  # feedback a student can act on, never a bare traceback
        assert test["message"] and "Traceback" not in test["message"]
