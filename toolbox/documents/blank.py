"""The blank form of an instrument, to print and fill in by hand (workshop kits).

Two kinds:

* Instruments whose document is a text with clauses (`Instrument.blank_document`: the
  agreements people sign on paper) print that very document, from the same DOCX and HTML
  templates, with a line to fill in wherever a value goes (`fill_in_context`).
* Every other instrument prints a questionnaire built from the field declarations alone,
  so every label is on it: a line per short text, several for long text, boxes for
  choices, a table with a page of empty rows for repeating groups, signature lines where
  the instrument is signed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

from docx import Document as new_docx
from docx.shared import Mm, Pt, RGBColor
from markupsafe import Markup, escape

from toolbox.instruments.base import Field, Instrument
from toolbox.instruments.values import display_context

BOX = "☐"
# Rows of a repeating group inside a blank document (parties, contact persons): the
# usual three sides of a cooperation, or the group's minimum if that is more.
DOCUMENT_ROWS = 3
LINE = "_" * 28
LONG_LINE = "_" * 60
TEXT_LINES = 3

# Files every blank form is made from (relative to the templates directory); the
# instrument's own templates are added for blank documents. With this module and the
# instrument's declaration they make the cache key of its blank renders.
BLANK_SOURCES = (
    Path("html/_blank.html"),
    Path("html/base.html"),
    Path("html/assets/document.css"),
)
BLANK_CODE = (Path(__file__), Path(__file__).parent.parent / "instruments" / "values.py")


class FillIn(str):
    """A line to fill in by hand. As text (DOCX, derived values) it is underscores; in
    HTML (PDF) an empty ruled line. Unlike the preview's `Blank` it is truthy, so every
    optional clause of the template is printed, with its line."""

    def __new__(cls, text: str = LINE, css: str = "fill-in") -> FillIn:
        obj = super().__new__(cls, text)
        obj.css = css
        return obj

    def __bool__(self) -> bool:
        return True

    def __html__(self) -> str:
        if self.css == "fill-in-lines":
            line = '<span class="fill-in-line"></span>'
            return Markup(f'<span class="fill-in-lines">{line * TEXT_LINES}</span>')  # noqa: S704
        return Markup(f'<span class="{self.css}"></span>')  # noqa: S704 - constant markup


def boxes(f: Field) -> str:
    return "  ".join(f"{BOX} {label}" for _, label in f.choices)


def fill_in_value(f: Field):
    """What a blank document prints for one field: lines, boxes to tick, clauses on."""
    layout = f.kind.fill_in
    if layout == "rows":
        rows = max(f.min_entries, DOCUMENT_ROWS)
        return [{s.name: fill_in_value(s) for s in f.fields} for _ in range(rows)]
    if layout == "box_items":
        return [f"{BOX} {label}" for _, label in f.choices]
    if layout == "boxes":
        return Markup(escape(boxes(f)))  # noqa: S704 - escaped here
    if layout == "clause":
        return True  # the clause as drafted; who disagrees crosses it out
    if layout == "lines":
        return FillIn("\n".join([LONG_LINE] * TEXT_LINES), "fill-in-lines")
    if layout == "date":
        return FillIn("____.____.________", "fill-in fill-in-short")
    if layout == "short":
        return FillIn("________", "fill-in fill-in-short")
    if layout == "amount":
        return FillIn("________ €" if f.unit == "€" else "________", "fill-in fill-in-short")
    return FillIn()


def fill_in_context(instrument: Instrument, generated: dt.date) -> dict:
    """The document's own context with a line (or boxes) for every value. `fill_in` tells
    a template it prints the paper version (for the few wordings that depend on a choice)."""
    payload = {f.name: None for f in instrument.fields}
    ctx = display_context(instrument, payload, generated)
    ctx.update({f.name: fill_in_value(f) for f in instrument.fields})
    if instrument.extend_context is not None:
        ctx.update(instrument.extend_context(ctx, payload))
    ctx["short_name"] = "Vorlage zum Ausfüllen"
    ctx["fill_in"] = True
    return ctx


def as_text(value):
    """The context for the DOCX: every line as its underscores (Word has no ruled spans)."""
    if isinstance(value, FillIn):
        return str(value)
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value


def blank_cache_key(instrument: Instrument, templates_dir: Path) -> str:
    """Checksum of everything a blank form is made from: when none of it changed, the
    cached render is the same document."""
    sources = list(BLANK_SOURCES)
    if instrument.blank_document:
        sources += [Path(f"html/{instrument.slug}.html"), Path(f"docx/{instrument.slug}.docx")]
    digest = hashlib.sha256()
    for relative in sources:
        digest.update((templates_dir / relative).read_bytes())
    for code in BLANK_CODE:
        digest.update(code.read_bytes())
    digest.update(
        repr(
            (
                instrument.slug,
                instrument.title,
                instrument.description,
                instrument.document_title,
                instrument.signed,
                instrument.blank_document,
                instrument.fields,
            )
        ).encode()
    )
    return digest.hexdigest()


def blank_item(f: Field) -> dict:
    item = {"label": f.label, "help": f.help, "required": f.required, "kind": "line"}
    return f.kind.blank_item(f, item)


def blank_context(instrument: Instrument, generated: str) -> dict:
    return {
        "document_title": instrument.document_title,
        "short_name": "Vorlage zum Ausfüllen",
        "description": instrument.description,
        "generated": generated,
        "ersetzt": "",
        "items": [blank_item(f) for f in instrument.fields],
        "signed": instrument.signed,
    }


def render_blank_docx(ctx: dict) -> bytes:
    """The same sheet as `_blank.html`, written directly with python-docx."""
    doc = new_docx()
    styles = doc.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(10.5)
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.text = f"Vorlage, erstellt am {ctx['generated']}"
    footer.runs[0].font.size = Pt(8)

    doc.add_heading(ctx["document_title"], level=0)
    doc.add_paragraph(ctx["description"])
    doc.add_paragraph("Bitte gut lesbar ausfüllen. Felder mit * sind Pflichtangaben.").italic = True
    for item in ctx["items"]:
        label = doc.add_paragraph()
        label.paragraph_format.space_before = Pt(8)
        label.paragraph_format.keep_with_next = True
        run = label.add_run(item["label"] + (" *" if item["required"] else ""))
        run.bold = True
        if item["help"]:
            hint = label.add_run("\n" + item["help"])
            hint.font.size = Pt(8.5)
            hint.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        kind = item["kind"]
        if kind == "boxes":
            doc.add_paragraph("    ".join(f"{BOX} {c}" for c in item["choices"]))
        elif kind == "check":
            label.runs[0].text = f"{BOX} " + label.runs[0].text
        elif kind == "table":
            table = doc.add_table(rows=item["rows"] + 1, cols=len(item["columns"]))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, item["columns"], strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in table.rows[1:]:
                row.height = Mm(10)
        elif kind == "lines":
            for _ in range(4):
                doc.add_paragraph("_" * 80)
        elif kind == "date":
            doc.add_paragraph("____.____.________")
        elif kind == "short":
            doc.add_paragraph("_" * 20 + (f" {item['suffix']}" if item.get("suffix") else ""))
        else:
            doc.add_paragraph("_" * 80)
    if ctx["signed"]:
        doc.add_paragraph().paragraph_format.space_before = Pt(18)
        doc.add_paragraph("Ort, Datum: " + "_" * 40)
        for _ in range(3):
            doc.add_paragraph().paragraph_format.space_before = Pt(18)
            doc.add_paragraph("_" * 45 + "\nUnterschrift, Name und Funktion")
    props = doc.core_properties
    props.title = f"{ctx['document_title']} – {ctx['short_name']}"
    props.language = "de-DE"
    props.author = "toolbox"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
