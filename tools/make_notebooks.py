"""Builds the students' notebooks from the stubs in exercises/ (one source of truth).

    python tools/make_notebooks.py [--exercises DIR] [--out DIR]

Each notebook opens with the module docstring and a setup cell; then, for
each function, its docstring as a markdown cell and its stub (without the
docstring) as a code cell; a class stays whole in one code cell. Plots go
where a picture teaches better, and a last cell runs the public tests on what
the student ran. Cells whose first line is `# não avaliada` are skipped by the
grader (see grader/judge/notebooks.py), so plots and helpers never cost points.
"""
import argparse
import ast
import inspect
import re
import sys
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.manifest import load
from grader.platforms.release import KIT_MARK

ROOT = Path(__file__).resolve().parent.parent
KIT_MLP = ROOT / "grader" / "kit" / "mlp.py"
MODULES = list(load().modules)
MODULE_ITEMS = {m: [i.id for i in load().items if i.module == m] for m in MODULES}  # each self-check's items
NEEDS_VALUE = {"losses", "gradient_check"}  # their tests (or mlp.py) use the student's Value

CELLS = Path(__file__).with_name("notebook_cells")   # the cells' text, as files (format fields in {})


def cell(name):
    return (CELLS / f"{name}.in").read_text(encoding="utf-8")


HOW_TO = cell("how_to.md")
SETUP, SETUP_MLP, SETUP_VALUE = cell("setup.py"), cell("setup_mlp.py"), cell("setup_value.py")
SAVE_VALUE, SELF_CHECK, PLOT_ERRORS = cell("save_value.py"), cell("self_check.py"), cell("plot_errors.py")
DRIVE_FOLDER = "/content/drive/MyDrive/calculo-dl"   # where value.py waits between Colab notebooks


def _plot(name, hint):
    """(markdown, code) of a plot cell: its code ends in PLOT_ERRORS, which says `hint` if a function is missing."""
    return cell(f"{name}.md"), cell(f"{name}.py") + PLOT_ERRORS.format(hint=hint)


def _setup_code(module):
    code = SETUP.replace("{kit}", KIT_MARK)
    if module == "gradient_check":
        mlp = KIT_MLP.read_text(encoding="utf-8")
        assert "'''" not in mlp and "\\" not in mlp, "mlp.py must fit in a ''' string"
        code += SETUP_MLP.format(mlp=mlp)
    if module in NEEDS_VALUE:
        code += SETUP_VALUE.replace("__DRIVE__", DRIVE_FOLDER)
    return code.rstrip("\n")


PLOTS = {("derivatives", "numeric_derivative"):
         _plot("tangent", "Implemente numeric_derivative acima para ver a reta tangente."),
         ("derivatives", "gradient_descent"):
         _plot("descent", "Implemente gradient_descent (e gradient_descent_step) acima para ver a trajetória."),
         ("losses", "sigmoid_output_gradients"):
         _plot("saturation", "Implemente sigmoid_output_gradients acima para ver o gráfico.")}

MAIN_BLOCK = cell("main_block.md")


LIST_ITEM = re.compile(r"^\s*(?:\d+\.|[-*])\s+")


def docstring_markdown(doc):
    """A docstring as markdown: indented blocks become code blocks, the rest stays text.

    A line indented like the text of the list item above it continues that item.
    """
    out, block, item_col = [], [], None

    def flush():
        while block and not block[-1].strip():
            block.pop()
        if block:
            out.extend(["```", *textwrap.dedent("\n".join(block)).split("\n"), "```"])
            block.clear()

    for line in inspect.cleandoc(doc).split("\n"):
        indent = len(line) - len(line.lstrip())
        item = LIST_ITEM.match(line)
        if item:
            item_col = item.end()
        elif line.strip() and indent < 4:
            item_col = None
        code = line.strip() and indent >= 4 and not item and not (item_col == indent and not block)
        if code or (block and not line.strip()):
            if not block and out and out[-1].strip():
                out.append("")
            block.append(line)
            continue
        if block:
            flush()
            if line.strip():
                out.append("")
        out.append(line)
    flush()
    return "\n".join(out).strip() + "\n"


def _segment(lines, node, skip=None):
    """Source lines of `node`, minus the lines of the `skip` node (its docstring)."""
    first = node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno
    keep = range(first - 1, node.end_lineno)
    if skip is not None:
        keep = [i for i in keep if not skip.lineno - 1 <= i < skip.end_lineno]
    return "\n".join(lines[i] for i in keep).rstrip()


def _docstring_node(node):
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[0]
    return None


def _signature(node, lines):
    head = lines[node.lineno - 1].strip()
    return head[len("def "):].rstrip(":") if head.startswith("def ") else node.name


def build(module, exercises=ROOT / "exercises"):
    """The notebook for exercises/<module>.py."""
    text = (Path(exercises) / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    lines = text.split("\n")
    doc = ast.get_docstring(tree) or ""
    title, _, rest = doc.partition("\n")
    cells = [new_markdown_cell(f"# `{module}.py` — {title.strip()}\n\n" + docstring_markdown(rest or " ")),
             new_markdown_cell(HOW_TO.format(module=module)),
             new_code_cell(_setup_code(module))]
    imports, module_doc = [], _docstring_node(tree)
    for node in tree.body:
        if node is module_doc:
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            # The stubs' lint markers mean nothing to a student.
            imports.append(re.sub(r"#\s*noqa:\s*\w+\s*", "# ", _segment(lines, node)))
            continue
        if imports:
            cells.append(new_code_cell("\n".join(imports)))
            imports = []
        if isinstance(node, ast.FunctionDef):
            docnode = _docstring_node(node)
            cells.append(new_markdown_cell(f"## `{_signature(node, lines)}`\n\n"
                                           + docstring_markdown(ast.get_docstring(node) or "")))
            cells.append(new_code_cell(_segment(lines, node, docnode)))
            if (module, node.name) in PLOTS:
                markdown, code = PLOTS[(module, node.name)]
                cells += [new_markdown_cell(markdown), new_code_cell(code.rstrip("\n"))]
        elif isinstance(node, ast.ClassDef):
            cells += _class_cells(node, lines)
            if node.name == "Value":
                cells += [new_markdown_cell("### Salvar o seu `Value`\n\nOs notebooks `losses` e `gradient_check` "
                                            "usam a sua classe `Value` (o MLP é construído sobre ela). Esta "
                                            "célula a salva em `value.py`."),
                          new_code_cell(SAVE_VALUE.replace("__DRIVE__", DRIVE_FOLDER).rstrip("\n"))]
        elif _is_main_block(node):
            body = "\n".join(lines[node.body[0].lineno - 1:node.end_lineno])
            cells += [new_markdown_cell(MAIN_BLOCK),
                      new_code_cell("# não avaliada: experimento\n" + textwrap.dedent(body).rstrip())]
        else:
            cells.append(new_code_cell(_segment(lines, node)))
    if imports:
        cells.append(new_code_cell("\n".join(imports)))
    others = [m for m in MODULES if m != module]
    cells += [new_markdown_cell("## Autoavaliação\n\nRoda os testes públicos nas funções como estão agora neste "
                                "kernel (rode antes as células que você mudou). A nota final vem dos testes "
                                "escondidos, que conferem mais casos."),
              new_code_cell(SELF_CHECK.format(module=module, items=MODULE_ITEMS[module], others=others).rstrip("\n"))]
    for number, cell in enumerate(cells):
        cell["id"] = f"{module}-{number:02d}"  # stable ids: regenerating changes nothing
    return new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})


def _class_cells(node, lines):
    summary = []
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and ast.get_docstring(item):
            summary.append(f"- `{item.name}`: {ast.get_docstring(item).splitlines()[0]}")
    text = (f"## A classe `{node.name}`\n\nComplete os métodos abaixo, todos na mesma célula. O docstring de "
            "cada um explica a derivada local e traz um exemplo para conferir:\n\n" + "\n".join(summary) + "\n")
    return [new_markdown_cell(text), new_code_cell(_segment(lines, node))]


def _is_main_block(node):
    test = getattr(node, "test", None)
    return (isinstance(node, ast.If) and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/make_notebooks.py",
                                     description="Generate the students' notebooks from the stubs.")
    parser.add_argument("--exercises", type=Path, default=ROOT / "exercises", help="folder with the stubs")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: EXERCISES/notebooks)")
    args = parser.parse_args(argv)
    if not (args.exercises / "derivatives.py").exists():
        print(f"make_notebooks: no stubs in {args.exercises}; pass --exercises", file=sys.stderr)
        return 2
    out = args.out or args.exercises / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    for module in MODULES:
        notebook = build(module, args.exercises)
        nbformat.validate(notebook)
        nbformat.write(notebook, out / f"{module}.ipynb")
        print(out / f"{module}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
