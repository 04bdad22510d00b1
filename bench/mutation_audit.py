"""Mutation audit of the hidden suite. Not a test; CI does not run it.

    python bench/mutation_audit.py [--seeds 10] [--jobs 2] [--files value.py,...]
                                   [--limit K] [--match ID,...] [--out bench]
                                   [--equivalents FILE] [--list] [--force] [--reclassify]

    --limit 20 --seeds 2   a quick try;  --match   regrade chosen mutants only
    --list                 print every mutant (id and diff), grade nothing
    --reclassify           redo the verdicts of OUT/mutation_audit.json after
                           editing the equivalents file, grade nothing
    --merge [--unkilled]   grade the chosen mutants (--match; with --unkilled
                           also every one OUT's report did not kill on every
                           seed) and merge them into OUT's report: a regraded
                           mutant replaces its entry, a new one is added, and
                           the report lists each merge (when a full run does
                           not fit, after a suite change that concerns a few
                           functions)

Every mutant is the reference solution (`solutions/`) with one small change,
made with cosmic-ray's own mutation operators and its parso-based
`mutate_code` (plus a few operators of ours, clearly separated below, for
what cosmic-ray's set lacks in numeric code). Each mutant is graded with
`grader.grade.grade` on N seeds and classified by SPEC's "one bug, one item":

- killed on every seed, in the item that owns the mutated function;
- killed on some seeds only (flaky detection; the seeds are listed);
- never killed (a survivor), unless `bench/mutation_equivalents.toml` lists
  it as equivalent (no input SPEC allows can tell it from the reference);
- charged elsewhere: it costs points in an item that does not own it;
- crashes grading: the report has `errors`, or `grade()` raised.

`bench/mutation_equivalents.toml` holds two tables: `[[equivalent]]` (no
input SPEC allows tells the mutant from the reference) and `[[unpinned]]`
(the mutant behaves differently, but only where SPEC leaves the behaviour
open; it stays a survivor and is listed apart, with the reason).

The owner of a mutant is the manifest item whose `functions` holds the
top-level function (or class: `Value`) it is in; for a private helper such
as `_check_batch`, the items of the public functions that reach it (found
with `ast`). "Lost points" means scoring below the unmutated reference on
the same seed (normally full marks; the reference is graded first).

Writes OUT/mutation_audit.json (every mutant) and OUT/MUTATION_AUDIT.md.
Progress goes to stderr. Needs cosmic-ray (tested with 8.7.0) in the venv.
"""
import argparse
import ast
import concurrent.futures
import datetime
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib
import traceback
from decimal import Decimal
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SOLUTIONS = ROOT / "solutions"
MANIFEST = ROOT / "grader" / "manifest.toml"
FILES = ("derivatives.py", "value.py", "losses.py", "gradient_check.py")
EQUIVALENTS = BENCH / "mutation_equivalents.toml"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

try:
    import parso.python.tree as ptree
    import cosmic_ray.plugins
    from cosmic_ray.ast import ast_nodes, get_ast
    from cosmic_ray.mutating import mutate_code
    from cosmic_ray.operators.operator import Example, Operator
except ImportError as exc:  # pragma: no cover - a message, not a traceback
    sys.exit(f"mutation_audit: cosmic-ray is not installed ({exc}); pip install 'cosmic-ray==8.7.0'")


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Operators: cosmic-ray's own
# ---------------------------------------------------------------------------
# Left out: operators that need arguments (VariableReplacer, VariableInserter:
# they must be told which variable to touch, and they insert *random*
# numbers, so their mutants would not be the same from one run to the next).
# NoOp is not in operator_names() (cosmic-ray uses it for baseline runs).

def cosmic_ray_operators():
    ops = []
    for name in cosmic_ray.plugins.operator_names():
        cls = cosmic_ray.plugins.get_operator(name)
        if cls.arguments():
            continue
        ops.append((name, cls()))
    return ops


# ---------------------------------------------------------------------------
# Operators: ours. Each one covers a mutation that matters in numeric,
# autograd-style code and that cosmic-ray 8.7's operator set cannot make.
# They follow cosmic-ray's Operator interface so the same MutationVisitor
# (mutate_code) applies them.
# ---------------------------------------------------------------------------
AUDIT_PREFIX = "audit/"


class AugAssignToAssign(Operator):
    """`+=` / `-=` becomes `=`.

    Why: the classic backprop bug (SPEC pins that gradients accumulate with
    `+=`). cosmic-ray's binary-operator replacement only sees `+`, `-`...;
    the augmented-assignment token `+=` is never touched."""

    def mutation_positions(self, node):
        if _is_augassign(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        node.value = "="
        return node

    @classmethod
    def examples(cls):
        return (Example("x += 1", "x = 1"),)


class AugAssignFlip(Operator):
    """`+=` becomes `-=` and `-=` becomes `+=` (e.g. `p.data -= lr * grad`
    climbing instead of descending). Why: as above, cosmic-ray never mutates
    augmented-assignment tokens."""

    def mutation_positions(self, node):
        if _is_augassign(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        node.value = {"+=": "-=", "-=": "+="}[node.value]
        return node

    @classmethod
    def examples(cls):
        return (Example("x -= 1", "x += 1"),)


def _is_augassign(node):
    return (isinstance(node, ptree.Operator) and node.value in ("+=", "-=")
            and node.parent is not None and node.parent.type == "expr_stmt")


class MembershipFlip(Operator):
    """`in` becomes `not in` and `not in` becomes `in`.

    Why: cosmic-ray's comparison operators cover ==, !=, <, <=, >, >=, is,
    is not, but not membership; `if v not in visited` (topological sort) and
    `if loss not in (...)` (argument validation) would go unmutated."""

    def mutation_positions(self, node):
        if node.type == "comparison":
            for op in node.children[1::2]:
                if op.get_code().split() in (["in"], ["not", "in"]):
                    yield (op.start_pos, op.end_pos)

    def mutate(self, node, index):
        ops = [(i, op) for i, op in enumerate(node.children) if i % 2 == 1
               and op.get_code().split() in (["in"], ["not", "in"])]
        i, op = ops[index]
        prefix = op.get_first_leaf().prefix
        if op.get_code().split() == ["in"]:
            node.children[i] = ptree.PythonNode("comp_op", [ptree.Keyword("not", op.start_pos, prefix),
                                                            ptree.Keyword("in", op.start_pos, " ")])
        else:
            node.children[i] = ptree.Keyword("in", op.start_pos, prefix)
        node.children[i].parent = node
        return node

    @classmethod
    def examples(cls):
        return (Example("a in b", "a not in b"), Example("a not in b", "a in b"))


DELETABLE = ("expr_stmt", "atom_expr", "power", "raise_stmt", "assert_stmt", "del_stmt")


class DeleteStatement(Operator):
    """A simple statement inside a function (an assignment, a call, a raise,
    an assert) becomes `pass`.

    Why: cosmic-ray has no statement-deletion operator, and a forgotten line
    is the commonest bug in this kind of code: no `p.grad = 0.0`, no
    restoring `param.data`, no `self.grad = 1.0` at the root, no validation
    call, no `raise`."""

    def mutation_positions(self, node):
        if (node.type in DELETABLE and node.parent is not None and node.parent.type == "simple_stmt"
                and _inside_function(node)):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        return ptree.Keyword("pass", node.start_pos, node.get_first_leaf().prefix)

    @classmethod
    def examples(cls):
        return (Example("def f():\n    x = 1\n", "def f():\n    pass\n"),)


def _inside_function(node):
    parent = node.parent
    while parent is not None:
        if parent.type in ("funcdef", "lambdef"):
            return True
        parent = parent.parent
    return False


class MinMaxSwap(Operator):
    """A call of the builtin `min` becomes `max` and vice versa.

    Why: numerical stability lives in these calls (softmax and log-sum-exp
    shift by `max`, probabilities are clipped with `min(max(p, eps), 1 - eps)`),
    and cosmic-ray does not replace names or calls."""

    def mutation_positions(self, node):
        if (isinstance(node, ptree.Name) and node.value in ("min", "max")
                and node.parent is not None and node.parent.type in ("atom_expr", "power")
                and node.parent.children[0] is node):
            nxt = node.get_next_sibling()
            if nxt is not None and nxt.type == "trailer" and nxt.children[0].value == "(":
                yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        node.value = {"min": "max", "max": "min"}[node.value]
        return node

    @classmethod
    def examples(cls):
        return (Example("top = max(x)", "top = min(x)"),)


def _float_literal(node):
    if not isinstance(node, ptree.Number):
        return None
    text = node.value.strip().replace("_", "").lower()
    if text.startswith("0x") or text.startswith("0o") or text.startswith("0b") or text.endswith("j"):
        return None
    if "." not in text and "e" not in text:
        return None
    value = Decimal(text)
    return value if value != 0 else None


def _scaled_operator(factor, label):
    class NumberScale(Operator):
        __doc__ = f"""A float literal is multiplied by {factor} (h=1e-4 becomes h={1e-4 * float(factor):g}).

        Why: cosmic-ray's NumberReplacer adds or subtracts 1, which is blind
        to scale: 1e-4 + 1 is a wild change any test catches, while the
        realistic slip in numeric code is the wrong order of magnitude
        (a step h, an eps, a tolerance)."""

        def mutation_positions(self, node):
            if _float_literal(node) is not None:
                yield (node.start_pos, node.end_pos)

        def mutate(self, node, index):
            node.value = repr(float(_float_literal(node) * factor))
            return node

        @classmethod
        def examples(cls):
            return ()

    NumberScale.__name__ = f"NumberScale_{label}"
    return NumberScale


class IgnoreParameter(Operator):
    """A parameter with a default is overwritten by that default on the
    function's first line (`def f(x, h=1e-4):` gains `h = 1e-4`).

    Why: the function then ignores what the caller passes, the way a student
    hard-codes `eps` or `h` (SPEC section 4: every keyword parameter is
    honoured); no cosmic-ray operator adds a statement."""

    def mutation_positions(self, node):
        if node.type == "funcdef" and node.children[-1].type == "suite":
            for param in node.get_params():
                if param.default is not None and param.star_count == 0:
                    yield (param.start_pos, param.end_pos)

    def mutate(self, node, index):
        param = [p for p in node.get_params() if p.default is not None and p.star_count == 0][index]
        first = node.children[-1].children[1].get_first_leaf()   # after the suite's newline
        indent = first.prefix.rsplit("\n", 1)[-1]
        first.prefix += f"{param.name.value} = {param.default.get_code().strip()}\n{indent}"
        return node

    @classmethod
    def examples(cls):
        return (Example("def f(x, h=1e-4):\n    return x + h\n",
                        "def f(x, h=1e-4):\n    h = 1e-4\n    return x + h\n"),)


class DropCopy(Operator):
    """`list(x)` (or `tuple(x)`, `dict(x)`, `x.copy()`) becomes `x`.

    Why: the copy is what keeps a function from changing its caller's data;
    without it an update in place reaches the caller (SPEC section 4: no
    function mutates its inputs; with a numpy array, `np.asarray` is the same
    missing copy). cosmic-ray does not replace calls."""

    def mutation_positions(self, node):
        if self._argument(node) is not None:
            yield (node.start_pos, node.end_pos)

    @staticmethod
    def _argument(node):
        if node.type not in ("atom_expr", "power") or len(node.children) != 2:
            return None
        head, trailer = node.children
        if trailer.type != "trailer" or trailer.children[0].value != "(" or len(trailer.children) != 3:
            return None
        if isinstance(head, ptree.Name) and head.value in ("list", "tuple", "dict"):
            arg = trailer.children[1]
            return arg if arg.type not in ("arglist", "argument") else None
        return None

    def mutate(self, node, index):
        arg = self._argument(node)
        arg.get_first_leaf().prefix = node.get_first_leaf().prefix
        return arg

    @classmethod
    def examples(cls):
        return (Example("y = list(x)", "y = x"),)


class DropReversed(Operator):
    """`reversed(x)` becomes `x`: the same steps, run in the opposite order.

    Why: backward() runs the topological order from the output to the leaves;
    run from the leaves, no gradient reaches anything. cosmic-ray does not
    replace calls."""

    def mutation_positions(self, node):
        if (node.type in ("atom_expr", "power") and len(node.children) == 2
                and isinstance(node.children[0], ptree.Name) and node.children[0].value == "reversed"
                and node.children[1].type == "trailer" and len(node.children[1].children) == 3):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        arg = node.children[1].children[1]
        arg.get_first_leaf().prefix = node.get_first_leaf().prefix
        return arg

    @classmethod
    def examples(cls):
        return (Example("for v in reversed(topo):\n    pass\n", "for v in topo:\n    pass\n"),)


class SwapStatements(Operator):
    """Two adjacent statements of one block trade places (`for child in
    v._prev: build(child)` then `topo.append(v)` becomes a pre-order).

    Why: order is the bug in a traversal (a node placed before its children),
    in a training step (zeroing the grads after backward), in a nudge
    (evaluating before moving the weight); cosmic-ray never reorders code."""

    def mutation_positions(self, node):
        for i in self._pairs(node):
            yield (node.children[i].start_pos, node.children[i + 1].end_pos)

    @staticmethod
    def _pairs(node):
        """Adjacent statements whose order can matter (see _dependent); a
        `return` is left in place (moving it up only deletes code, which
        DeleteStatement does)."""
        if node.type not in ("suite", "file_input") or not _inside_function(node):
            return []
        kids = node.children
        statement = ("simple_stmt", "for_stmt", "if_stmt", "while_stmt", "try_stmt", "with_stmt")
        return [i for i in range(len(kids) - 1) if kids[i].type in statement and kids[i + 1].type in statement
                and not any(_is_docstring(k) or _is_return(k) for k in kids[i:i + 2])
                and _dependent(kids[i], kids[i + 1])]

    def mutate(self, node, index):
        i = self._pairs(node)[index]
        a, b = node.children[i], node.children[i + 1]
        # a compound statement ends with its suite's newline; keep each one's own indentation
        pa, pb = a.get_first_leaf().prefix, b.get_first_leaf().prefix
        a.get_first_leaf().prefix, b.get_first_leaf().prefix = pb, pa
        node.children[i], node.children[i + 1] = b, a
        return node

    @classmethod
    def examples(cls):
        return (Example("def f():\n    a()\n    b()\n", "def f():\n    b()\n    a()\n"),)


# Calls that read only their arguments: an assignment calling nothing else
# has no effect but its target, so two such assignments that do not read each
# other's targets can be swapped without any change (an equivalent mutant).
PURE_CALLS = {"set", "list", "tuple", "dict", "len", "sum", "zip", "max", "min", "abs", "float", "int", "range",
              "enumerate", "isinstance", "repr", "str", "math", "Value"}


def _is_return(stmt):
    return stmt.type == "simple_stmt" and stmt.children[0].type == "return_stmt"


def _assignment(stmt):
    if stmt.type != "simple_stmt" or len(stmt.children) != 2 or stmt.children[0].type != "expr_stmt":
        return None
    expr = stmt.children[0]
    if not any(getattr(c, "value", None) in ("=", "+=", "-=", "*=", "/=") for c in expr.children):
        return None
    calls = [n for n in _walk(expr) if n.type == "trailer" and n.children[0].value == "("]
    if any(not (isinstance(c.get_previous_sibling(), ptree.Name) and c.get_previous_sibling().value in PURE_CALLS)
           and not (c.get_previous_sibling().type == "trailer" and c.parent.children[0].type == "name"
                    and c.parent.children[0].value in PURE_CALLS) for c in calls):
        return None   # it calls something that may read or change state
    targets = []
    for c in expr.children[:-1]:
        if getattr(c, "value", None) in ("=", "+=", "-=", "*=", "/="):
            continue
        targets += [t.get_code().strip() for t in (c.children[::2] if c.type in ("testlist_star_expr", "exprlist")
                                                  else [c])]
    return targets


def _walk(node):
    yield node
    for child in getattr(node, "children", ()):
        yield from _walk(child)


def _dependent(a, b):
    """Whether swapping a and b can change anything: either may have effects
    we cannot see (a call, a loop, a branch), or one reads what the other writes."""
    wa, wb = _assignment(a), _assignment(b)
    if wa is None or wb is None:
        return True

    def reads(targets, stmt):
        code = stmt.get_code()
        return any(re.search(r"(?<![\w.])" + re.escape(t) + r"(?!\w)", code) for t in targets)
    return reads(wa, b) or reads(wb, a)


def _is_docstring(stmt):
    first = stmt.children[0] if stmt.type == "simple_stmt" else None
    return first is not None and first.type == "string"


AUDIT_OPERATORS = (AugAssignToAssign, AugAssignFlip, MembershipFlip, DeleteStatement, MinMaxSwap,
                   _scaled_operator(Decimal(10), "Times10"), _scaled_operator(Decimal("0.1"), "Div10"),
                   IgnoreParameter, DropCopy, DropReversed, SwapStatements)


def all_operators():
    return cosmic_ray_operators() + [(AUDIT_PREFIX + cls.__name__, cls()) for cls in AUDIT_OPERATORS]


# ---------------------------------------------------------------------------
# Where a line is: enclosing function, docstrings, the __main__ block
# ---------------------------------------------------------------------------
class SourceMap:
    def __init__(self, source):
        self.tree = ast.parse(source)
        self.defs = []         # (first line, last line, qualname)
        self.excluded = []     # (first line, last line, why)
        self._walk(self.tree, "")
        for node in self.tree.body:
            if _is_main_block(node):
                self.excluded.append((node.lineno, node.end_lineno, "__main__ block"))

    def _walk(self, node, prefix):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                self.excluded.append((first.lineno, first.end_lineno, "docstring"))
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                self.defs.append((start, child.end_lineno, name))
                self._walk(child, name + ".")
            else:
                self._walk(child, prefix)

    def qualname(self, line):
        inside = [d for d in self.defs if d[0] <= line <= d[1]]
        return max(inside)[2] if inside else "<module>"

    def exclusion(self, line):
        return next((why for first, last, why in self.excluded if first <= line <= last), None)


def _is_main_block(node):
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    parts = [node.test.left, *node.test.comparators]
    names = {p.id for p in parts if isinstance(p, ast.Name)}
    consts = {p.value for p in parts if isinstance(p, ast.Constant)}
    return names == {"__name__"} and consts == {"__main__"}


def _def_source(source, qualname):
    """The source of the (innermost) definition `qualname` in `source`, dedented."""
    tree = ast.parse(source)
    node, parts = tree, qualname.split(".")
    for part in parts:
        node = next((c for c in ast.walk(node) if isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     and c.name == part and c is not node), None)
        if node is None:
            return None
    lines = source.splitlines(keepends=True)[node.lineno - 1:node.end_lineno]
    return textwrap.dedent("".join(lines))


# ---------------------------------------------------------------------------
# Who owns what: the manifest's items, and private helpers' public callers
# ---------------------------------------------------------------------------
def load_items():
    data = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    return [dict(id=i["id"], title=i["title"], weight=float(i["weight"]), module=i["module"],
                 functions=tuple(i["functions"]))
            for i in data["items"]]


class Owners:
    def __init__(self, module, source, items):
        self.module = module
        self.items = [i for i in items if i["module"] == module]
        tree = ast.parse(source)
        tops = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        uses = {name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in tops and n.id != name}
                for name, node in tops.items()}
        self.reach = {}
        for name in tops:
            seen, todo = set(), [name]
            while todo:
                for used in uses[todo.pop()]:
                    if used not in seen:
                        seen.add(used)
                        todo.append(used)
            self.reach[name] = seen

    def of(self, qualname):
        top = qualname.split(".")[0]
        direct = [i["id"] for i in self.items if top in i["functions"]]
        if direct:
            return direct
        callers = {name for name, reached in self.reach.items() if top in reached}
        via = [i["id"] for i in self.items if callers & set(i["functions"])]
        return via or [i["id"] for i in self.items]   # module-level code: the module's items


# ---------------------------------------------------------------------------
# Enumerating the mutants
# ---------------------------------------------------------------------------
def _normal(source):
    return ast.dump(ast.parse(source))


def changed_lines(original, mutated):
    """difflib's non-equal opcodes between the two sources, line by line."""
    a, b = original.splitlines(), mutated.splitlines()
    return [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]


def diff_lines(original, mutated):
    """`L12: - old line` / `L12: + new line`, stripped of indentation."""
    a, b = original.splitlines(), mutated.splitlines()
    out = []
    for _, i1, i2, j1, j2 in changed_lines(original, mutated):
        out += [f"L{i + 1}: - {a[i].strip()}" for i in range(i1, i2)]
        out += [f"L{j + 1}: + {b[j].strip()}" for j in range(j1, j2)]
    return out


def enumerate_mutants(files, items):
    operators = all_operators()
    mutants, skipped = [], {}
    for filename in files:
        source = (SOLUTIONS / filename).read_text(encoding="utf-8")
        original_normal = _normal(source)
        where = SourceMap(source)
        owners = Owners(Path(filename).stem, source, items)
        occurrence, seen = {}, {}
        nodes = list(ast_nodes(get_ast(source)))   # positions are counted as cosmic-ray's `init` does
        for op_name, operator in operators:
            count = sum(1 for node in nodes for _ in operator.mutation_positions(node))
            for k in range(count):
                mutated = mutate_code(source, operator, k)
                if mutated is None or mutated == source:
                    skipped["identical"] = skipped.get("identical", 0) + 1
                    continue
                ops = changed_lines(source, mutated)
                first = ops[0][1] + 1
                why = where.exclusion(first)
                if why:
                    skipped[why] = skipped.get(why, 0) + 1
                    continue
                try:
                    normal = _normal(mutated)
                except SyntaxError:   # e.g. `self * not 1` (cosmic-ray turns `-1` into `not 1`)
                    skipped["not valid Python"] = skipped.get("not valid Python", 0) + 1
                    log(f"  not valid Python, skipped: {filename} {op_name}#{k}: {diff_lines(source, mutated)}")
                    continue
                if normal == original_normal:
                    skipped["identical"] = skipped.get("identical", 0) + 1
                    continue
                qualname = where.qualname(first)
                key = (filename, qualname, op_name)
                occ = occurrence.get(key, 0)
                occurrence[key] = occ + 1
                body = _def_source(mutated, qualname) if qualname != "<module>" else None
                if body is None:
                    body = "\n".join(mutated.splitlines()[ops[0][3]:ops[-1][4]])
                digest = hashlib.sha1(f"{filename}\n{qualname}\n{body}".encode()).hexdigest()[:8]
                diff = diff_lines(source, mutated)
                mutant = dict(id=f"{filename}::{qualname}::{op_name}#{occ}@{digest}", file=filename,
                              function=qualname, operator=op_name, occurrence=occ, line=first,
                              diff=diff, owners=owners.of(qualname))
                if normal in seen:   # same program as an earlier mutant: graded once, reported once
                    skipped["duplicate of another mutant"] = skipped.get("duplicate of another mutant", 0) + 1
                    seen[normal]["duplicates"].append(mutant["id"])
                    continue
                mutant["duplicates"] = []
                mutant["_code"] = mutated
                seen[normal] = mutant
                mutants.append(mutant)
    order = {f: i for i, f in enumerate(files)}
    mutants.sort(key=lambda m: (order[m["file"]], m["line"], m["operator"], m["occurrence"]))
    return mutants, skipped


# ---------------------------------------------------------------------------
# Grading (in worker processes)
# ---------------------------------------------------------------------------
def grade_folder(folder, seeds):
    from grader.grade import grade
    results = []
    for seed in seeds:
        try:
            report = grade(str(folder), seed=seed)
            results.append(dict(
                seed=seed, score=report["score"],
                items={i["id"]: i["score"] for i in report["items"]},
                failed={i["id"]: [t["name"] for t in i["tests"] if not t["passed"]]
                        for i in report["items"] if any(not t["passed"] for t in i["tests"])},
                errors=[e.get("message", str(e)) if isinstance(e, dict) else str(e) for e in report["errors"]]))
        except Exception:  # noqa: BLE001 - an exception in grade() is a finding, not a reason to stop
            results.append(dict(seed=seed, exception=traceback.format_exc(limit=8)))
    return results


def grade_mutant(task):
    filename, code, seeds = task
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        for name in FILES:
            shutil.copyfile(SOLUTIONS / name, Path(folder) / name)
        if filename:
            (Path(folder) / filename).write_text(code, encoding="utf-8")
        return grade_folder(folder, seeds)


# ---------------------------------------------------------------------------
# Classifying
# ---------------------------------------------------------------------------
def measure(mutant, results, baseline):
    """Per seed: the items that scored below the reference, their failing
    tests, the report's errors (or the exception grade() raised)."""
    per_seed = []
    for r in results:
        if "exception" in r:
            per_seed.append(dict(seed=r["seed"], exception=r["exception"]))
            continue
        ref = baseline.get(r["seed"], {})
        lost = sorted(i for i, score in r["items"].items() if score < ref.get(i, score) - 1e-9)
        per_seed.append(dict(seed=r["seed"], score=r["score"], lost=lost,
                             failed_tests={i: r["failed"].get(i, []) for i in lost}, errors=r["errors"]))
    mutant["seeds"] = per_seed
    return mutant


def classify(mutant, judgments):
    """The verdict, from mutant["seeds"] and the equivalents file alone (so
    --reclassify can redo it without grading again)."""
    equivalents, unpinned = judgments
    owners = set(mutant["owners"])
    killed, elsewhere, crashes, graded = [], {}, [], []
    for p in mutant["seeds"]:
        if "exception" in p:
            crashes.append(dict(seed=p["seed"], exception=p["exception"].strip().splitlines()[-1]))
            continue
        graded.append(p["seed"])
        if p["errors"]:
            crashes.append(dict(seed=p["seed"], errors=p["errors"]))
        if owners & set(p["lost"]):
            killed.append(p["seed"])
        for item in p["lost"]:
            if item not in owners:
                elsewhere.setdefault(item, []).append(p["seed"])
    if graded and len(killed) == len(graded):
        status = "killed"
    elif killed:
        status = "flaky"
    elif mutant["id"] in equivalents:
        status = "equivalent"
    else:
        status = "survived"
    for key in ("equivalent_reason", "equivalent_conflict", "unpinned_reason"):
        mutant.pop(key, None)
    mutant.update(status=status, killed_seeds=killed, missed_seeds=[s for s in graded if s not in killed],
                  charged_elsewhere=elsewhere, crashes=crashes)
    if mutant["id"] in equivalents:
        mutant["equivalent_reason"] = equivalents[mutant["id"]]
        if killed:
            mutant["equivalent_conflict"] = "listed as equivalent, yet the suite tells it apart from the reference"
    if mutant["id"] in unpinned and status == "survived":
        mutant["unpinned_reason"] = unpinned[mutant["id"]]
    return mutant


def load_judgments(path):
    """(equivalents, unpinned): id -> reason. `[[equivalent]]` entries turn a
    survivor into "equivalent"; `[[unpinned]]` entries stay survivors and
    only carry a note: behaviour that differs but that SPEC does not pin."""
    if not path.exists():
        return {}, {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return ({e["id"]: e.get("reason", "") for e in data.get("equivalent", [])},
            {e["id"]: e.get("reason", "") for e in data.get("unpinned", [])})


# ---------------------------------------------------------------------------
# Provenance
# ---------------------------------------------------------------------------
def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def suite_hash():
    """One hash of what grading depends on: the grader package (hidden suite,
    manifest, kit included). A change during the run means workers may have
    mixed two versions."""
    h = hashlib.sha1()
    grader = ROOT / "grader"
    for path in sorted(p for p in grader.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".ini")
                       and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(grader)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12]


# ---------------------------------------------------------------------------
# The Markdown report
# ---------------------------------------------------------------------------
def code(text):
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def owner_key(m):
    return ", ".join(m["owners"])


def render(audit, items):
    mutants = audit["mutants"]
    order = [i["id"] for i in items]
    keys = sorted({owner_key(m) for m in mutants},
                  key=lambda k: (min(order.index(x) for x in k.split(", ")), len(k.split(", ")), k))
    lines = ["# Mutation audit of the hidden suite", "",
             "Generated by `python bench/mutation_audit.py` (not run by CI); do not edit by hand.", "",
             f"- Date: {audit['generated']}",
             f"- Grader commit: `{audit['grader_commit']}`" + fmt_dirty(audit["dirty"]),
             f"- Grader files hash (suites, manifest, kit): `{audit['suite_hash']}`"
             + ("" if audit["suite_hash"] == audit["suite_hash_end"] else
                f" at the start, `{audit['suite_hash_end']}` at the end: **the grader changed during the run; rerun**"),
             f"- Seeds: {', '.join(map(str, audit['seeds']))}",
             f"- Files: {', '.join(audit['files'])}"
             + (f"; only ids containing {', '.join(map(code, audit['match']))}" if audit["match"] else "")
             + (f"; first {audit['limit']} mutants only" if audit["limit"] else ""),
             f"- cosmic-ray {audit['cosmic_ray_version']}: {len(audit['operators']['cosmic-ray'])} operators; "
             f"ours: {', '.join(o.split('/', 1)[1] for o in audit['operators']['audit'])}",
             *[f"- Merged {m['generated']}: {m['regraded']} mutants graded again or added ({m['added']} new) on "
               f"seeds {', '.join(map(str, m['seeds']))} with grader commit `{m['grader_commit']}`"
               + fmt_dirty(m["dirty"]) + f", files hash `{m['suite_hash']}`"
               + fmt_match(m["match"])
               + (" and every mutant not killed before" if m.get("unkilled") else "")
               + f" ({m['duration_seconds']:.0f} s); each mutant lists its own seeds"
               for m in audit.get("merges", [])],
             f"- Mutants graded: {len(mutants)}; not graded: "
             + (", ".join(f"{n} {why}" for why, n in sorted(audit["skipped"].items())) or "none"),
             f"- Run time: {audit['duration_seconds']:.0f} s with {audit['jobs']} jobs",
             *([f"- Verdicts redone on {audit['reclassified']} with the equivalents file of that time "
                "(`--reclassify`: same grades, nothing graded again)"] if audit.get("reclassified") else []),
             ""]
    bad_base = {s: {i: v for i, v in b["items"].items() if v < b["max"][i]} for s, b in audit["baseline"].items()}
    bad_base = {s: v for s, v in bad_base.items() if v or audit["baseline"][s]["errors"]}
    if bad_base:
        lines += ["**The reference itself loses points** (mutants are compared with these scores): "
                  + "; ".join(f"seed {s}: {v}" for s, v in bad_base.items()), ""]
    lines += ["## Counts per item", "",
              "A mutant belongs to the item that owns the function it is in (a shared private helper "
              "belongs to the items of its callers: that row lists them all).", "",
              "\"never\" counts every survivor; \"of which unpinned\" are the survivors whose behaviour "
              "differs but that SPEC does not pin (`[[unpinned]]` in the equivalents file): no SPEC-faithful "
              "test can kill those.", "",
              "| item | mutants | killed every seed | some seeds | never | of which unpinned | equivalent "
              "| charged elsewhere | crashes grading |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def counts(ms):
        return [len(ms), sum(m["status"] == "killed" for m in ms), sum(m["status"] == "flaky" for m in ms),
                sum(m["status"] == "survived" for m in ms), sum("unpinned_reason" in m for m in ms),
                sum(m["status"] == "equivalent" for m in ms),
                sum(bool(m["charged_elsewhere"]) for m in ms), sum(bool(m["crashes"]) for m in ms)]
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(map(str, counts([m for m in mutants if owner_key(m) == key]))) + " |")
    lines += ["| **total** | " + " | ".join(f"**{n}**" for n in counts(mutants)) + " |", ""]

    def section(title, intro, chosen, extra):
        lines.extend([f"## {title}", "", intro, ""])
        if not chosen:
            lines.extend(["None.", ""])
            return
        for key in keys:
            group = [m for m in chosen if owner_key(m) == key]
            if not group:
                continue
            lines.extend([f"### {key} ({len(group)})", ""])
            for m in group:
                lines.append(f"- {code(m['id'])}{extra(m)}")
                lines.extend(f"  - {code(d)}" for d in m["diff"])
            lines.append("")

    section("Survivors", "Never killed on any seed, not listed as equivalent, and SPEC pins the behaviour "
            "they change: a test can and should kill each of these.",
            [m for m in mutants if m["status"] == "survived" and "unpinned_reason" not in m],
            lambda m: " — also charged elsewhere: " + fmt_elsewhere(m) if m["charged_elsewhere"] else "")
    section("Survivors SPEC does not pin", "Never killed; they change behaviour, but behaviour SPEC leaves "
            "open (`[[unpinned]]` in the equivalents file, with the reason). Killing them takes a SPEC "
            "decision first.", [m for m in mutants if "unpinned_reason" in m], lambda m: f" — {m['unpinned_reason']}")
    section("Killed on some seeds only", "Flaky detection: the seeds that kill it and those that miss it.",
            [m for m in mutants if m["status"] == "flaky"],
            lambda m: f" — killed on seeds {fmt_seeds(m['killed_seeds'])}, missed on {fmt_seeds(m['missed_seeds'])}")
    section("Charged elsewhere", "Costs points in an item that does not own it (breaks \"one bug, one item\"): "
            "the item, the seeds, and the failing tests there.",
            [m for m in mutants if m["charged_elsewhere"]],
            lambda m: f" ({m['status']}) — charged to " + fmt_elsewhere(m, tests=True))
    section("Crashes grading", "The report had `errors`, or `grade()` raised.",
            [m for m in mutants if m["crashes"]], lambda m: " — " + fmt_crash(m))
    conflicts = [m for m in mutants if m.get("equivalent_conflict")]
    section("Listed as equivalent but killed", "Fix `bench/mutation_equivalents.toml`: the suite tells these apart.",
            conflicts, lambda m: "")
    section("Equivalent", "Listed in `bench/mutation_equivalents.toml`, with the reason.",
            [m for m in mutants if m["status"] == "equivalent"], lambda m: f" — {m['equivalent_reason']}")
    if audit["stale_equivalents"]:
        lines += ["## Stale entries in the equivalents file", "",
                  "No mutant of this run has these ids (the reference changed, or the run was partial):", ""]
        lines += [f"- {code(i)}" for i in audit["stale_equivalents"]] + [""]
    return "\n".join(lines)


def fmt_dirty(dirty):
    if not dirty:
        return ""
    grading = [d for d in dirty if d.startswith("grader/")]
    others = len(dirty) - len(grading)
    return (f", plus uncommitted changes to {', '.join(grading) or 'no grader file'}"
            + (f" (and {others} files outside grader/)" if others else ""))


def fmt_match(match):
    """The merge's --match: patterns in full, whole mutant ids only counted
    (a regrade chosen from the failing tests can name dozens)."""
    ids = [w for w in match if w.count("::") == 2 and "@" in w]
    patterns = [w for w in match if w not in ids]
    parts = [f"{len(ids)} mutants chosen by id (listed in the JSON's `merges`)"] if ids else []
    parts += [f"ids containing {', '.join(map(code, patterns))}"] if patterns else []
    return "; " + ", ".join(parts) if parts else ""


def fmt_seeds(seeds):
    return ", ".join(map(str, seeds)) or "none"


def fmt_elsewhere(m, tests=False):
    parts = []
    for item, seeds in m["charged_elsewhere"].items():
        text = f"{item} (seeds {fmt_seeds(seeds)})"
        if tests:
            names = sorted({t for s in m["seeds"] for t in s.get("failed_tests", {}).get(item, [])})
            text += " in " + ", ".join(code(n) for n in names)
        parts.append(text)
    return "; ".join(parts)


def fmt_crash(m):
    out = []
    for c in m["crashes"]:
        what = c.get("exception") or "; ".join(c.get("errors", []))
        out.append(f"seed {c['seed']}: {what[:200]}")
    return " / ".join(out)


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="grade each mutant with seeds 1..N (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--files", default=",".join(FILES), help="comma-separated solution files to mutate")
    parser.add_argument("--limit", type=int, default=0, help="grade only the first K mutants (a quick try)")
    parser.add_argument("--out", type=Path, default=BENCH, help="where the JSON and Markdown go (default bench/)")
    parser.add_argument("--equivalents", type=Path, default=EQUIVALENTS, help="the equivalents file")
    parser.add_argument("--match", default="",
                        help="grade only mutants whose id contains one of these comma-separated strings")
    parser.add_argument("--list", action="store_true", help="print the mutants (id and diff) and stop")
    parser.add_argument("--reclassify", action="store_true",
                        help="grade nothing: redo the verdicts of OUT/mutation_audit.json with the current "
                             "equivalents file and rewrite both outputs")
    parser.add_argument("--merge", action="store_true",
                        help="merge the graded mutants into OUT/mutation_audit.json instead of replacing it")
    parser.add_argument("--unkilled", action="store_true",
                        help="with --merge: also regrade every mutant OUT's report did not kill on every seed")
    parser.add_argument("--force", action="store_true",
                        help="audit even if the unmutated reference loses points (compared with its scores)")
    args = parser.parse_args(argv)
    files = [f.strip() for f in args.files.split(",") if f.strip()]
    unknown = [f for f in files if f not in FILES]
    if unknown:
        parser.error(f"unknown files {unknown}; choose among {', '.join(FILES)}")
    seeds = list(range(1, args.seeds + 1))
    items = load_items()
    judgments = load_judgments(args.equivalents)
    if args.reclassify:
        return reclassify(args.out, items, judgments, args.equivalents)
    started = time.monotonic()
    commit, dirty = git("rev-parse", "HEAD"), git("status", "--porcelain").splitlines()
    hash_start = suite_hash()

    log("mutation_audit: enumerating mutants with cosmic-ray ...")
    mutants, skipped = enumerate_mutants(files, items)
    total_found = len(mutants)
    all_ids = {m["id"] for m in mutants} | {d for m in mutants for d in m["duplicates"]}
    wanted = [w.strip() for w in args.match.split(",") if w.strip()]
    previous = None
    if args.merge:
        path = args.out / "mutation_audit.json"
        previous = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if not previous or not previous.get("complete"):
            sys.exit(f"mutation_audit: --merge needs a finished report in {path}")
        unkilled = {m["id"] for m in previous["mutants"] if m["status"] != "killed"} if args.unkilled else set()
        mutants = [m for m in mutants if m["id"] in unkilled or any(w in m["id"] for w in wanted)]
    elif wanted:
        mutants = [m for m in mutants if any(w in m["id"] for w in wanted)]
    if args.limit:
        mutants = mutants[:args.limit]
    if args.list:
        for m in mutants:
            print(m["id"], *m["diff"], sep="\n    ")
        return
    log(f"mutation_audit: {total_found} mutants ({sum(skipped.values())} not graded: {skipped}); "
        f"grading {len(mutants)} x {len(seeds)} seeds with {args.jobs} jobs")

    args.out.mkdir(parents=True, exist_ok=True)
    audit = dict(generated=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                 grader_commit=commit, dirty=[d[3:] for d in dirty], suite_hash=hash_start, suite_hash_end=hash_start,
                 seeds=seeds, files=files, limit=args.limit, match=wanted, jobs=args.jobs,
                 cosmic_ray_version=metadata.version("cosmic-ray"),
                 operators={"cosmic-ray": [n for n, _ in cosmic_ray_operators()],
                            "audit": [AUDIT_PREFIX + c.__name__ for c in AUDIT_OPERATORS]},
                 skipped=skipped, mutants_found=total_found, complete=False)

    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
        base = pool.submit(grade_mutant, (None, None, seeds)).result()
        baseline = {}
        for r in base:
            if "exception" in r:
                sys.exit(f"mutation_audit: grading the reference raised on seed {r['seed']}:\n{r['exception']}")
            baseline[r["seed"]] = r["items"]
        maxima = {i["id"]: i["weight"] for i in items}
        audit["baseline"] = {r["seed"]: dict(items=r["items"], errors=r["errors"], max=maxima) for r in base}
        worst = {s: {i: v for i, v in b.items() if v < maxima[i]} for s, b in baseline.items()}
        if any(worst.values()) or any(r["errors"] for r in base):
            detail = "; ".join(f"seed {r['seed']}: lost {worst[r['seed']] or 'nothing'}, errors {r['errors']}"
                               for r in base)
            if not args.force:
                sys.exit(f"mutation_audit: the unmutated reference does not get full marks ({detail}).\n"
                         "The suite is broken or being edited: fix it first, or pass --force to audit "
                         "against these scores anyway.")
            log(f"mutation_audit: WARNING the reference does not get full marks: {detail}")

        futures = {pool.submit(grade_mutant, (m["file"], m["_code"], seeds)): m for m in mutants}
        done = 0
        for future in concurrent.futures.as_completed(futures):
            m = futures[future]
            try:
                results = future.result()
            except Exception:  # noqa: BLE001 - a broken worker: record it, keep going
                results = [dict(seed=s, exception=traceback.format_exc(limit=4)) for s in seeds]
            classify(measure(m, results, baseline), judgments)
            done += 1
            elapsed = time.monotonic() - started
            eta = elapsed / done * (len(mutants) - done)
            note = (f" elsewhere={sorted(m['charged_elsewhere'])}" if m["charged_elsewhere"] else "") + \
                   (" CRASH" if m["crashes"] else "")
            log(f"[{done}/{len(mutants)}] {m['status']:<10} {m['id']}{note}  ({elapsed:.0f}s, ~{eta:.0f}s left)")
            if done % 25 == 0:
                write(args.out, audit, mutants, items, started, partial=True,
                      name="mutation_audit.partial.json" if previous else "mutation_audit.json")

    audit["suite_hash_end"] = suite_hash()
    if audit["suite_hash_end"] != hash_start:
        log("mutation_audit: WARNING the grader (suites, manifest, kit) changed during the run: "
            "rerun when it is stable")
    audit["stale_equivalents"] = stale(judgments, files, all_ids)
    audit["all_ids"] = sorted(all_ids)
    if previous:
        audit["unkilled"] = args.unkilled
        audit, mutants = merged(previous, audit, mutants, all_ids, judgments, time.monotonic() - started)
        started = time.monotonic() - audit["duration_seconds"]
        (args.out / "mutation_audit.partial.json").unlink(missing_ok=True)
    write(args.out, audit, mutants, items, started, partial=False)
    statuses = {}
    for m in mutants:
        statuses[m["status"]] = statuses.get(m["status"], 0) + 1
    log(f"mutation_audit: done in {time.monotonic() - started:.0f}s: {statuses}; "
        f"charged elsewhere {sum(bool(m['charged_elsewhere']) for m in mutants)}, "
        f"crashes {sum(bool(m['crashes']) for m in mutants)}; wrote {args.out / 'mutation_audit.json'} "
        f"and {args.out / 'MUTATION_AUDIT.md'}")


def merged(previous, audit, graded, all_ids, judgments, seconds):
    """The previous report with `graded` in place of their old entries (new
    ones added), in enumeration order; each merge is recorded."""
    fresh = {m["id"]: m for m in graded}
    before = {m["id"] for m in previous["mutants"]}
    keep = [m for m in previous["mutants"] if m["id"] not in fresh]
    for m in keep:
        classify(m, judgments)   # the equivalents file may have changed since
    order = {i: n for n, i in enumerate(sorted(all_ids))}
    files = {f: n for n, f in enumerate(FILES)}
    mutants = sorted(keep + graded, key=lambda m: (files[m["file"]], m["line"], m["operator"], m["occurrence"]))
    head = {k: v for k, v in previous.items() if k not in ("mutants", "all_ids")}
    head["merges"] = head.get("merges", []) + [dict(
        generated=audit["generated"], grader_commit=audit["grader_commit"], dirty=audit["dirty"],
        suite_hash=audit["suite_hash"], suite_hash_end=audit["suite_hash_end"], seeds=audit["seeds"],
        match=audit["match"], unkilled=audit.get("unkilled", False), regraded=len(graded),
        added=sum(m["id"] not in before for m in graded),
        operators=audit["operators"], duration_seconds=round(seconds, 1))]
    head["operators"] = audit["operators"]
    head["all_ids"] = sorted(set(previous.get("all_ids", [])) | all_ids, key=lambda i: order.get(i, len(order)))
    head["stale_equivalents"] = stale(judgments, head["files"], set(head["all_ids"]))
    head["duration_seconds"] = previous["duration_seconds"]
    return head, mutants


def stale(judgments, files, all_ids):
    return sorted(i for table in judgments for i in table if i.split("::")[0] in files and i not in all_ids)


def reclassify(out, items, judgments, judgments_path):
    """Redo the verdicts of OUT/mutation_audit.json with the current
    equivalents file, and rewrite both outputs; nothing is graded."""
    path = out / "mutation_audit.json"
    audit = json.loads(path.read_text(encoding="utf-8"))
    if not audit.get("complete"):
        sys.exit(f"mutation_audit: {path} is from a run that did not finish")
    for m in audit["mutants"]:
        classify(m, judgments)
    known = audit.get("all_ids") or [i for m in audit["mutants"] for i in [m["id"], *m["duplicates"]]]
    audit["stale_equivalents"] = stale(judgments, audit["files"], set(known))
    audit["reclassified"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    path.write_text(dump_json(audit), encoding="utf-8")
    (out / "MUTATION_AUDIT.md").write_text(render(audit, items) + "\n", encoding="utf-8")
    log(f"mutation_audit: reclassified {len(audit['mutants'])} mutants in {path} with {judgments_path}")


def dump_json(audit):
    """Indented, except one line per mutant (and no list of all ids): small,
    and a rerun's diff shows which mutants changed."""
    head = {k: v for k, v in audit.items() if k not in ("mutants", "all_ids")}
    text = json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    lines = [json.dumps(m, ensure_ascii=False, separators=(",", ":")) for m in audit["mutants"]]
    return (text + ',\n "all_ids": ' + json.dumps(audit.get("all_ids", []), separators=(",", ":"))
            + ',\n "mutants": [\n' + ",\n".join(lines) + "\n ]\n}\n")


def write(out, audit, mutants, items, started, partial, name="mutation_audit.json"):
    graded = [m for m in mutants if "status" in m]   # `mutants` is in enumeration order
    audit.setdefault("stale_equivalents", [])
    audit.update(complete=not partial, duration_seconds=round(time.monotonic() - started, 1),
                 mutants=[{k: v for k, v in m.items() if not k.startswith("_")} for m in graded])
    tmp = out / (name + ".tmp")
    tmp.write_text(dump_json(audit), encoding="utf-8")
    os.replace(tmp, out / name)
    if not partial:
        (out / "MUTATION_AUDIT.md").write_text(render(audit, items) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
