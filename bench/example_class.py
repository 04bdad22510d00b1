"""The example class: 30 hand-ins as Moodle's "download all" gives them, graded
with `grader batch --ids moodle`, and its class report rendered to a PNG in
headless Chromium, so anyone can look at the page.

    python bench/example_class.py OUT [--png OUT/class_report.png]

The class: correct hand-ins in many styles (tests/variants), hand-ins with one
module still the stub, one with the classic `=` for `+=` bug, one with a syntax
error, untouched stubs, an exact copy of a classmate and a copy with every
local name changed, and one instructor's adjustment (overrides.csv).
The kit's tests build the same class (tests/test_class_view.py).
"""
import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "tests" / "variants"
MODULES = ("derivatives", "value", "losses", "gradient_check")
# Names a student who copies might change: none of them is an API the tests call.
RENAMES = {"result": "resposta", "total": "acumulado", "out": "saida", "grads": "derivadas", "loss": "perda",
           "xs": "entradas", "node": "no", "visited": "vistos", "order": "ordem", "pairs": "pares",
           "value": "valor", "i": "k", "h": "passo", "n": "quantos", "t": "tt", "s": "soma"}


def moodle(name, number):
    return f"{name}_{number}_assignsubmission_file_"


def _copy_hand_in(source, target):
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.suffix in (".py", ".ipynb"):
            shutil.copyfile(path, target / path.name)


def _renamed(folder):
    for path in folder.glob("*.py"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if not line.lstrip().startswith(("import ", "from ")):   # module names stay
                for old, new in RENAMES.items():
                    line = re.sub(rf"(?<![.\w]){old}(?![\w(])", new, line)   # names, not attributes or calls
            lines.append(line)
        path.write_text("".join(lines), encoding="utf-8")


def build(folder):
    """Write the class into `folder`; return {role: [student id]} (ids as Moodle gives them)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    variants = sorted(p for p in VARIANTS.iterdir() if p.is_dir())
    roles, number = {}, 10000

    def hand_in(role, name, source=None):
        nonlocal number
        number += 1
        target = folder / moodle(name, number)
        if source is not None:
            _copy_hand_in(source, target)
        roles.setdefault(role, []).append(str(number))
        return target

    for index, variant in enumerate(variants[:19]):
        hand_in("correct", f"Aluno Correto {index:02d}", variant)
    for index, variant in enumerate(variants[19:23]):   # one module never started
        target = hand_in("partial", f"Aluno Parcial {index}", variant)
        module = MODULES[index % len(MODULES)]
        for name in (f"{module}.py", f"{module}.ipynb"):
            (target / name).unlink(missing_ok=True)
        shutil.copyfile(ROOT / "exercises" / f"{module}.py", target / f"{module}.py")
    target = hand_in("bug", "Aluna Com Bug", ROOT / "examples" / "aluno")
    target = hand_in("syntax", "Aluno Sintaxe", variants[23])
    with open(target / "losses.py", "a", encoding="utf-8") as f:
        f.write("\ndef esqueci(:\n")
    for index in range(3):
        target = hand_in("untouched", f"Aluno Sem Entrega {index}")
        target.mkdir()
        for module in MODULES:
            shutil.copyfile(ROOT / "exercises" / f"{module}.py", target / f"{module}.py")
    original = folder / moodle("Aluno Correto 00", 10001)
    hand_in("copy", "Aluno Copia", original)
    renamed = hand_in("renamed", "Aluno Renomeia", folder / moodle("Aluno Correto 01", 10002))
    _renamed(renamed)
    roles["copied"] = ["10001", "10002"]
    return roles


def overrides(path, student):
    Path(path).write_text(f"student,item,score,reason\n{student},cross-entropy,15,pedido de revisão aceito\n",
                          encoding="utf-8")


def screenshot(page, png):
    """Render `page` in headless Chromium (apt-get install chromium) into `png`."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        sys.exit("chromium is not installed (apt-get install chromium)")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1300,5200", f"--screenshot={png}", Path(page).resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="new folder: the class in OUT/class, the run in OUT/run")
    parser.add_argument("--png", type=Path, help="where the screenshot goes (default OUT/class_report.png)")
    args = parser.parse_args(argv)
    roles = build(args.out / "class")
    overrides(args.out / "overrides.csv", roles["bug"][0])
    subprocess.run([sys.executable, "-m", "grader", "batch", str(args.out / "class"), "--out", str(args.out / "run"),
                    "--ids", "moodle", "--overrides", str(args.out / "overrides.csv")], check=True)
    png = args.png or args.out / "class_report.png"
    screenshot(args.out / "run" / "class_report.html", png)
    print(f"class report: {args.out / 'run' / 'class_report.html'}; screenshot: {png}")


if __name__ == "__main__":
    main()
