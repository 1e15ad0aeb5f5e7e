"""PDF from an HTML template (WeasyPrint): the version to print and archive.

The URL fetcher serves only the bundled assets next to the templates and `data:` URLs:
no other local file, no network, no redirects.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import FileSystemLoader
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from toolbox.documents.templating import document_environment

PDF_MEDIA_TYPE = "application/pdf"

_LONG_RUN = re.compile(r"\S{120,}")  # longer than any link we print: those stay intact
_BREAK_EVERY = 30


def break_long_words(value):
    """Let very long words (pasted links, codes) wrap: WeasyPrint lays out a word without
    break opportunities in quadratic time, minutes for 5 000 characters. An invisible
    zero-width space every 30 characters gives it places to break; never inside a
    character sequence (combining marks, emoji joiners and modifiers stay attached)."""
    if isinstance(value, str) and not isinstance(value, Markup) and _LONG_RUN.search(value):
        return _LONG_RUN.sub(lambda m: _with_breaks(m.group()), value)
    return value


def _with_breaks(word: str) -> str:
    out, run = [], 0
    for prev, char in zip(" " + word[:-1], word, strict=True):
        if run >= _BREAK_EVERY and _starts_cluster(char) and prev != "\u200d":
            out.append("\u200b")
            run = 0
        out.append(char)
        run += 1
    return "".join(out)


def _starts_cluster(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LNPS" and category != "Sk" and not "\ufe00" <= char <= "\ufe0f"


class AssetFetcher(URLFetcher):
    """Fetches `data:` URLs and files inside one assets directory; refuses everything else."""

    def __init__(self, assets: Path):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
        self.assets = assets.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.assets) and path.is_file():
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": media_type}, status=200
                )
        raise ValueError(f"Adresse nicht erlaubt: {url[:80]}")


class _NoTypedText(logging.Filter):
    """WeasyPrint logs each character no font has, one by one: typed text (a name in a
    script without a font) must not reach the logs that way."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(".notdef glyph")


_NO_TYPED_TEXT = _NoTypedText()


class PdfRenderer:
    """Holds what is expensive to build once: the Jinja environment, fonts, parsed CSS."""

    def __init__(self, html_dir: Path):
        logging.getLogger("weasyprint").addFilter(_NO_TYPED_TEXT)  # once: filters are a set
        self.html_dir = html_dir.resolve()
        self.env = document_environment(
            FileSystemLoader(str(self.html_dir)), finalize=break_long_words
        )
        self.fetcher = AssetFetcher(self.html_dir / "assets")
        self.fonts = FontConfiguration()
        self.css = CSS(
            filename=str(self.html_dir / "assets" / "document.css"),
            font_config=self.fonts,
            url_fetcher=self.fetcher,
        )

    def render_html(self, template_name: str, context: dict) -> str:
        return self.env.get_template(template_name).render(context)

    def html_to_pdf(self, html: str) -> bytes:
        document = HTML(
            string=html,
            base_url=(self.html_dir / "assets").as_uri() + "/",
            url_fetcher=self.fetcher,
        )
        return document.write_pdf(
            stylesheets=[self.css], font_config=self.fonts, pdf_variant="pdf/ua-1"
        )

    def render_pdf(self, template_name: str, context: dict) -> bytes:
        return self.html_to_pdf(self.render_html(template_name, context))
