"""DOCX template of the Protokoll des Gründungstreffens; same content as its HTML template."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tools.docx_builder import BLUE, TemplateDoc

OPEN = "{% else %}noch offen{% endif %}"
MINDEST = (
    "{{ anzahl_teilnehmende_mindestzahl }} Mitgliedern für die Förderung neuer Gruppen "
    "durch die Krankenkassen"
)
GREEN = RGBColor(0x1E, 0x6B, 0x32)
RED = RGBColor(0x9C, 0x2A, 0x00)


def facts_table(t: TemplateDoc, rows: list[tuple[str, str]]):
    """A two-column table of fixed labels and values (no row loop), e.g. date and place."""
    table = t.doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].width, row.cells[1].width = Mm(60), Mm(108)
        row.cells[0].text = ""
        row.cells[0].paragraphs[0].add_run(label).bold = True
        shade(row.cells[0], "E8EEF5")
        row.cells[1].text = value
    t.para("")
    return table


def highlight_box(t: TemplateDoc):
    """A one-cell shaded, framed table that makes its content stand out (head count)."""
    table = t.doc.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.rows[0].cells[0]
    shade(cell, "F3F6FA")
    return cell


def _bold(cell, text: str, color: RGBColor) -> None:
    run = cell.add_paragraph().add_run(text)
    run.bold = True
    run.font.color.rgb = color


def shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Protokoll · Gruppengründung")
    t.title("{{ document_title }}")
    t.para("{% if gruppe %}{{ gruppe }} · {% endif %}{{ datum }}").runs[0].font.size = Pt(11)
    facts_table(
        t,
        [
            ("Datum des Gründungstreffens", "{{ datum }}"),
            ("Ort", "{{ ort }}"),
            ("Moderation und Rollen", "{{ moderation }}"),
        ],
    )

    cell = highlight_box(t)
    p = cell.paragraphs[0]
    number = p.add_run("{{ anzahl_teilnehmende }}")
    number.bold = True
    number.font.size = Pt(26)
    number.font.color.rgb = BLUE
    label = p.add_run("  Teilnehmende am Gründungstreffen")
    label.bold = True
    label.font.size = Pt(11)
    cell.add_paragraph("{%p if anzahl_teilnehmende_erreicht %}")
    _bold(cell, "Die Mindestzahl von " + MINDEST + " ist erreicht.", GREEN)
    cell.add_paragraph("{%p else %}")
    _bold(
        cell,
        "Die Mindestzahl von " + MINDEST + " ist noch nicht erreicht "
        "(es fehlen {{ anzahl_teilnehmende_fehlen }}).",
        RED,
    )
    cell.add_paragraph("{%p endif %}")
    note = cell.add_paragraph().add_run(
        "Das Protokoll nennt nur die Zahl der Teilnehmenden, keine Namen."
    )
    note.font.size = Pt(9)
    t.para("")

    t.heading("1. Gemeinsames Anliegen und Ziele")
    t.para("{% if anliegen %}{{ anliegen }}{% else %}Noch nicht festgehalten.{% endif %}")

    t.heading("2. Vereinbarungen zu den Treffen")
    facts_table(
        t,
        [
            ("Turnus", "{% if turnus %}{{ turnus }}" + OPEN),
            ("Uhrzeit", "{% if uhrzeit %}{{ uhrzeit }}" + OPEN),
            ("Raum", "{% if raum %}{{ raum }}" + OPEN),
            ("Kontaktperson der Gruppe", "{% if kontaktperson %}{{ kontaktperson }}" + OPEN),
            ("Offene oder geschlossene Gruppe", "{% if gruppenform %}{{ gruppenform }}" + OPEN),
        ],
    )

    t.heading("3. Gruppenregeln")
    t.tag("{%p if gruppenregeln or gruppenregeln_text_liste %}")
    t.para("Die Teilnehmenden haben folgende Regeln für ihre Treffen vereinbart:")
    t.tag("{%p for regel in gruppenregeln %}")
    t.bullet("{{ regel }}")
    t.tag("{%p endfor %}")
    t.tag("{%p for regel in gruppenregeln_text_liste %}")
    t.bullet("{{ regel }}")
    t.tag("{%p endfor %}")
    t.tag("{%p else %}")
    t.para("Noch keine Gruppenregeln vereinbart.")
    t.tag("{%p endif %}")

    t.heading("4. Nächster Termin")
    t.para(
        "Die Gruppe trifft sich das nächste Mal am ",
        ("{{ naechster_termin }}", "b"),
        "{% if uhrzeit %} um {{ uhrzeit }}{% endif %}.",
    )
    return t
