"""Loads manifest.toml: the checklist items, weights, suites and hints."""
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.toml")
SUITES = Path(__file__).with_name("suites")


FEEDBACK_LEVELS = ("full", "hint", "none")


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    weight: float
    suite: str
    feedback: str = "full"   # how much a failing test tells: see FEEDBACK_LEVELS


@dataclass(frozen=True)
class Manifest:
    modules: tuple
    items: tuple
    hints: dict

    def item_for_suite(self, filename):
        return next((i for i in self.items if i.suite == filename), None)


@lru_cache(maxsize=None)
def load(path=MANIFEST):
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    default = data.get("feedback", "full")
    items = tuple(Item(i["id"], i["title"], float(i["weight"]), i["suite"], i.get("feedback", default))
                  for i in data["items"])
    for item in items:
        if item.feedback not in FEEDBACK_LEVELS:
            raise ValueError(f"manifest: item {item.id}: feedback must be one of {FEEDBACK_LEVELS}")
    return Manifest(tuple(data["modules"]), items, dict(data.get("hints", {})))
