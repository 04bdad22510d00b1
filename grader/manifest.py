"""Loads manifest.toml: the checklist items, weights, suites and hints."""
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.toml")
SUITES = Path(__file__).with_name("suites")


FEEDBACK_LEVELS = ("full", "hint", "none")
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")   # Gradescope's, per item
STAND_IN = "stand_in_value.py"   # in a suite folder: the judge's Value for the other items (SPEC section 2)


def suite_folder(suite):
    """'hidden', 'public', or the Path of a suite folder (a test's own suite, say)."""
    return suite if isinstance(suite, Path) else SUITES / suite


def stand_in_source(suite):
    """The suite's stand-in Value source, or None (the public suite has none:
    there the student's own Value runs everywhere)."""
    path = suite_folder(suite) / STAND_IN
    return path.read_text(encoding="utf-8") if path.is_file() else None


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    weight: float
    suite: str
    module: str              # the student module its functions live in
    functions: tuple         # the names (functions, or the Value class) it grades
    feedback: str = "full"   # how much a failing test tells: see FEEDBACK_LEVELS
    visibility: str = "visible"   # when Gradescope shows the item to the student: see VISIBILITIES


@dataclass(frozen=True)
class Manifest:
    modules: tuple
    items: tuple
    hints: dict
    exceptions: dict = field(default_factory=dict)   # Portuguese for Python's exceptions ([exceptions])

    def item_for_suite(self, filename):
        return next((i for i in self.items if i.suite == filename), None)


@lru_cache(maxsize=None)
def load(path=MANIFEST):
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    default = data.get("feedback", "full")
    items = tuple(Item(i["id"], i["title"], float(i["weight"]), i["suite"], i["module"], tuple(i["functions"]),
                       i.get("feedback", default), i.get("visibility", data.get("visibility", "visible")))
                  for i in data["items"])
    for item in items:
        if item.visibility not in VISIBILITIES:
            raise ValueError(f"manifest: item {item.id}: visibility must be one of {VISIBILITIES}")
        if item.feedback not in FEEDBACK_LEVELS:
            raise ValueError(f"manifest: item {item.id}: feedback must be one of {FEEDBACK_LEVELS}")
        if item.module not in data["modules"]:
            raise ValueError(f"manifest: item {item.id}: module {item.module!r} is not in modules")
    return Manifest(tuple(data["modules"]), items, dict(data.get("hints", {})), dict(data.get("exceptions", {})))
