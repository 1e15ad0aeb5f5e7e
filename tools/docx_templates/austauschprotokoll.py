"""DOCX template of the Protokoll des Austauschtreffens; same content as its HTML template."""

from docx.shared import Mm, Pt

from tools.docx_builder import TemplateDoc
from tools.docx_templates.gruendungsprotokoll import facts_table, shade

# Columns of the action plan with widths in mm (text width 168 mm), as in the HTML template.
PLAN_COLUMNS = (
    ("Ziel", "{{ m.ziel }}", 47),
    ("Maßnahme", "{{ m.massnahme }}", 47),
    ("verantwortlich", "{{ m.verantwortlich }}", 28),
    ("bis", "{{ m.bis }}", 27),
    ("Status", '{{ m.status or "geplant" }}', 19),
)


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Austauschtreffen / Qualitätszirkel · Protokoll")
    t.title("{{ document_title }}")
    t.para("{{ datum }}{% if ort %} · {{ ort }}{% endif %}").runs[0].font.size = Pt(11)
    facts_table(
        t,
        [
            ("Datum", "{{ datum }}"),
            ("Ort", "{{ ort }}"),
            ("Moderation", "{{ moderation }}"),
            ("Protokoll", "{{ protokoll }}"),
        ],
    )

    t.heading("1. Teilnehmende")
    t.table(
        ["Organisation", "Funktion"],
        ["{{ p.organisation }}", "{{ p.funktion }}"],
        "for p in teilnehmende",
    )

    t.heading("2. Tagesordnung")
    t.tag("{%p for top in tagesordnung %}")
    t.para("{{ loop.index }}. {{ top.thema }}").paragraph_format.left_indent = Mm(4)
    t.tag("{%p endfor %}")
    t.tag("{%p for top in tagesordnung %}")
    t.tag("{%p if top.ergebnis %}")
    t.heading("TOP {{ loop.index }} {{ top.thema }}", level=2)
    t.para("{{ top.ergebnis }}")
    t.tag("{%p endif %}")
    t.tag("{%p endfor %}")

    t.heading("3. Maßnahmenplan")
    t.tag("{%p if massnahmen %}")
    t.para("Die Bereiche sind die Leistungen aus der Kooperationsvereinbarung.")
    action_plan(t)
    t.tag("{%p else %}")
    t.para("Bei diesem Treffen wurden keine Maßnahmen vereinbart.")
    t.tag("{%p endif %}")

    t.heading("4. Nächstes Treffen")
    t.para(
        "{% if naechstes_treffen %}Das nächste Austauschtreffen findet am "
        "{{ naechstes_treffen }} statt.{% else %}Der Termin für das nächste Austauschtreffen "
        "steht noch nicht fest.{% endif %}"
    )
    return t


def action_plan(t: TemplateDoc):
    """Per action two rows: its area across the full width, then the details; both rows
    repeat together in one `{%tr for %}` loop."""
    table = t.doc.add_table(rows=5, cols=len(PLAN_COLUMNS))
    table.style = "Table Grid"
    header, loop_start, area, details, loop_end = table.rows
    for i, (label, value, width) in enumerate(PLAN_COLUMNS):
        for row in table.rows:
            row.cells[i].width = Mm(width)
        _cell(header.cells[i], label, bold=True)
        shade(header.cells[i], "E8EEF5")
        _cell(details.cells[i], value)
    loop_start.cells[0].text = "{%tr for m in massnahmen %}"
    merged = area.cells[0].merge(area.cells[-1])
    _cell(merged, "{{ loop.index }} · Bereich: {{ m.bereich }}")
    shade(merged, "F3F6FA")
    loop_end.cells[0].text = "{%tr endfor %}"
    return table


def _cell(cell, text: str, bold: bool = False) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold
    run.font.size = Pt(9)
