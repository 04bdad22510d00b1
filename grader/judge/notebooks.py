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
same names (one Value class), as in the student's kernel. An x.py that is
still the stub as released counts as missing when a notebook stands for it
(grader/judge/course.py tells a released file from the student's).

Every step is bounded before it starts (read_code_cells): the JSON a file
may hold, the cells, the code; and a notebook the converter trips on costs
its module, never the report.
"""
import ast
import functools
import itertools
import json
import re
import shutil
from pathlib import Path

from . import course
from .failures import explain_exception
from .inputs import MAX_NOTEBOOK, MAX_SOURCE, cite, neutral, unsafe


MAX_CODE = MAX_SOURCE               # bytes of code kept: the same cap as a .py file
MAX_CELLS = 5_000                   # cells of one notebook (a long course notebook has a few hundred)
MAX_JSON_CONTAINERS = 100_000       # JSON objects and lists of one notebook, counted before parsing
MAX_JSON_ITEMS = 4_000_000          # and values in them (2 MiB of code holds at most ~1M commas)
MAX_CANDIDATES = 20                # notebooks looked into to find a module's (or the combined one)
MAX_ENTRIES = 10_000               # entries of a submission folder looked at, for notebooks and messages
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


def add_notebooks(source, workdir, modules, graded, stubs=None):
    """Write workdir/x.py for each module x not in `graded` that a notebook holds.

    `graded` names the modules whose .py was copied; `stubs` maps the modules
    whose .py is still the stub as released ({module: path}, not copied) to
    it: a notebook of the module stands for the stub, and where there is none
    the stub itself is graded. Returns report errors.
    """
    source, workdir, stubs = Path(source), Path(workdir), dict(stubs or {})
    errors, missing, used = [], [], set()
    for name in modules:
        found = _notebook_for(source, name)
        if found is not None and (name in graded or name in stubs) and _is_released_notebook(found):
            found = None   # the template's own notebook, untouched: nothing the student handed in
        if found is not None:
            used.add(found)
        exact = found is not None and found.name == f"{name}.ipynb" and found.parent == source
        # The module's own name is the kit's; any other is the student's, and cited as such.
        shown = f"{name}.ipynb" if exact else cite(found.relative_to(source).as_posix()) if found else ""
        if name in graded:
            if found is not None:
                errors.append({"module": name,
                               "message": f"{name}.py e {shown} foram entregues; {name}.py foi avaliado"})
        elif found is not None and name in stubs:
            errors.append({"module": name, "message": f"{name}.py ainda é o modelo entregue sem alterações; "
                           f"foi avaliado {shown}"})
            errors += _write_module(found, workdir / f"{name}.py", name)
        elif exact:
            errors += _write_module(found, workdir / f"{name}.py", name)
        elif found is not None:
            errors.append({"module": name, "message": f"{name}.ipynb não foi entregue com esse nome; "
                           f"{shown} foi avaliado no lugar dele"})
            errors += _write_module(found, workdir / f"{name}.py", name)
        else:
            missing.append(name)
    if missing:
        errors += _combined(source, workdir, modules, missing, stubs, used)
    for name in missing:
        if name in stubs and not (workdir / f"{name}.py").exists():
            shutil.copyfile(stubs[name], workdir / f"{name}.py")
            errors.append({"module": name, "kind": "stub", "message": f"{name}.py ainda é o modelo entregue sem "
                           f"alterações (nenhuma função foi implementada), e a entrega não tem um notebook "
                           f"{name}.ipynb preenchido: as funções de {name} valem 0. Complete {name}.py ou entregue "
                           f"o notebook preenchido"})
    return errors


def _combined(source, workdir, modules, missing, stubs, used):
    """The missing modules from the folder's one other notebook; report errors."""
    others = sorted(p for p in _notebooks_in(source) if p.stem not in modules and p.stem != "mlp" and p not in used)
    if len(others) <= MAX_CANDIDATES:   # past that, "more than one" needs no look inside any
        others = [p for p in others if not _is_released_notebook(p)]
    if len(others) > 1:
        names = ", ".join(cite(p.name) for p in others[:12]) + (f" e mais {len(others) - 12}" if len(others) > 12
                                                                 else "")
        return [{"module": "", "message": f"faltam {', '.join(missing)} e há mais de um notebook na pasta "
                 f"({names}): não dá para saber qual avaliar. Deixe um só notebook com todas as funções, "
                 "ou dê a cada um o nome do módulo (por exemplo derivatives.ipynb)"}]
    if others:
        target = workdir / f"{COMBINED}.py"
        errors = _write_module(others[0], target, "")
        if target.exists():
            for name in missing:
                if name in stubs:
                    errors.append({"module": name, "message": f"{name}.py ainda é o modelo entregue sem alterações; "
                                   f"foi avaliado o notebook {cite(others[0].name)}"})
                (workdir / f"{name}.py").write_text(
                    f"{STUB}\nimport sys\nimport {COMBINED}\n"
                    f"sys.modules[__name__] = {COMBINED}  # one namespace, as in the notebook's kernel\n",
                    encoding="utf-8")
        return errors
    absent = [n for n in missing if n not in stubs]
    if not absent:
        return []
    return [{"module": "", "message": f"não há {', '.join(f'{n}.py' for n in absent)} (nem o notebook "
             f"de mesmo nome) na entrega; ela tem: {_listing(source)}"}]


def _listing(source):
    """What the submission folder holds, briefly: for a message."""
    names = sorted(p.name + ("/" if p.is_dir() else "") for p in _entries(source) if not p.name.startswith("."))
    shown = ", ".join(cite(n) for n in names[:12]) + (f" e mais {len(names) - 12}" if len(names) > 12 else "")
    return shown or "nada"


def _entries(folder):
    """The first MAX_ENTRIES entries of `folder` (a folder of a million files costs no
    more); none when it cannot be listed (a notebooks/ the grader may not read)."""
    try:
        return list(itertools.islice(folder.iterdir(), MAX_ENTRIES))
    except OSError:
        return []


def _notebooks_in(folder):
    return [p for p in _entries(folder) if p.name.endswith(".ipynb") and not p.name.startswith(".")]


# How browsers and Colab rename a download: "Cópia de x.ipynb", "Copy of
# x.ipynb", "x (1).ipynb", "x-2.ipynb"; students also leave it in notebooks/.
COPY_NAME = re.compile(r"^(?:c[óo]pia de |copy of )?(?P<stem>.+?)(?: ?\(\d+\)|-\d+)?$", re.I)


def _notebook_for(source, name):
    """The notebook a student most likely meant as `name`.ipynb, or None: that
    name, else a copy's name, at the top, then in notebooks/. A notebook that is
    still the one handed out, unfilled, is taken only when nothing else is there."""
    candidates = []
    for folder in (source, source / "notebooks"):
        if not folder.is_dir() or folder.is_symlink():
            continue
        exact = [p for p in _notebooks_in(folder) if p.name == f"{name}.ipynb"]
        copies = sorted(p for p in _notebooks_in(folder) if p not in exact and
                        (m := COPY_NAME.match(p.stem.strip())) and m["stem"].strip().lower() == name)
        candidates += exact + copies
    # Each look inside a notebook is bounded (read_code_cells); so is how many are looked into.
    fresh = next((p for p in candidates[:MAX_CANDIDATES] if not _is_released_notebook(p)), None)
    return fresh or (candidates or [None])[0]


def _is_released_notebook(path):
    """Whether the notebook at `path` grades as the one the release handed out
    (its graded code cells unchanged: outputs, metadata and setup cells aside)."""
    released = _released_notebooks()
    if not released:
        return False
    try:
        return _graded_fingerprint(path) in released
    except Exception:  # noqa: BLE001  (an unreadable notebook is not the released one; it is reported when used)
        return False


@functools.lru_cache(maxsize=1)
def _released_notebooks():
    return frozenset(_graded_fingerprint(p) for p in course.notebooks().values())


def _graded_fingerprint(path):
    if unsafe(path, MAX_NOTEBOOK):
        return None
    cells = [clean_cell(text) for _, text in read_code_cells(path)]
    return course.fingerprint("\n\0\n".join(c.strip() for c in cells if c is not None))


def generated_modules(workdir, modules, source):
    """{module: the module its code lives in} for the modules made from
    notebooks (itself, or the combined notebook's). Read before the child
    starts: afterwards the judge never opens a file in the child's copy,
    which the child may have swapped for a FIFO. A module the submission
    handed in as .py is never one, whatever marker its first line carries."""
    found = {}
    for name in modules:
        handed_in = Path(source) / f"{name}.py"
        if handed_in.is_file() and not handed_in.is_symlink() and not course.is_released_file(handed_in):
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
    Python's words after a Portuguese sentence (grader/judge/failures.py)."""
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
    """Convert one notebook into `target`; return report errors. Whatever goes
    wrong here costs this notebook's module only, never the report."""
    try:
        return _convert(notebook, target, module)
    except Exception as err:  # noqa: BLE001  (a case the converter did not foresee: the module alone is lost)
        target.unlink(missing_ok=True)
        return [{"module": module, "message": f"o avaliador não conseguiu ler {_shown(notebook, module)} (um erro "
                 "interno dele, não seu: avise o professor); as funções desse notebook não foram avaliadas",
                 "detail": f"{type(err).__name__}: {err}"[:300]}]


def _shown(notebook, module):
    """The notebook's name in a message: the kit's own name as is, a student's cited."""
    return notebook.name if module and notebook.name == f"{module}.ipynb" else cite(notebook.name)


def _convert(notebook, target, module):
    try:
        problem = unsafe(notebook, MAX_NOTEBOOK)
        if problem:
            too_big = problem.startswith("tem ")   # the saved outputs, most likely
            raise NotebookError(problem + (". Limpe as saídas (no Jupyter ou no Colab: Editar > Limpar todas as "
                                           "saídas) e entregue de novo" if too_big else ""))
        cells = read_code_cells(notebook)
    except NotebookError as err:
        return [{"module": module, "message": f"{_shown(notebook, module)} foi ignorado: {err}"}]
    too_big = [{"module": module, "message": f"{_shown(notebook, module)} foi ignorado: o código das células "
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
        what = _what_it_holds(code, text)
        label = f"{neutral(notebook.name)}, célula {index} ({what})"   # where a failing test points
        problem = _compile_problem(code, label)
        if problem:
            errors.append({"module": module, "message": f"{_shown(notebook, module)}, célula {index} ({what}): "
                           f"{problem}; as definições dessa célula não foram avaliadas"})
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
    """[(position of the cell, 1-based, source)] for each code cell; outputs are ignored.

    Bounded before the work: the file's size (MAX_NOTEBOOK), the JSON values
    it may hold (counted on the raw bytes, before parsing), the cells and the
    code they hold (before any cell is converted or compiled). nbformat 3 is
    read here (worksheets of cells whose code is `input`); only older formats
    go through nbformat's converter."""
    problem = unsafe(path, MAX_NOTEBOOK)   # every caller's read is bounded (grader/classroom/similarity.py's too)
    if problem:
        raise NotebookError(problem)
    raw = Path(path).read_bytes()
    # What json.loads would build, counted on the bytes (in C, before any
    # object exists): each object or list opens with { or [, and each further
    # value follows a comma. Strings may hold these bytes too: an over-count.
    containers, items = raw.count(b"{") + raw.count(b"["), raw.count(b",")
    if containers > MAX_JSON_CONTAINERS or items > MAX_JSON_ITEMS:
        raise NotebookError("tem células ou saídas demais para um notebook (mais de "
                            f"{MAX_JSON_CONTAINERS} objetos ou {MAX_JSON_ITEMS} valores JSON). Limpe as saídas "
                            "(Editar > Limpar todas as saídas) e entregue de novo")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise NotebookError(f"não é um notebook válido: o JSON está quebrado (linha {err.lineno}, "
                            f"coluna {err.colno}). Baixe o notebook de novo pelo Jupyter ou pelo Colab "
                            "(Arquivo > Baixar > .ipynb)") from None
    except UnicodeDecodeError:
        raise NotebookError("não é um notebook válido: o arquivo não é texto em UTF-8") from None
    except RecursionError:   # the interpreter's recursion limit bounds the nesting json follows
        raise NotebookError("não é um notebook válido: o JSON tem níveis aninhados demais") from None
    except (ValueError, MemoryError) as err:  # a number of thousands of digits, no memory left
        raise NotebookError(f"não é um notebook válido ({type(err).__name__})") from None
    del raw
    if not isinstance(data, dict) or "nbformat" not in data:
        raise NotebookError("não tem o formato de um notebook do Jupyter (falta o campo nbformat)")
    version = data.get("nbformat")
    if type(version) is not int or not 1 <= version <= 4:
        raise NotebookError(f"tem uma versão de notebook desconhecida (nbformat {version!r})")
    cells, code = _cells(data, version)
    if len(cells) > MAX_CELLS:
        raise NotebookError(f"tem {len(cells)} células, mais que o limite de {MAX_CELLS}")
    if code is not None and sum(len(text.encode("utf-8", "replace")) for text in _code_texts(cells, code)) > MAX_CODE:
        raise NotebookError(f"o código das células passa de {MAX_CODE // 1024} KiB")
    if code is None:   # nbformat 1 or 2: rare enough to leave to nbformat's converter, within the caps above
        cells = _converted(data, version)
        code = "source"
    found = []
    for index, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = _text(cell.get(code, ""))
        if text is not None:
            found.append((index, text.replace("\r\n", "\n").replace("\r", "\n")))
    if not found:
        raise NotebookError("não tem nenhuma célula de código")
    return found


def _cells(data, version):
    """(the notebook's cells in order, the key of a code cell's source), or
    (every cell found, None) for a format left to nbformat's converter."""
    if version == 4:
        cells = data.get("cells")
        if not isinstance(cells, list):
            raise NotebookError("não tem o formato de um notebook do Jupyter (falta a lista de células)")
        return cells, "source"
    sheets = data.get("worksheets")
    if version == 3 and not isinstance(sheets, list):
        raise NotebookError("não tem o formato de um notebook do Jupyter (nbformat 3 sem a lista worksheets). "
                            "Abra-o no Jupyter ou no Colab e salve de novo")
    cells = [c for sheet in (sheets if isinstance(sheets, list) else []) if isinstance(sheet, dict)
             and isinstance(sheet.get("cells"), list) for c in sheet["cells"]]
    if version < 3 and isinstance(data.get("cells"), list):   # nbformat 1
        cells += data["cells"]
    return cells, ("input" if version == 3 else None)


def _code_texts(cells, key):
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            text = _text(cell.get(key, ""))
            if text is not None:
                yield text


def _text(value):
    """A cell's source: a string, or a list of strings joined; anything else is no code."""
    if isinstance(value, list):
        return "".join(t for t in value if isinstance(t, str))
    return value if isinstance(value, str) else None


def _converted(data, version):
    import nbformat  # only for the oldest notebooks: it costs ~50 ms on every grade otherwise
    for cell in _cells(data, version)[0]:
        if isinstance(cell, dict) and "outputs" in cell:
            cell["outputs"] = []  # saved outputs are never graded, and may be huge
    try:
        cells = nbformat.convert(nbformat.from_dict(data), 4).cells
    except Exception:  # noqa: BLE001  (nbformat raises many kinds on malformed old files)
        raise NotebookError(f"está num formato de notebook antigo (nbformat {version}) que não consegui "
                            "converter. Abra-o no Jupyter ou no Colab e salve de novo") from None
    if not isinstance(cells, list):
        raise NotebookError("não tem o formato de um notebook do Jupyter (falta a lista de células)")
    return cells


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
