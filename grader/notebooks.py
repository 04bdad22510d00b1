"""Notebook submissions: .ipynb files turned into modules the child can import.

This runs in the judge on text only. A notebook is parsed as JSON, its saved
outputs are dropped, and each code cell becomes a string inside a generated
module. When the child imports that module, the cells run one by one, each
inside try/except, so a cell that fails loses only what it would have defined.
Syntax errors are found here, statically, with compile() (which runs nothing).

Where a submission holds x.ipynb instead of x.py, x.py is generated from it.
Where both are missing and the folder holds exactly one other notebook, that
notebook is the student's combined notebook: it becomes one module, and each
missing module is a tiny stub that stands for it, so every module sees the
same names (one Value class), as in the student's kernel.
"""
import ast
import json
import re
from pathlib import Path

from .failures import explain_exception
from .inputs import MAX_NOTEBOOK, MAX_SOURCE, unsafe


MAX_CODE = MAX_SOURCE               # bytes of code kept: the same cap as a .py file
CELL_SECONDS = 3                   # a cell still running after this at import is interrupted
COMBINED = "_notebook"             # module name of a combined notebook
GENERATED = "# grader: generated from a notebook"
STUB = "# grader: stands for the combined notebook"

# A first line like "# não avaliada: gráfico" keeps a cell out of grading.
SKIP_MARK = re.compile(r"#\s*n[ãa]o\s+avaliada", re.I)
PYTHON_CELL_MAGICS = {"%%time", "%%timeit", "%%capture", "%%prun"}  # their body is plain Python
MAGIC_LINE = re.compile(r"^(\s*)(?:[%!]|[\w.]+\s*=\s*[%!](?!=))")
QUIET_CALLS = {"display", "clear_output"}


class NotebookError(Exception):
    """The notebook cannot be used at all; the message is for the student."""


def add_notebooks(source, workdir, modules, graded):
    """Write workdir/x.py for each module x not in `graded` that a notebook holds.

    `graded` names the modules whose .py was copied. Returns report errors.
    """
    source, workdir = Path(source), Path(workdir)
    errors, missing, renamed = [], [], set()
    for name in modules:
        notebook = source / f"{name}.ipynb"
        present = notebook.exists() or notebook.is_symlink()
        if name in graded:
            if present:
                errors.append({"module": name,
                               "message": f"{name}.py e {name}.ipynb foram entregues; {name}.py foi avaliado"})
        elif present:
            errors += _write_module(notebook, workdir / f"{name}.py", name)
        elif (found := _renamed(source, name)) is not None:
            renamed.add(found)
            shown = found.relative_to(source).as_posix()
            errors.append({"module": name, "message": f"{name}.ipynb não foi entregue com esse nome; "
                           f"{shown} foi avaliado no lugar dele"})
            errors += _write_module(found, workdir / f"{name}.py", name)
        else:
            missing.append(name)
    if not missing:
        return errors
    others = sorted(p for p in source.glob("*.ipynb")
                    if p.stem not in modules and p.stem != "mlp" and not p.name.startswith(".") and p not in renamed)
    if len(others) > 1:
        names = ", ".join(p.name for p in others)
        errors.append({"module": "", "message": f"faltam {', '.join(missing)} e há mais de um notebook na pasta "
                       f"({names}): não dá para saber qual avaliar. Deixe um só notebook com todas as funções, "
                       "ou dê a cada um o nome do módulo (por exemplo derivatives.ipynb)"})
    elif others:
        target = workdir / f"{COMBINED}.py"
        errors += _write_module(others[0], target, "")
        if target.exists():
            for name in missing:
                (workdir / f"{name}.py").write_text(
                    f"{STUB}\nimport sys\nimport {COMBINED}\n"
                    f"sys.modules[__name__] = {COMBINED}  # one namespace, as in the notebook's kernel\n",
                    encoding="utf-8")
    else:
        errors.append({"module": "", "message": f"não há {', '.join(f'{n}.py' for n in missing)} (nem o notebook "
                       f"de mesmo nome) na entrega; ela tem: {_listing(source)}"})
    return errors


def _listing(source):
    """What the submission folder holds, briefly: for a message."""
    names = sorted(p.name + ("/" if p.is_dir() else "") for p in source.iterdir() if not p.name.startswith("."))
    shown = ", ".join(names[:12]) + (f" e mais {len(names) - 12}" if len(names) > 12 else "")
    return shown or "nada"


# How browsers and Colab rename a download: "Cópia de x.ipynb", "Copy of
# x.ipynb", "x (1).ipynb", "x-2.ipynb"; students also leave it in notebooks/.
COPY_NAME = re.compile(r"^(?:c[óo]pia de |copy of )?(?P<stem>.+?)(?: ?\(\d+\)|-\d+)?$", re.I)


def _renamed(source, name):
    """The notebook a student most likely meant as `name`.ipynb, or None:
    the same name under a copy's name, at the top or in notebooks/."""
    for folder in (source, source / "notebooks"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in sorted(folder.glob("*.ipynb")):
            match = COPY_NAME.match(path.stem.strip())
            if match and match["stem"].strip().lower() == name and (path.name != f"{name}.ipynb" or folder != source):
                return path
    return None


def generated_modules(workdir, modules, source):
    """{module: the module its code lives in} for the modules made from
    notebooks (itself, or the combined notebook's). Read before the child
    starts: afterwards the judge never opens a file in the child's copy,
    which the child may have swapped for a FIFO. A module the submission
    handed in as .py is never one, whatever marker its first line carries."""
    found = {}
    for name in modules:
        handed_in = Path(source) / f"{name}.py"
        if handed_in.is_file() and not handed_in.is_symlink():
            continue
        target = _generated_as(Path(workdir) / f"{name}.py", name)
        if target is not None:
            found[name] = target
    return found


def cell_errors(student, generated):
    """Report errors for the cells that raised while the child imported them.

    `generated` is generated_modules()'s answer. Asks the child for each
    generated module's list; a failed ask costs nothing.
    """
    errors, seen = [], set()
    status = getattr(student, "status", {})
    for name, target in generated.items():
        if target in seen:
            continue
        seen.add(target)
        state = status.get(name)
        if state is None or state.state != "ok":
            continue
        try:
            found = student.run(f"import {name}\nresult = [str(e) for e in {name}.__notebook_errors__][:20]")
        except Exception:  # noqa: BLE001  (a probe only; the tests report real failures)
            continue
        for text in found if isinstance(found, list) else []:
            if isinstance(text, str):
                errors.append({"module": name if target == name else "", "message": "uma célula levantou um erro; "
                               "o que ela definiria depois desse ponto não foi avaliado",
                               "detail": _explained(text[:500])})
    return errors


_CELL_RAISED = re.compile(r"^(?P<label>.*?): levantou (?P<type>\w+)(?:: (?P<text>.*))?$", re.S)


def _explained(text):
    """'x.ipynb, célula 3 (...): levantou NameError: name 'f' is not defined' with
    Python's words after a Portuguese sentence (grader/failures.py)."""
    found = _CELL_RAISED.match(text)
    if not found:
        return text
    return f"{found['label']}: {explain_exception(found['type'], found['text'] or '')}"


def _generated_as(path, name):
    if path.is_symlink() or not path.is_file():
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            first = f.readline(200).rstrip("\n")
    except OSError:
        return None
    return {GENERATED: name, STUB: COMBINED}.get(first)


# -- notebook to module ----------------------------------------------------
def _write_module(notebook, target, module):
    """Convert one notebook into `target`; return report errors."""
    try:
        problem = unsafe(notebook, MAX_NOTEBOOK)
        if problem:
            too_big = problem.startswith("tem ")   # the saved outputs, most likely
            raise NotebookError(problem + (". Limpe as saídas (no Jupyter ou no Colab: Editar > Limpar todas as "
                                           "saídas) e entregue de novo" if too_big else ""))
        cells = read_code_cells(notebook)
    except NotebookError as err:
        return [{"module": module, "message": f"{notebook.name} foi ignorado: {err}"}]
    too_big = [{"module": module, "message": f"{notebook.name} foi ignorado: o código das células "
                f"passa de {MAX_CODE // 1024} KiB"}]
    # Measured before any cell is parsed or compiled: that work grows with the code.
    if sum(len(text.encode("utf-8", "replace")) for _, text in cells) > MAX_CODE:
        return too_big
    kept, errors = [], []
    for index, text in cells:
        code = clean_cell(text)
        if code is None:
            continue
        # Colab and Jupyter show no cell numbers: what the cell defines (or how it starts) finds it.
        label = f"{notebook.name}, célula {index} ({_what_it_holds(code, text)})"
        problem = _compile_problem(code, label)
        if problem:
            errors.append({"module": module,
                           "message": f"{label}: {problem}; as definições dessa célula não foram avaliadas"})
            continue
        kept.append((label, code))
    if sum(len(code.encode("utf-8")) for _, code in kept) > MAX_CODE:
        return errors + too_big
    target.write_text(module_source(notebook.name, kept), encoding="utf-8")
    return errors


def _what_it_holds(code, written=None):
    """'a que define f' / 'a da classe C' / 'a que começa com "x = 1"': for a message.
    The first line is quoted as the student wrote it (`written`), never as
    clean_cell neutralised it ("%time x = f()" became "pass")."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    for node in tree.body if tree else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return f"a que define {node.name}"
        if isinstance(node, ast.ClassDef):
            return f"a da classe {node.name}"
    first = next((line.strip() for line in (written or code).splitlines() if line.strip()), "")
    return f'a que começa com "{first[:40]}{"…" if len(first) > 40 else ""}"'


def read_code_cells(path):
    """[(position of the cell, 1-based, source)] for each code cell; outputs are ignored."""
    try:
        data = json.loads(Path(path).read_bytes())
    except json.JSONDecodeError as err:
        raise NotebookError(f"não é um notebook válido: o JSON está quebrado (linha {err.lineno}, "
                            f"coluna {err.colno}). Baixe o notebook de novo pelo Jupyter ou pelo Colab "
                            "(Arquivo > Baixar > .ipynb)") from None
    except UnicodeDecodeError:
        raise NotebookError("não é um notebook válido: o arquivo não é texto em UTF-8") from None
    except (ValueError, RecursionError, MemoryError) as err:  # absurd nesting or size
        raise NotebookError(f"não é um notebook válido ({type(err).__name__})") from None
    if not isinstance(data, dict) or "nbformat" not in data:
        raise NotebookError("não tem o formato de um notebook do Jupyter (falta o campo nbformat)")
    for cell in _raw_cells(data):
        if isinstance(cell, dict) and "outputs" in cell:
            cell["outputs"] = []  # saved outputs are never graded, and may be huge
    version = data.get("nbformat")
    if type(version) is not int or not 1 <= version <= 4:
        raise NotebookError(f"tem uma versão de notebook desconhecida (nbformat {version!r})")
    if version < 4:
        import nbformat  # only for old notebooks: it costs ~50 ms on every grade otherwise
        try:
            data = nbformat.convert(nbformat.from_dict(data), 4)
        except Exception:  # noqa: BLE001  (nbformat raises many kinds on malformed old files)
            raise NotebookError(f"está num formato de notebook antigo (nbformat {version}) que não consegui "
                                "converter. Abra-o no Jupyter ou no Colab e salve de novo") from None
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("não tem o formato de um notebook do Jupyter (falta a lista de células)")
    found = []
    for index, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = cell.get("source", "")
        if isinstance(text, list):
            text = "".join(t for t in text if isinstance(t, str))
        if isinstance(text, str):
            found.append((index, text.replace("\r\n", "\n").replace("\r", "\n")))
    if not found:
        raise NotebookError("não tem nenhuma célula de código")
    return found


def _raw_cells(data):
    cells = data.get("cells")
    if isinstance(cells, list):
        yield from cells
    for sheet in data.get("worksheets") or []:  # nbformat 3 and older
        if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list):
            yield from sheet["cells"]


def _compile_problem(code, label):
    try:
        compile(code, f"<{label}>", "exec", dont_inherit=True)
    except SyntaxError as err:
        return f"erro de sintaxe na linha {err.lineno} da célula ({err.msg})"
    except (ValueError, OverflowError, MemoryError, RecursionError) as err:
        return f"a célula não pôde ser compilada ({type(err).__name__})"
    return ""


def clean_cell(text):
    """The Python a code cell runs when graded, or None for a cell that is not graded.

    Magics and shell lines become `pass` (same indentation, so line numbers
    stay right); display calls, plt.show() and IPython imports too.
    """
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    head = lines[first].strip()
    if SKIP_MARK.match(head):
        return None
    if head.startswith("%%"):
        if head.split()[0] not in PYTHON_CELL_MAGICS:
            return None  # %%bash, %%writefile, %%html...: not Python
        lines[first] = ""
    code = "\n".join(lines)
    if not _parses(code):  # only then can a line be a magic: valid Python is left alone
        code = "\n".join(_neutral(line) for line in lines)
    return _quiet(code)


def _neutral(line):
    found = MAGIC_LINE.match(line)
    return found.group(1) + "pass" if found else line


def _parses(code):
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, OverflowError, MemoryError, RecursionError):
        return False
    return True


def _quiet(code):
    """Replace display(...), plt.show(), get_ipython()... and IPython imports by `pass`."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, OverflowError, MemoryError, RecursionError):
        return code  # compile() will report it
    lines = code.split("\n")
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and _is_display(node.value.func)
                or _imports_ipython(node)):
            continue
        start, end = node.lineno - 1, node.end_lineno - 1
        before = lines[start].encode("utf-8")[:node.col_offset].decode("utf-8", "replace")
        after = lines[end].encode("utf-8")[node.end_col_offset:].decode("utf-8", "replace").strip()
        if before.strip() or (after and not after.startswith("#")):
            continue  # shares a line with other code: leave it
        lines[start] = before + "pass"
        for i in range(start + 1, end + 1):
            lines[i] = ""
    return "\n".join(lines)


def _is_display(func):
    if isinstance(func, ast.Name):
        return func.id in QUIET_CALLS
    if isinstance(func, ast.Attribute) and func.attr == "show" and isinstance(func.value, ast.Name):
        return True  # plt.show(), fig.show()
    while isinstance(func, (ast.Attribute, ast.Call)):
        func = func.value if isinstance(func, ast.Attribute) else func.func
    return isinstance(func, ast.Name) and func.id == "get_ipython"


def _imports_ipython(node):
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "IPython"
    if isinstance(node, ast.Import):
        return all(alias.name.split(".")[0] == "IPython" for alias in node.names)
    return False


# The generated module. Each cell is compiled under the name "<x.ipynb, célula N (...)>",
# which child.where() reports as the place of a failure.
RUNNER = '''
def __run_cells__(cells, scope, seconds):
    import signal

    class CellTimeout(BaseException):  # not an Exception: a student's `except Exception` cannot swallow it
        pass

    def interrupt(signum, frame):
        raise CellTimeout()

    try:
        previous, timed = signal.signal(signal.SIGALRM, interrupt), True
    except (ValueError, OSError, AttributeError):  # not the main thread: no per-cell limit
        previous, timed = None, False
    errors = []
    for label, source in cells:
        try:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                exec(compile(source, "<" + label + ">", "exec"), scope)
            finally:
                if timed:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except CellTimeout:
            errors.append(f"{label}: passou de {seconds} s ao ser carregada e foi interrompida")
        except BaseException as exc:  # SystemExit too: one cell never stops the others
            try:
                text = str(exc)
            except BaseException:
                text = ""
            errors.append(f"{label}: levantou {type(exc).__name__}" + (f": {text}" if text else ""))
    if timed:
        signal.signal(signal.SIGALRM, previous)
    return errors


__notebook_errors__ = __run_cells__(__notebook_cells__, globals(), CELL_SECONDS)
del __run_cells__, __notebook_cells__
'''


def module_source(notebook_name, cells):
    """Text of the module that runs `cells` ([(label, code)]) one at a time."""
    body = "".join(f"    ({label!r}, {code!r}),\n" for label, code in cells)
    return (f"{GENERATED}\n"
            f"# Gerado pelo avaliador a partir de {notebook_name!r}: cada célula de código roda separada.\n"
            f"__notebook_cells__ = [\n{body}]\n"
            + RUNNER.replace("CELL_SECONDS", str(CELL_SECONDS)))
