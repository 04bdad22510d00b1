"""The HTML and SVG templates (Jinja2, autoescaped): the class report, a
student's feedback page and the drawn Value graph."""
from functools import lru_cache
from pathlib import Path

import jinja2

FOLDER = Path(__file__).parent


@lru_cache(maxsize=None)
def environment():
    # Autoescape on every template: student text (ids, names, messages) is data, never markup.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDER), autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
