"""Loads manifest.toml: the checklist items, weights, suites and hints."""
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MANIFEST = Path(__file__).with_name("manifest.toml")
SUITES = Path(__file__).with_name("suites")


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    weight: float
    suite: str


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
    items = tuple(Item(i["id"], i["title"], float(i["weight"]), i["suite"]) for i in data["items"])
    return Manifest(tuple(data["modules"]), items, dict(data.get("hints", {})))
