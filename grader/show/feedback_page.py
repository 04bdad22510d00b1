"""A student's feedback as one self-contained HTML page (grader/show/templates/
feedback.html.j2): readable on a phone, no external resource, every text
from the report autoescaped. The wording is grader/show/feedback.py's; failing
Value tests show their graph as an inline SVG (grader/show/value_graph.py)."""
from markupsafe import Markup

from .feedback import cause_sentence, format_score, summarize, untouched_note
from ..judge.report import inert
from .templates import environment
from .value_graph import as_svg


def as_html(report, student="", name="") -> str:
    return environment().get_template("feedback.html.j2").render(student=inert(student), name=inert(name),
                                                                 **_context(report))


def body(report) -> Markup:
    """The page's body without its heading, for a page of the course service."""
    return Markup(environment().get_template("_feedback_body.html.j2").render(**_context(report)))


def _context(report):
    s = summarize(report)
    blocks = [{"title": b.title, "score": format_score(b.score), "max": format_score(b.max_score),
               "messages": b.messages, "more": b.more, "hints": b.hints,
               # as_svg is itself an autoescaped template: its output is markup already
               "graphs": [Markup(as_svg(g)) for g in b.graphs]} for b in s.blocks]
    return dict(score=format_score(s.score), max=format_score(s.max_score),
                untouched=untouched_note(s) if s.untouched else "",
                rows=[{"title": t, "score": format_score(sc), "max": format_score(m), "text": x, "full": sc >= m}
                      for t, sc, m, x in s.rows],
                causes=[cause_sentence(c) for c in s.causes], blocks=blocks, problems=s.problems,
                overrides=[{"title": o["title"], "was": format_score(o["was"]), "score": format_score(o["score"]),
                            "reason": o["reason"]} for o in s.overrides])


def not_graded_html(student, message, name="") -> str:
    """The page for a hand-in that could not be graded at all."""
    return environment().get_template("feedback.html.j2").render(
        student=inert(student), name=inert(name), score="", max="", untouched="", rows=[], causes=[], blocks=[],
        problems=[message], overrides=[], not_graded=True)
