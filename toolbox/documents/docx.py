"""DOCX from a Word template (docxtpl): the editable version of a document."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docxtpl import DocxTemplate
from markupsafe import Markup, escape

from toolbox.documents.consent import ConsentRecord
from toolbox.documents.templating import document_environment

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@lru_cache(maxsize=64)
def _template_bytes(path: Path, mtime: float) -> bytes:
    return path.read_bytes()


def keep_docxtpl_escapes(value):
    """docxtpl turns "{_{", "}_}", "{_%" and "%_}" anywhere in its output into Jinja
    delimiters, typed text included. An underscore written as a character reference
    is the same character to Word and does not match."""
    if isinstance(value, str) and not isinstance(value, Markup) and "_" in value:
        return Markup(str(escape(value)).replace("_", "&#95;"))  # noqa: S704 - escaped here
    return value


def render_docx(template: Path, context: dict, title: str) -> bytes:
    """Render `template` with `context` (already sanitised plain values)."""
    source = _template_bytes(template, template.stat().st_mtime)
    doc = DocxTemplate(io.BytesIO(source))
    # Not strict: the template checker (`toolbox check-templates`) is what guarantees that
    # a DOCX template uses only known variables.
    env = document_environment(strict=False, finalize=keep_docxtpl_escapes)
    doc.render(context, jinja_env=env, autoescape=True)
    props = doc.docx.core_properties
    props.title = title[:255]  # Word's limit; the title holds a short name of any length
    props.language = "de-DE"
    props.author = "toolbox"
    props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


CONSENT_COLUMNS = (
    "Partei/Organisation",
    "Name",
    "Funktion",
    "Datum und Uhrzeit",
    "Art der Zustimmung",
)
CONSENT_NOTE = (
    "Datum und Uhrzeit in deutscher Zeit (Europe/Berlin). Die Prüfsumme ist der "
    "SHA-256-Wert des vereinbarten Inhalts: Instrument, Versionsnummer und alle Angaben "
    "dieser Fassung als JSON (Schlüssel sortiert, ohne Leerzeichen, UTF-8). Wer die Angaben "
    "dieser Fassung hat, kann sie nachrechnen; jede Änderung ergibt einen anderen Wert. "
    "Eine Zustimmung über den persönlichen Link ist eine einfache elektronische Signatur; "
    "eine Unterschrift auf Papier bleibt daneben möglich."
)
CONSENT_WIDTHS_MM = (36, 28, 30, 28, 44)  # 166 mm: the text width of the A4 templates
FACTS_WIDTHS_MM = (60, 106)
GREY = RGBColor(0x44, 0x44, 0x44)


def append_consent_proof(content: bytes, record: ConsentRecord, fassung: str) -> bytes:
    """The rendered DOCX with the section "Zustimmungsnachweis" on a page of its own at the
    end (as the PDF's last page) and `fassung` ("Endfassung, Version n") in the footer.
    `record` as `ConsentRecord.cleaned()` returns it (the renderer passes it so)."""
    document = docx.Document(io.BytesIO(content))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Zustimmungsnachweis", style="Heading 1")
    document.add_paragraph(
        "Alle Parteien haben der folgenden Fassung dieser Vereinbarung zugestimmt."
    )
    facts = document.add_table(rows=2, cols=2)
    facts.style = "Table Grid"
    facts.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(facts, FACTS_WIDTHS_MM)
    _fact(facts.rows[0], "Fassung", f"Endfassung, Version {record.version}")
    _fact(facts.rows[1], "Prüfsumme (SHA-256) des vereinbarten Inhalts", "")
    hash_paragraph = facts.rows[1].cells[1].paragraphs[0]
    for index, line in enumerate(record.sha256_lines()):
        run = hash_paragraph.add_run(line)
        run.font.name = "Liberation Mono"
        run.font.size = Pt(9)
        if index < len(record.sha256_lines()) - 1:
            run.add_break()
    document.add_paragraph()
    table = document.add_table(rows=1, cols=len(CONSENT_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, CONSENT_COLUMNS, strict=True):
        _header_cell(cell, text).font.size = Pt(9)
    _repeat_header(table.rows[0])
    for consent in record.consents:
        row = table.add_row()
        values = (consent.party, consent.name, consent.function, consent.local_time, consent.method)
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(9)
    _widths(table, CONSENT_WIDTHS_MM)
    note = document.add_paragraph()
    note.paragraph_format.space_before = Pt(6)
    run = note.add_run(CONSENT_NOTE)
    run.font.size = Pt(8.5)
    run.font.color.rgb = GREY
    for section in document.sections:
        _footer_note(section.footer, fassung)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _widths(table, widths_mm) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid (LibreOffice) and each cell (Word)
        for cell in column.cells:
            cell.width = Mm(width)


def _fact(row, label: str, value: str) -> None:
    _header_cell(row.cells[0], label)
    row.cells[1].text = value


def _header_cell(cell, text: str):
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = True
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "E8EEF5")
    cell._tc.get_or_add_tcPr().append(shading)
    return run


def _repeat_header(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _footer_note(footer, fassung: str) -> None:
    """Append " · <fassung>" to the footer's "Erstellt am …" text (a new line without)."""
    for text in footer._element.iter(qn("w:t")):
        if text.text and text.text.startswith("Erstellt am"):
            text.text = f"{text.text} · {fassung}"
            return
    paragraph = footer.add_paragraph()
    run = paragraph.add_run(fassung)
    run.font.size = Pt(8)
