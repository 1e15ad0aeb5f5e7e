"""DOCX template of the Jahresplanung; same content as its HTML template."""

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tools.docx_builder import BLUE, GREY, TemplateDoc

COLUMNS = (
    ("Datum", "{{ t.wochentag }} {{ t.datum }}{% if t.zeit %}, {{ t.zeit }}{% endif %}", Mm(39)),
    ("Art", "{{ t.art }}", Mm(39)),
    ("Ort", "{{ t.ort }}", Mm(38)),
    ("verantwortlich", "{{ t.verantwortlich }}", Mm(30)),
    ("Status", "{{ t.status }}", Mm(22)),
)


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Planungsblatt der Kooperation")
    t.title("{{ document_title }}")
    t.para(("{{ kooperation }}", "b"), " · Jahr ", ("{{ jahr }}", "b"))

    t.heading("1. Termine im Jahr {{ jahr }}")
    t.para(
        "{{ termine_anzahl }} {{ 'gemeinsamer Termin' if termine_anzahl == 1 else "
        "'gemeinsame Termine' }}, nach Monaten geordnet."
    )
    _plan_table(t)

    t.heading("2. Hinweise")
    t.para(
        "Alle Termine stehen auch in der Kalenderdatei (.ics) zu dieser Jahresplanung; sie "
        "lässt sich in Outlook, Thunderbird oder den Kalender des Smartphones übernehmen."
    )
    t.para(
        "Ändert sich ein Termin, informiert die verantwortliche Stelle alle "
        "Kooperationspartner*innen."
    )
    return t


def _plan_table(t: TemplateDoc) -> None:
    """One table: a shaded row for each of the twelve months, its dates below it
    (nested docxtpl row loops)."""
    table = t.doc.add_table(rows=7, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, month = table.rows[0], table.rows[2]
    for cell, (label, _, _) in zip(header.cells, COLUMNS, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(label).bold = True
        _shade(cell, "E8EEF5")
    _repeat_header(header)
    for row in table.rows:
        for cell, (_, _, width) in zip(row.cells, COLUMNS, strict=True):
            cell.width = width
    table.rows[1].cells[0].text = "{%tr for m in termine_nach_monat %}"
    merged = month.cells[0].merge(month.cells[-1])
    merged.text = ""
    month_name = merged.paragraphs[0].add_run("{{ m.monat }}")
    month_name.bold = True
    month_name.font.color.rgb = BLUE
    empty = merged.paragraphs[0].add_run("{% if not m.termine %} – keine Termine{% endif %}")
    empty.font.color.rgb = GREY
    _shade(merged, "E8EEF5")
    table.rows[3].cells[0].text = "{%tr for t in m.termine %}"
    for cell, (_, value, _) in zip(table.rows[4].cells, COLUMNS, strict=True):
        cell.text = value
    table.rows[5].cells[0].text = "{%tr endfor %}"
    table.rows[6].cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        for p in (p for c in row.cells for p in c.paragraphs):
            p.paragraph_format.space_after = Pt(1)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)
