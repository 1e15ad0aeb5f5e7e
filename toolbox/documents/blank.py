"""The blank form of an instrument, to print and fill in by hand (workshop kits).

Built from the field declarations alone, so every instrument has one and every label is
on it: a line per short text, several for long text, boxes for choices, a table with
empty rows for repeating groups, signature lines where the instrument is signed.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.shared import Mm, Pt, RGBColor

from toolbox.instruments.base import Field, Instrument

BOX = "☐"
TABLE_ROWS = 4


def blank_item(f: Field) -> dict:
    item = {"label": f.label, "help": f.help, "required": f.required, "kind": "line"}
    if f.type == "textarea":
        item["kind"] = "lines"
    elif f.type in ("choice", "multichoice"):
        item.update(kind="boxes", choices=[label for _, label in f.choices])
    elif f.type == "boolean":
        item["kind"] = "check"
    elif f.type == "list":
        item.update(
            kind="table",
            columns=[s.label for s in f.fields],
            rows=max(f.min_entries, TABLE_ROWS),
        )
    elif f.type == "date":
        item["kind"] = "date"
    elif f.type == "time":
        item.update(kind="short", suffix="Uhr")
    elif f.type in ("integer", "decimal"):
        item.update(kind="short", suffix="€" if f.unit == "€" else "")
    return item


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
