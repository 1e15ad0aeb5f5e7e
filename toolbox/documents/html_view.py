"""The document as HTML for a browser: the live preview and the finished document as a web
page. Same templates and context as the PDF (templates/html/<slug>.html); only the page
around the content differs, so the preview reads exactly as the document will.

Pure: no Flask request, no database.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader
from markupsafe import Markup

from toolbox.documents.templating import document_environment
from toolbox.instruments.base import Instrument

# Replaces templates/html/base.html for the browser: no <html>/<head>/<main> (the page has
# its own), no inline <style> (the strict CSP forbids it; document.css and preview.css
# carry the look), the date the footer of every PDF page shows as a closing line.
FRAGMENT_BASE = """\
<article class="document" lang="de">
<header class="title-block">
  <p class="kicker">{% block kicker %}{% endblock %}</p>
  <h1>{{ document_title }}</h1>
  {% block subtitle %}{% endblock %}
</header>
{% block content %}{% endblock %}
<p class="generated">Erstellt am {{ generated }}
{%- if ersetzt is defined and ersetzt %} · ersetzt die Fassung vom {{ ersetzt }}{% endif %}</p>
</article>
"""

BLANK_MARKUP = Markup(
    '<span class="blank-value"><span class="visually-hidden">(noch offen)</span></span>'
)


class Blank(str):
    """A value not (yet) given: empty and falsy like "", so every condition in a template
    treats it as missing, but printed as the blank form's empty line."""

    def __new__(cls) -> Blank:
        return super().__new__(cls, "")

    def __html__(self) -> str:
        return BLANK_MARKUP


def _blank_if_empty(value):
    return Blank() if isinstance(value, str) and value == "" else value


def with_blanks(instrument: Instrument, ctx: dict) -> dict:
    """The display context with every missing value as an empty line: texts, dates and
    choices; rows of lists up to their minimum (one for a required list); a required
    multiple choice with nothing ticked gets one line."""
    out = dict(ctx)
    for f in instrument.fields:
        value = ctx.get(f.name)
        if f.kind.is_list:
            rows = [{k: _blank_if_empty(v) for k, v in row.items()} for row in value or []]
            wanted = max(f.min_entries, 1 if f.required else 0)
            rows += [
                {s.name: _blank_row_value(s) for s in f.fields} for _ in range(wanted - len(rows))
            ]
            out[f.name] = rows
        elif f.kind.shape == "items":
            out[f.name] = value or ([Blank()] if f.required else [])
        elif f.kind.shape == "text":
            out[f.name] = _blank_if_empty(value)
    return out


def _blank_row_value(f):
    value = f.kind.blank_row_value(f)
    return Blank() if value is None else value


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def shift_headings(html: str, by: int) -> str:
    """Move every heading `by` levels down (h1 → h3), for a document inside a page that
    has its own h1 and h2. Safe on rendered output: user text is escaped, so every `<h`
    left in it comes from the trusted template."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + by, 6)}", html)


class HtmlView:
    """Renders document templates into the fragment base (see FRAGMENT_BASE)."""

    def __init__(self, html_dir: Path):
        self.html_dir = html_dir.resolve()
        loader = ChoiceLoader(
            [DictLoader({"base.html": FRAGMENT_BASE}), FileSystemLoader(str(self.html_dir))]
        )
        self.env = document_environment(loader)

    @property
    def stylesheet(self) -> Path:
        return self.html_dir / "assets" / "document.css"

    def render(self, instrument: Instrument, ctx: dict) -> str:
        return self.env.get_template(f"{instrument.slug}.html").render(ctx)

    def preview(self, instrument: Instrument, ctx: dict, heading_level: int = 3) -> str:
        """The document with blanks for what is missing, its title at `heading_level`."""
        html = self.render(instrument, with_blanks(instrument, ctx))
        return shift_headings(html, heading_level - 1)


@lru_cache(maxsize=4)
def get_html_view(templates_dir: str) -> HtmlView:
    return HtmlView(Path(templates_dir) / "html")
