"""The student's own graph, drawn: micrograd's draw_dot idea for feedback.

When a Value test fails, the feedback shows the graph the test built, with
each node's data, the grad it should have and the grad the student's code
gave it, the wrong ones marked. Everything comes from data the judge already
has: the expected graph (the judge's own Value, or a graph written out in a
public test) and the plain numbers the child reports for the student's graph
(STUDENT_NODES, run after the test's own code). Nothing here computes a
derivative, so the kit the students get holds no solution.

A graph is plain data (it goes into the JSON report):
    {"nodes": [{"label", "op", "data", "expected", "got", "wrong"}], "edges": [[child, parent]]}
with node 0 the root. `as_text` draws it for Markdown and terminals, `as_svg`
for the HTML feedback page and Colab (a small layered layout, leaves on the
left as in draw_dot; written here rather than with Graphviz so that no binary
is needed where the students run the self-check).
"""
import math
import weakref
from contextlib import contextmanager

MAX_NODES = 40       # larger graphs are not drawn (the deep-chain test has 400 nodes)
MAX_DRAWN = 3        # graphs drawn per graded submission: the feedback shows the first; each costs a call
TOLERANCE = 1e-6

# Appended to a snippet that built `out` and called out.backward(): the
# student's graph as [[data, grad, op, [indices of children]]], root first.
STUDENT_NODES = f'''
def _graph_of(root, cap={MAX_NODES + 1}):
    index, order, stack = {{}}, [], [root]
    while stack and len(order) < cap:
        node = stack.pop()
        if id(node) in index:
            continue
        index[id(node)] = len(order)
        order.append(node)
        try:
            stack.extend(list(getattr(node, "_prev", ()) or ())[:8])
        except Exception:
            pass
    rows = []
    for node in order:
        try:
            kids = [index[id(k)] for k in list(getattr(node, "_prev", ()) or ())[:8] if id(k) in index]
        except Exception:
            kids = []
        rows.append([getattr(node, "data", None), getattr(node, "grad", None), str(getattr(node, "_op", ""))[:12],
                     kids])
    return rows
try:
    result = _graph_of(out)
except Exception:
    result = []
'''


def _number(x):
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else None


def _close(a, b):
    if a is None or b is None:
        return False
    if not (math.isfinite(a) and math.isfinite(b)):
        return a == b
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def trace(value_class, expression, leaves, numbers=None):
    """The expected graph of `expression` (Python text over the names in
    `leaves`, each a Value, and `numbers`, plain floats), built and
    backpropagated with `value_class`, a correct Value (the judge's)."""
    scope = {name: value_class(v) for name, v in leaves.items()}
    names = {id(v): name for name, v in scope.items()}
    scope.update(numbers or {})
    root = eval(expression, {"__builtins__": {}}, scope)   # the judge's own text, never a student's
    root.backward()
    order, index, stack = [], {}, [root]
    while stack:
        node = stack.pop()
        if id(node) in index:
            continue
        index[id(node)] = len(order)
        order.append(node)
        stack.extend(reversed(list(node._prev)))
    nodes, edges = [], []
    for node in order:
        label = names.get(id(node)) or (f"{node.data:.4g}" if not node._prev else "out" if node is root else "")
        nodes.append({"label": label, "op": str(node._op), "data": float(node.data), "expected": float(node.grad)})
        edges += [[index[id(child)], index[id(node)]] for child in node._prev]
    return {"nodes": nodes, "edges": edges}


def expected(nodes, edges):
    """A graph written out by hand (a public test): nodes as (label, op, data, grad)."""
    return {"nodes": [{"label": label, "op": op, "data": float(data), "expected": float(grad)}
                      for label, op, data, grad in nodes], "edges": [list(e) for e in edges]}


def compare(graph, student_rows):
    """`graph` with each node's student grad ("got") and whether it is wrong.
    Student nodes are matched by position for the root, then by operation and
    forward value (a student's _prev is a set: its order says nothing)."""
    rows = []
    for row in student_rows if isinstance(student_rows, list) else []:
        if isinstance(row, list) and len(row) >= 3:
            rows.append((_number(row[0]), _number(row[1]), row[2] if isinstance(row[2], str) else ""))
    used = set()
    nodes = []
    for position, node in enumerate(graph["nodes"]):
        match = 0 if position == 0 and rows else None
        for want_op in (True, False):
            if match is not None:
                break
            match = next((i for i, (data, _, op) in enumerate(rows) if i not in used and _close(data, node["data"])
                          and (not want_op or op == node["op"])), None)
        got = rows[match][1] if match is not None else None
        if match is not None:
            used.add(match)
        nodes.append(dict(node, got=got, wrong=not _close(got, node["expected"])))
    return {"nodes": nodes, "edges": graph["edges"]}


_DRAWN = weakref.WeakKeyDictionary()   # graphs drawn so far, per student process


@contextmanager
def drawn(student, code, graph, **variables):
    """Run the checks inside; if one fails, run `code` again with
    STUDENT_NODES after it and attach the compared graph to the failure.
    `graph` is the expected graph (trace or expected), or a function that
    makes it (called only on failure)."""
    from ..testing import Mismatch   # testing imports this module's users, not the other way round
    try:
        yield
    except Mismatch as failure:
        if failure.graph is None and failure.kind == "wrong" and _DRAWN.get(student, 0) < MAX_DRAWN:
            _DRAWN[student] = _DRAWN.get(student, 0) + 1
            try:
                want = graph() if callable(graph) else graph
                if len(want["nodes"]) <= MAX_NODES:
                    rows = student.run(code + STUDENT_NODES, what="o grafo", **variables)
                    failure.graph = compare(want, rows)
            except Exception:  # noqa: BLE001  (the drawing is a bonus: the failure stands without it)
                pass
        raise


def _show(x):
    if x is None:
        return "?"
    return f"{x:.6g}"


def as_text(graph):
    """The graph as an indented tree, root first; a node reached twice is
    shown once in full, then by name."""
    nodes = graph["nodes"]
    children = {i: [] for i in range(len(nodes))}
    for child, parent in graph["edges"]:
        children[parent].append(child)
    lines, shown = [], set()

    def walk(i, depth):
        node = nodes[i]
        name = node["label"] or f"({node['op']})"
        mark = "  ✗ errado" if node["wrong"] else ""
        if i in shown:
            lines.append(f"{'  ' * depth}{name} (o mesmo nó de cima)")
            return
        shown.add(i)
        op = f" [{node['op']}]" if node["op"] and node["label"] else ""
        lines.append(f"{'  ' * depth}{name}{op}: data={_show(node['data'])}  grad esperado={_show(node['expected'])}"
                     f"  seu grad={_show(node['got'])}{mark}")
        for child in children[i]:
            walk(child, depth + 1)
    if nodes:
        walk(0, 0)
    return "\n".join(lines)


def layout(graph, column=190, row=78, margin=12):
    """Positions for a left-to-right drawing: a node's column is how far it
    is from the leaves (its longest path down), rows in order of discovery."""
    nodes = graph["nodes"]
    children = {i: [] for i in range(len(nodes))}
    for child, parent in graph["edges"]:
        children[parent].append(child)
    height = {}

    def depth(i, seen=()):
        if i not in height:
            height[i] = 0 if i in seen else 1 + max((depth(c, seen + (i,)) for c in children[i]), default=-1)
        return height[i]
    columns = {}
    for i in range(len(nodes)):
        columns.setdefault(depth(i), []).append(i)
    spots = {}
    for col, members in columns.items():
        for r, i in enumerate(members):
            spots[i] = (margin + col * column, margin + r * row)
    width = margin * 2 + (max(columns, default=0) + 1) * column
    tall = margin * 2 + max((len(m) for m in columns.values()), default=1) * row
    return spots, width, tall


def as_svg(graph):
    """The graph as an SVG element (a template, autoescaped)."""
    from .templates import environment
    spots, width, height = layout(graph)
    nodes = [dict(n, x=spots[i][0], y=spots[i][1], name=n["label"] or n["op"], data_text=_show(n["data"]),
                  expected_text=_show(n["expected"]), got_text=_show(n["got"])) for i, n in enumerate(graph["nodes"])]
    edges = [(spots[c], spots[p]) for c, p in graph["edges"]]
    return environment().get_template("graph.svg.j2").render(nodes=nodes, edges=edges, width=width, height=height)
