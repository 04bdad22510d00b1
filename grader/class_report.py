"""The class report: one self-contained HTML page for the instructor.

What the class did not understand, at a glance: the distribution of totals,
how many students got each checklist item fully right, the tests most
students failed with their most common messages, and what went wrong with
the run. Plots are drawn with matplotlib's Agg canvas and embedded as
data: URIs, so the page loads no external resource and can be mailed as is.
Everything that came from a student (ids, messages) is HTML-escaped.
"""
import base64
import io
import re
from collections import Counter
from html import escape

from .render import format_score

TOP_FAILING = 15        # rows in the failing-tests table
MESSAGES_PER_TEST = 3   # most common messages shown per failing test
# Test inputs differ per student (per-student seeds), so messages are grouped
# with their numbers masked: "esperava 3.5, veio 1.7" ~ "esperava 2.1, veio 1.0".
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\w|\.\d)")

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num { text-align: right; white-space: nowrap; }
img { max-width: 100%; } .muted { color: #777; } ul.messages { margin: 0; padding-left: 1.2em; }
.problem { color: #a40000; }
"""


def build(outcomes, problems, manifest, seed):
    """The page as a string. outcomes: one per student; problems: (entry, message)
    for entries that are not a student's submission at all."""
    graded = sorted((o for o in outcomes if o.report is not None), key=lambda o: o.student)
    max_score = sum(item.weight for item in manifest.items)
    parts = [f"<h1>Class report</h1><p class='muted'>{len(outcomes)} students, "
             f"{len(graded)} graded; checklist total {format_score(max_score)} points; seed {seed}.</p>"]
    if graded:
        parts += [_totals_section(graded, max_score), _items_section(graded, manifest),
                  _failing_section(graded, manifest)]
    else:
        parts.append("<p>No submission was graded.</p>")
    parts += [_problems_section(outcomes, problems), _students_section(outcomes)]
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>Class report</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


# -- sections -------------------------------------------------------------------

def _totals_section(graded, max_score):
    totals = [o.report["score"] for o in graded]
    ordered = sorted(totals)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    mean = sum(totals) / len(totals)
    fig, ax = _figure(7, 3)
    bins = [max_score * k / 10 for k in range(11)]
    ax.hist(totals, bins=bins, color="#4878a8", edgecolor="white")
    ax.set_xlabel(f"total (out of {format_score(max_score)})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max_score)
    return (f"<h2>Distribution of totals</h2><p>Mean {mean:.1f}, median {median:.1f}, "
            f"lowest {ordered[0]:g}, highest {ordered[-1]:g}.</p>{_img(fig, 'histogram of totals')}")


def _items_section(graded, manifest):
    rows, names, rates = [], [], []
    for item in manifest.items:
        got = [next(i for i in o.report["items"] if i["id"] == item.id) for o in graded]
        full = sum(i["score"] >= i["max_score"] for i in got) / len(got)
        mean = sum(i["score"] / i["max_score"] for i in got if i["max_score"]) / len(got)
        names.append(item.id)
        rates.append(100 * full)
        rows.append(f"<tr><td>{escape(item.title)} <span class='muted'>({escape(item.id)})</span></td>"
                    f"<td class='num'>{100 * full:.0f}%</td><td class='num'>{100 * mean:.0f}%</td></tr>")
    fig, ax = _figure(7, 0.45 * len(names) + 1)
    ax.barh(names[::-1], rates[::-1], color="#5a9e6f")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded students with full marks on the item")
    return ("<h2>Pass rate per checklist item</h2>" + _img(fig, "pass rate per checklist item")
            + "<table><tr><th>Item</th><th>Full marks</th><th>Mean score</th></tr>"
            + "".join(rows) + "</table>")


def _failing_section(graded, manifest):
    titles = {item.id: item.title for item in manifest.items}
    students, messages = Counter(), {}
    for o in graded:
        for item in o.report["items"]:
            for test in item["tests"]:
                if not test["passed"]:
                    key = (item["id"], test["name"])
                    students[key] += 1
                    messages.setdefault(key, Counter())[NUMBER.sub("…", test["message"])] += 1
    if not students:
        return "<h2>Most common failing tests</h2><p>Every graded student passed every test.</p>"
    rows = []
    # Ties broken by item and test name, so the page is the same from run to run.
    for (item_id, name), count in sorted(students.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_FAILING]:
        common = sorted(messages[(item_id, name)].items(), key=lambda kv: (-kv[1], kv[0]))[:MESSAGES_PER_TEST]
        listed = "".join(f"<li>{escape(text)} <span class='muted'>({n})</span></li>" for text, n in common)
        rows.append(f"<tr><td class='num'>{count} ({100 * count / len(graded):.0f}%)</td>"
                    f"<td>{escape(titles.get(item_id, item_id))}</td><td><code>{escape(name)}</code></td>"
                    f"<td><ul class='messages'>{listed}</ul></td></tr>")
    return ("<h2>Most common failing tests</h2><p class='muted'>Numbers in messages are shown as … "
            "because each student's inputs differ.</p><table><tr><th>Students failing</th><th>Item</th>"
            "<th>Test</th><th>Most common messages (students)</th></tr>" + "".join(rows) + "</table>")


def _problems_section(outcomes, problems):
    items = [f"<li><b>{escape(entry)}</b>: {escape(message)}</li>" for entry, message in problems]
    for o in sorted(outcomes, key=lambda o: o.student):
        if o.report is None:
            items.append(f"<li><b>{escape(o.student)}</b> (not graded): {escape(o.problem)}</li>")
        elif o.report["errors"]:
            errors = "; ".join(e["message"] for e in o.report["errors"])
            items.append(f"<li><b>{escape(o.student)}</b> (graded with errors): {escape(errors)}</li>")
    if not items:
        return "<h2>Problems</h2><p>None.</p>"
    return f"<h2>Problems</h2><ul class='problem'>{''.join(items)}</ul>"


def _students_section(outcomes):
    rows = []
    for o in sorted(outcomes, key=lambda o: o.student):
        total = "" if o.report is None else f"{format_score(o.report['score'])}"
        state = "not graded" if o.report is None else ("graded with errors" if o.report["errors"] else "ok")
        rows.append(f"<tr><td>{escape(o.student)}</td><td class='num'>{total}</td><td>{state}</td></tr>")
    if not rows:
        return ""
    return ("<h2>Students</h2><table><tr><th>Student</th><th>Total</th><th>Status</th></tr>"
            + "".join(rows) + "</table>")


# -- plots ------------------------------------------------------------------------

def _figure(width, height):
    # The Agg canvas directly: no pyplot, no global state, no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _img(fig, alt):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<p><img alt='{escape(alt)}' src='data:image/png;base64,{data}'></p>"
