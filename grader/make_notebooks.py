"""Builds the students' notebooks from the stubs in exercises/ (one source of truth).

    python -m grader.make_notebooks [--exercises DIR] [--out DIR]

Each notebook opens with the module docstring and a setup cell; then, for
each function, its docstring as a markdown cell and its stub (without the
docstring) as a code cell; a class stays whole in one code cell. Plots go
where a picture teaches better, and a last cell runs the public tests on what
the student ran. Cells whose first line is `# não avaliada` are skipped by the
grader (see grader/notebooks.py), so plots and helpers never cost points.
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

from .manifest import load

ROOT = Path(__file__).resolve().parent.parent
KIT_MLP = Path(__file__).parent / "kit" / "mlp.py"
MODULES = list(load().modules)
MODULE_ITEMS = {m: [i.id for i in load().items if i.module == m] for m in MODULES}  # each self-check's items
NEEDS_VALUE = {"losses", "gradient_check"}  # their tests (or mlp.py) use the student's Value

HOW_TO = """\
### Como usar este notebook

1. Rode a célula de preparação logo abaixo.
2. Em cada célula de código, troque o `raise NotImplementedError(...)` pela sua
   implementação. O texto acima de cada célula explica a conta e traz exemplos para
   conferir.
3. Rode os gráficos para ver as ideias funcionando, e a autoavaliação no fim para rodar
   os testes públicos.
4. Para entregar, baixe o notebook (no Colab: *Arquivo > Baixar > Baixar .ipynb*) e entregue
   o arquivo: `{module}.ipynb`, ou o nome que o navegador der (`Cópia de {module}.ipynb`,
   `{module} (1).ipynb`), que o avaliador também reconhece.

As células que começam com `# não avaliada` (preparação, gráficos, autoavaliação) não contam
para a nota: o avaliador as pula. Use essa mesma linha no topo de uma célula sua de testes ou
experimentos que demore para rodar. Se uma célula der erro quando o avaliador carregar o
notebook, só o que ela define fica de fora; o resto é avaliado normalmente. As mensagens
do avaliador citam a célula pelo que ela define ("a que define chain_rule") e pela posição,
contada do topo, com as de texto.
"""

KIT_MARK = "__ENDERECO_DO_KIT__"   # `grader release --repo` writes the kit's pip address here

SETUP = '''\
# não avaliada: preparação (o avaliador pula as células marcadas assim)
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

KIT = "{kit}"  # de onde instalar o avaliador (o kit do repositório da disciplina)

print("Pasta de trabalho:", Path.cwd())
if importlib.util.find_spec("grader") is None and KIT.startswith("git+"):
    print("Instalando o avaliador para a autoavaliação (leva uns 30 segundos)...")
    _feito = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", KIT], capture_output=True, text=True)
    importlib.invalidate_caches()
    print("Avaliador instalado." if _feito.returncode == 0 else
          "Não deu para instalar o avaliador (" + _feito.stderr.strip()[-300:] + "). O resto do notebook "
          "funciona sem ele; só a autoavaliação no fim fica de fora.")
elif importlib.util.find_spec("grader") is None:
    print("O avaliador (pacote grader) não está instalado aqui: a autoavaliação no fim só vai "
          "explicar como instalar. O resto do notebook funciona sem ele.")
'''

SETUP_MLP = '''
# O MLP dado do curso (o avaliador usa sempre esta versão).
MLP_PY = \'\'\'{mlp}\'\'\'
if not Path("mlp.py").exists():
    Path("mlp.py").write_text(MLP_PY, encoding="utf-8")
    print("mlp.py criado.")
'''

DRIVE_FOLDER = "/content/drive/MyDrive/calculo-dl"   # where value.py waits between Colab notebooks

SETUP_VALUE = '''
import json
import re
import shutil

NO_DRIVE = Path("__DRIVE__")  # onde o notebook value guarda o seu value.py, no Colab
if not Path("value.py").exists():
    try:
        from google.colab import drive  # só existe no Colab
        drive.mount(str(NO_DRIVE.parents[1]))
        if (NO_DRIVE / "value.py").exists():
            shutil.copy(NO_DRIVE / "value.py", "value.py")
            print("value.py copiado do seu Google Drive (calculo-dl/value.py).")
    except ImportError:
        pass
    except Exception as erro:  # sem Drive (permissão negada, por exemplo): há outros caminhos abaixo
        print(f"O Google Drive não foi montado ({erro}).")
if not Path("value.py").exists() and Path("value.ipynb").exists():
    # Reaproveita a classe Value do seu notebook value.ipynb, se ele estiver nesta pasta.
    _notebook = json.loads(Path("value.ipynb").read_text(encoding="utf-8"))
    _codigos = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                for c in _notebook["cells"] if c["cell_type"] == "code"]
    _classes = [c for c in _codigos if re.search(r"^class Value\\b", c, re.M)]
    if _classes:
        Path("value.py").write_text("import math\\n\\n" + _classes[-1], encoding="utf-8")
        print("value.py criado a partir de value.ipynb.")
if not Path("value.py").exists():
    print("Este notebook usa o seu Value, e value.py não está nesta pasta. No Colab, rode antes o "
          "notebook value até a célula que salva value.py no seu Google Drive; depois rode esta "
          "célula de novo. Também dá para enviar o value.py (ou o value.ipynb) pelo ícone de pasta "
          "à esquerda.")
'''


def _setup_code(module):
    code = SETUP.replace("{kit}", KIT_MARK)
    if module == "gradient_check":
        mlp = KIT_MLP.read_text(encoding="utf-8")
        assert "'''" not in mlp and "\\" not in mlp, "mlp.py must fit in a ''' string"
        code += SETUP_MLP.format(mlp=mlp)
    if module in NEEDS_VALUE:
        code += SETUP_VALUE.replace("__DRIVE__", DRIVE_FOLDER)
    return code.rstrip("\n")


SAVE_VALUE = '''\
# não avaliada: salva a sua classe Value em value.py, para os outros notebooks usarem
import re
import shutil
from pathlib import Path

NO_DRIVE = Path("__DRIVE__")  # no Colab, os outros notebooks buscam o value.py aqui


def salvar_value():
    # In guarda as células já executadas neste kernel; a última classe Value é a atual.
    executadas = [c for c in globals().get("In", []) if re.search(r"^class Value\\b", c, re.M)]
    if not executadas:
        print("Rode antes a célula da classe Value (e este notebook no Jupyter ou no Colab).")
        return
    Path("value.py").write_text("import math\\n\\n" + executadas[-1], encoding="utf-8")
    print("value.py salvo em", Path.cwd())
    try:
        from google.colab import drive  # só existe no Colab, onde cada notebook roda numa máquina separada
    except ImportError:
        return
    try:
        drive.mount(str(NO_DRIVE.parents[1]))
        NO_DRIVE.mkdir(parents=True, exist_ok=True)
        shutil.copy("value.py", NO_DRIVE / "value.py")
        print("value.py salvo também no seu Google Drive (calculo-dl/value.py): os notebooks losses e "
              "gradient_check o pegam de lá na célula de preparação.")
    except Exception as erro:  # sem Drive: baixa o arquivo, para enviar aos outros notebooks
        print(f"O Google Drive não foi montado ({erro}); baixando value.py para você enviar aos "
              "outros notebooks.")
        from google.colab import files
        files.download("value.py")


salvar_value()
'''

SELF_CHECK = '''\
# não avaliada: autoavaliação com os testes públicos (o avaliador pula esta célula)
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MODULO = {module!r}
ITENS = {items!r}
OUTROS = {others!r}


def autoavaliacao():
    if importlib.util.find_spec("grader") is None:
        print("O avaliador não está instalado neste ambiente. Rode a célula de preparação do "
              "começo (no Colab ela instala o avaliador) ou, no seu computador, `pip install ./kit` "
              "na pasta do repositório; depois rode esta célula de novo.")
        return
    if "In" not in globals():
        print("A autoavaliação precisa rodar dentro do Jupyter ou do Colab.")
        return
    pasta = Path(tempfile.mkdtemp(prefix="autoavaliacao-"))
    # As células executadas neste kernel, na ordem, são o estado atual das suas funções;
    # por isso, nas mensagens abaixo, "célula N" é a execução [N]: procure pela função citada.
    celulas = [{{"cell_type": "code", "metadata": {{}}, "execution_count": None, "outputs": [], "source": c}}
               for c in In[1:]]
    notebook = {{"nbformat": 4, "nbformat_minor": 5, "metadata": {{}}, "cells": celulas}}
    (pasta / f"{{MODULO}}.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    for outro in OUTROS:  # os outros módulos desta pasta (o seu Value, por exemplo)
        for nome in (f"{{outro}}.py", f"{{outro}}.ipynb"):
            if Path(nome).is_file():
                shutil.copy(nome, pasta / nome)
    feito = subprocess.run([sys.executable, "-m", "grader", "check", str(pasta), "--format", "json"],
                           capture_output=True, text=True, timeout=600)
    shutil.rmtree(pasta, ignore_errors=True)
    if feito.returncode != 0:
        print("A autoavaliação não rodou:", feito.stderr[-1000:])
        return
    relatorio = json.loads(feito.stdout)
    print(f"Testes públicos de {{MODULO}} (com as células executadas neste kernel):")
    for item in relatorio["items"]:
        if item["id"] in ITENS:
            print(f"  {{item['title']}}: {{item['score']:g}}/{{item['max_score']:g}}")
            for teste in item["tests"]:
                if not teste["passed"]:
                    print(f"    - {{teste['name']}}: {{teste['message']}}")
    for erro in relatorio["errors"]:
        if erro.get("module") in ("", MODULO):
            print("  Atenção:", erro["message"])


try:
    autoavaliacao()
except Exception as erro:  # a autoavaliação nunca quebra o notebook
    print(f"A autoavaliação não rodou ({{type(erro).__name__}}: {{erro}}).")
'''

PLOT_ERRORS = '''\
except NotImplementedError:
    print("{hint}")
except Exception as erro:  # uma função ainda com erro não quebra o notebook
    print(f"O gráfico não saiu: a sua função levantou {{type(erro).__name__}}: {{erro}}")
'''

TANGENT = ("""\
### Gráfico: a derivada é a inclinação da reta tangente

A reta tracejada passa por `(3, f(3))` com a inclinação que a sua `numeric_derivative`
mediu. Perto de `x = 3` ela quase se confunde com a curva: é isso que a derivada diz.
""", '''\
# não avaliada: gráfico da reta tangente
import matplotlib.pyplot as plt


def f_curso(x):
    return 3 * x ** 2 - 4 * x + 5


try:
    inclinacao = numeric_derivative(f_curso, 3.0)
    xs = [i / 20 for i in range(-20, 101)]  # x de -1 a 5
    plt.figure(figsize=(6, 4))
    plt.plot(xs, [f_curso(x) for x in xs], label="f(x) = 3x² − 4x + 5")
    plt.plot(xs, [f_curso(3) + inclinacao * (x - 3) for x in xs], "--",
             label=f"tangente em x = 3 (inclinação ≈ {inclinacao:.4f})")
    plt.scatter([3], [f_curso(3)], color="black", zorder=3)
    plt.ylim(-10, 65)
    plt.xlabel("x")
    plt.ylabel("f(x)")
    plt.title("A derivada em x = 3 é a inclinação da tangente")
    plt.legend()
    plt.grid(alpha=0.3)
    plt.show()
''' + PLOT_ERRORS.format(hint="Implemente numeric_derivative acima para ver a reta tangente."))

DESCENT = ("""\
### Gráfico: a descida do gradiente em L(w) = (w − 2)²

Começando em `w = 5` com `η = 0.1`, cada passo anda contra a derivada. À esquerda, os
pontos descem a parábola; à direita, `w` se aproxima do mínimo `w = 2`, com a distância
encolhendo 20% por passo.
""", '''\
# não avaliada: gráfico da trajetória da descida
import matplotlib.pyplot as plt

try:
    caminho = gradient_descent(lambda w: 2 * (w - 2), 5.0, 0.1, 15)
    ws = [i / 20 for i in range(-20, 121)]  # w de -1 a 6
    fig, (curva, passos) = plt.subplots(1, 2, figsize=(11, 4))
    curva.plot(ws, [(w - 2) ** 2 for w in ws], label="L(w) = (w − 2)²")
    curva.plot(caminho, [(w - 2) ** 2 for w in caminho], "o-", color="tab:red", label="w₀ = 5, η = 0.1")
    curva.set_xlabel("w")
    curva.set_ylabel("L(w)")
    curva.set_title("Cada passo desce a curva")
    curva.legend()
    curva.grid(alpha=0.3)
    passos.plot(range(len(caminho)), caminho, "o-", color="tab:red", label="w a cada passo")
    passos.axhline(2, linestyle="--", color="gray", label="mínimo w = 2")
    passos.set_xlabel("passo")
    passos.set_ylabel("w")
    passos.set_title("w se aproxima de 2")
    passos.legend()
    passos.grid(alpha=0.3)
    plt.show()
''' + PLOT_ERRORS.format(hint="Implemente gradient_descent (e gradient_descent_step) acima para ver a trajetória."))

SATURATION = ("""\
### Gráfico: MSE contra cross-entropy quando a sigmoide satura

Alvo `y = 1` e `p = σ(z)`. À esquerda (`z` muito negativo), o modelo tem certeza e está
errado: é quando mais precisa aprender. O gradiente da cross-entropy fica perto de 1, mas
o da MSE some, esmagado pelo fator `p(1 − p)`. Por isso, com sigmoide na saída,
classificação usa cross-entropy.
""", '''\
# não avaliada: gráfico dos gradientes com a sigmoide saturada
import matplotlib.pyplot as plt

try:
    zs = [i / 10 for i in range(-100, 101)]  # z de -10 a 10
    pares = [sigmoid_output_gradients(z, 1) for z in zs]
    plt.figure(figsize=(7, 4))
    plt.plot(zs, [abs(mse) for mse, _ in pares], label="|dMSE/dz|")
    plt.plot(zs, [abs(bce) for _, bce in pares], label="|dBCE/dz| (cross-entropy)")
    plt.axvspan(-10, -4, color="tab:red", alpha=0.1, label="saturada e errada")
    plt.xlabel("z (logit); alvo y = 1")
    plt.ylabel("tamanho do gradiente")
    plt.title("Com a sigmoide saturada, a MSE quase para de aprender")
    plt.legend()
    plt.grid(alpha=0.3)
    plt.show()
''' + PLOT_ERRORS.format(hint="Implemente sigmoid_output_gradients acima para ver o gráfico."))

PLOTS = {("derivatives", "numeric_derivative"): TANGENT,
         ("derivatives", "gradient_descent"): DESCENT,
         ("losses", "sigmoid_output_gradients"): SATURATION}

MAIN_BLOCK = """\
### Experimente: diferença para a frente contra diferença central

A mesma comparação do fim de `gradient_check.py`, com as suas funções: quantos
parâmetros passam no gradient check com cada jeito de medir.
"""


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
    parser = argparse.ArgumentParser(prog="python -m grader.make_notebooks",
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
