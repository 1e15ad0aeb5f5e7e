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

import pydyf
from jinja2 import FileSystemLoader
from markupsafe import Markup, escape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from toolbox.documents.templating import document_environment

PDF_MEDIA_TYPE = "application/pdf"

_LONG_RUN = re.compile(r"\S{120,}")  # longer than any link we print: those stay intact
_BREAK_EVERY = 30


# WeasyPrint writes the hyphen it adds at a line end as U+2010 HYPHEN; typed text never
# reaches the PDF with that character (`prepare_value` writes it as "-"), so every
# U+2010 glyph in the text layer is a layout hyphen.
LAYOUT_HYPHEN = "\u2010"
SOFT_HYPHEN = "\u00ad"


# What a reader copies from a contract: e-mail addresses, links, phone numbers, IBANs.
_EMAIL = r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+"
_URL = r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]]"
_PHONE = r"(?<![\w+#&;])(?:\+[1-9]|\(?0[1-9])[\d ()/-]{5,}\d(?!\w)"
_IBAN = r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"
_CONTACT = re.compile(f"{_URL}|{_EMAIL}|{_IBAN}|(?P<phone>{_PHONE})")
_HYPHEN_AND_NEXT = re.compile(r"-+.")


def prepare_value(value):
    """Every printed value of a PDF template (the Jinja `finalize`): long words get break
    opportunities, contacts are kept whole, a typed U+2010 becomes "-". A value printed
    into an attribute or the <title> is escaped first (`|e`), which this leaves alone."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    # The PDF's U+2010 glyph must be the layout hyphen only (see `soft_layout_hyphens`).
    return keep_contacts_whole(break_long_words(value.replace(LAYOUT_HYPHEN, "-")))


def keep_contacts_whole(text: str):
    """E-mail addresses, URLs, phone numbers and IBANs, wherever they stand in a text, go
    into `<span class="contact">` (document.css): never hyphenated, never broken after one
    of their hyphens (each hyphen and the character after it are one unbreakable piece),
    on one line wherever a line can hold them."""
    pieces, last = [], 0
    for match in _CONTACT.finditer(text):
        if match["phone"] and sum(c.isdigit() for c in match["phone"]) < 7:
            continue  # a phone number has at least seven digits
        pieces.append(escape(text[last : match.start()]))
        contact, inner, done = match.group(), [], 0
        for hyphen in _HYPHEN_AND_NEXT.finditer(contact):
            inner.append(escape(contact[done : hyphen.start()]))
            inner.append(Markup('<span class="nb">%s</span>') % hyphen.group())
            done = hyphen.end()
        inner.append(escape(contact[done:]))
        pieces.append(Markup('<span class="contact">%s</span>') % Markup("").join(inner))
        last = match.end()
    if not pieces:
        return text
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


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


def tagged_pdf_finisher(document, pdf: pydyf.PDF) -> None:
    """Post-processing of WeasyPrint's PDF objects before they are written (PDF/UA-1):
    table header scopes and soft hyphens. Deterministic: depends on the objects only."""
    scope_table_headers(pdf)
    soft_layout_hyphens(pdf)


def _object(pdf: pydyf.PDF, reference) -> object:
    return pdf.objects[int(bytes(reference).split()[0])]


def _struct_type(element) -> str:
    return str(element.get("S", ""))


def scope_table_headers(pdf: pydyf.PDF) -> None:
    """Every TH gets /Scope (PDF/UA-1 7.5; WeasyPrint writes /Headers on the data cells but
    no scope on the header cells). By position, as the templates' `scope` attributes say:
    a header cell in THead or in a row of header cells only heads its column(s); a header
    cell beside data cells in a body row heads its row."""
    for element in pdf.objects:
        if not isinstance(element, pydyf.Dictionary) or _struct_type(element) != "/TH":
            continue
        row = _object(pdf, element["P"])
        group = _object(pdf, row["P"])
        cells = [_struct_type(_object(pdf, kid)) for kid in row["K"]]
        in_head = _struct_type(group) == "/THead"
        scope = "/Row" if not in_head and "/TD" in cells else "/Column"
        attributes = element.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope


_TO_UNICODE_START = b"/CIDInit /ProcSet findresource begin"
_LAYOUT_HYPHEN_CODE = LAYOUT_HYPHEN.encode("utf-16-be").hex().encode()
_SOFT_HYPHEN_CODE = SOFT_HYPHEN.encode("utf-16-be").hex().encode()


def soft_layout_hyphens(pdf: pydyf.PDF) -> None:
    """The hyphen WeasyPrint adds where it hyphenates a word is an incidental artifact of
    the layout: Tagged PDF represents it as a soft hyphen, U+00AD (ISO 32000-1 14.8.2.2.3),
    so copied, searched and read-aloud text has the whole word. The glyph stays the
    visible hyphen; only its Unicode mapping (ToUnicode) changes."""
    old = b" <" + _LAYOUT_HYPHEN_CODE + b">"
    new = b" <" + _SOFT_HYPHEN_CODE + b">"
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.stream[:1] == [_TO_UNICODE_START]:
            stream.stream[:] = [
                line[: -len(old)] + new if line.endswith(old) else line for line in stream.stream
            ]


class PdfRenderer:
    """Holds what is expensive to build once: the Jinja environment, fonts, parsed CSS."""

    def __init__(self, html_dir: Path):
        logging.getLogger("weasyprint").addFilter(_NO_TYPED_TEXT)  # once: filters are a set
        self.html_dir = html_dir.resolve()
        self.env = document_environment(
            FileSystemLoader(str(self.html_dir)), finalize=prepare_value
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
            stylesheets=[self.css],
            font_config=self.fonts,
            pdf_variant="pdf/ua-1",
            finisher=tagged_pdf_finisher,
        )

    def render_pdf(self, template_name: str, context: dict) -> bytes:
        return self.html_to_pdf(self.render_html(template_name, context))
