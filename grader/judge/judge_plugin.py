"""The pytest plugin the judge runs the suites with.

It hands each test the student's process and a random generator seeded
from the run's seed and the test's name, and turns each failure into a
message for the student (never a traceback or test source).
"""
import random
from pathlib import Path

import pytest

from ..testing import Mismatch, student_failure
from ..manifest import load
from .student_process import VALUE_MODULE, StudentError


def _graded_module(test):
    found = load().item_for_suite(Path(str(test.path)).name)
    return found.module if found is not None else None


def feedback(exc):
    """The failure as a Mismatch: a StudentError a test let through is
    classified as testing.run would have (without a hint)."""
    if isinstance(exc, StudentError):
        return student_failure(exc, "")
    if isinstance(exc, Mismatch):
        return exc
    # A failure we did not write a message for: say little, leak nothing.
    return Mismatch("o teste não conseguiu conferir o que o seu código devolveu (o avaliador esbarrou num "
                    f"{type(exc).__name__}).")


class JudgePlugin:
    def __init__(self, student, seed):
        self._student = student
        self.seed = seed
        self._items_begun = set()

    def pytest_collection_modifyitems(self, items):
        # The items that grade the student's value module first: they must run
        # before the child gets the judge's Value (student_process.VALUE_MODULE).
        items.sort(key=lambda test: _graded_module(test) != VALUE_MODULE)   # a stable sort

    def pytest_runtest_setup(self, item):
        manifest = load()
        found = manifest.item_for_suite(Path(str(item.path)).name)
        if found is not None and found.id not in self._items_begun:
            self._items_begun.add(found.id)
            self._student.begin_item(found.id, len(manifest.items) - len(self._items_begun) + 1, found.module)

    def pytest_sessionfinish(self):
        self._student.begin_item("", 1)   # no item: what runs after the tests runs on the judge's Value

    @pytest.fixture
    def student(self):
        return self._student

    @pytest.fixture
    def rng(self, request):
        return random.Random(f"{self.seed}:{request.node.nodeid}")

    def pytest_json_runtest_metadata(self, item, call):
        if call.excinfo is not None:
            found = feedback(call.excinfo.value)
            metadata = {"feedback": str(found), "hint": found.hint, "kind": found.kind}
            if found.module:
                metadata["module"] = found.module
            if found.function:
                metadata["function"] = found.function
            if found.graph:
                metadata["graph"] = found.graph
            return metadata
        return {}
