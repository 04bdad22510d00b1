"""The package's rooms import only downwards: each module of grader/ may import
its own room and the rooms below it, never one above (README, "For maintainers")."""
import ast
from pathlib import Path

GRADER = Path(__file__).resolve().parent.parent / "grader"
# Bottom to top. A module's room is its first folder under grader/, or its own name at the top.
LAYERS = [
    {"errors", "atomic", "manifest", "__init__"},
    {"sandbox"},
    {"judge", "testing", "kit"},
    {"show"},
    # The suites: run by the judge from their folder, never imported by a module; they use
    # the suites' API (grader/testing.py), the judge's math and the Value graph of show/.
    {"suites"},
    {"grade"},
    {"classroom"},
    {"platforms"},
    {"service"},
    {"cli", "__main__"},
]
RANK = {room: rank for rank, rooms in enumerate(LAYERS) for room in rooms}


def room_of(dotted):
    """grader.judge.report -> judge; grader.grade -> grade; grader -> __init__."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path, grader=GRADER):
    parts = list(path.relative_to(grader.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path, grader=GRADER):
    """The grader modules `path` imports (relative imports resolved), each as a dotted name."""
    name = module_name(path, grader)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "grader")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            if target.split(".")[0] != "grader":
                continue
            if target == "grader" or node.module is None:   # `from . import x`: x may be a module
                yield from (f"{target}.{a.name}" for a in node.names)
            else:
                yield target


def modules():
    return sorted(p for p in GRADER.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_is_in_a_known_room():
    unknown = {room_of(module_name(p)) for p in modules()} - set(RANK)
    assert not unknown, f"rooms with no layer in tests/test_layers.py: {unknown}"


def test_imports_only_go_down():
    upward = []
    for path in modules():
        mine = RANK[room_of(module_name(path))]
        for target in imported(path):
            theirs = RANK.get(room_of(target))
            if theirs is not None and theirs > mine:
                upward.append(f"{path.relative_to(GRADER.parent)} imports {target}")
    assert not upward, "imports that go up a layer:\n" + "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The check itself: a sandbox module that imports the judge is caught."""
    fake = tmp_path / "grader"
    (fake / "sandbox").mkdir(parents=True)
    (fake / "sandbox" / "confine.py").write_text("from ..judge.report import build\nfrom .. import cli\n")
    found = sorted(imported(fake / "sandbox" / "confine.py", fake))
    assert found == ["grader.cli", "grader.judge.report"]
    assert all(RANK[room_of(t)] > RANK["sandbox"] for t in found)


def test_the_judge_and_the_sandbox_stay_below_the_class_and_the_platforms():
    """The pairs the README promises, named: the sandbox imports nothing of the judge, and the
    judge nothing of the class, the platforms or the service."""
    assert RANK["sandbox"] < RANK["judge"] < min(RANK["classroom"], RANK["platforms"], RANK["service"])
