"""DOCX template of the Bewertungsbericht (reflexion); same content as its HTML template."""

from docx.shared import Mm, Pt

from tools.docx_builder import TemplateDoc


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Gemeinsame Reflexion und Bewertung der Kooperation")
    t.title("{{ document_title }}")
    t.para(
        "Berichtszeitraum: {% if zeitraum_von %}{{ zeitraum_von }} bis {% else %}bis "
        "{% endif %}{{ zeitraum_bis }}"
    ).runs[0].font.size = Pt(11)

    t.heading("1. Beteiligte")
    t.para("Die Reflexion haben gemeinsam geführt:")
    t.tag("{%p for b in beteiligte %}")
    t.bullet("{{ b.name }}")
    t.tag("{%p endfor %}")

    t.heading("2. Ergebnis auf einen Blick")
    t.para(("{{ ziele_bewertung.satz }}", "b"))
    ratings = t.table(
        ["Zielerreichung", "Anzahl Ziele"],
        ["{{ s.stufe }}", "{{ s.anzahl }}"],
        "for s in ziele_bewertung.stufen",
    )
    _widths(ratings, (Mm(60), Mm(30)))
    goals = t.table(
        ["Nr.", "Ziel", "Zielerreichung"],
        ["{{ loop.index }}", "{{ z.ziel }}", "{{ z.zielerreichung }}"],
        "for z in ziele",
    )
    _widths(goals, (Mm(12), Mm(110), Mm(46)))

    t.heading("3. Die Ziele im Einzelnen")
    t.tag("{%p for z in ziele %}")
    t.heading("Ziel {{ loop.index }}: {{ z.ziel }}", level=2)
    _goal_table(t)
    t.tag("{%p endfor %}")

    t.heading("4. Gesamteinschätzung")
    t.para(
        "{% if gesamteinschaetzung %}{{ gesamteinschaetzung }}"
        "{% else %}Keine Gesamteinschätzung festgehalten.{% endif %}"
    )

    t.heading("5. Anpassung der Kooperationsvereinbarung")
    t.tag("{%p if anpassung %}")
    t.para("Muss die Kooperationsvereinbarung angepasst werden? ", ("{{ anpassung }}", "b"))
    t.tag('{%p if raw.anpassung == "nein" %}')
    t.para("Die Kooperationsvereinbarung gilt unverändert weiter.")
    t.tag("{%p endif %}")
    t.tag("{%p else %}")
    t.para(
        ("Noch zu klären: Ob die Kooperationsvereinbarung angepasst werden muss, ist offen.", "r")
    )
    t.tag("{%p endif %}")
    t.tag("{%p if anpassung_welche %}")
    t.heading("Nötige Anpassungen", level=2)
    t.para("{{ anpassung_welche }}")
    t.tag("{%p endif %}")

    t.heading("Unterschriften")
    t.para(
        "Die Beteiligten haben die Zusammenarbeit gemeinsam reflektiert und tragen diesen "
        "Bericht mit."
    )
    t.signature_lines("for b in beteiligte", "{{ b.name }}", "Datum: {{ b.datum }}")
    return t


def _goal_table(t: TemplateDoc) -> None:
    """Label | value rows for one goal; the optional rows disappear when empty."""
    rows = [
        ("Zielerreichung", "{{ z.zielerreichung }}", None),
        ("Was wurde umgesetzt?", "{{ z.umsetzung }}", "z.umsetzung"),
        ("Begründung", "{{ z.begruendung }}", "z.begruendung"),
        ("Verbesserung", "{{ z.verbesserung }}", "z.verbesserung"),
    ]
    cells = []
    for label, value, condition in rows:
        if condition:
            cells.append(("{%tr if " + condition + " %}", ""))
            cells.append((label, value))
            cells.append(("{%tr endif %}", ""))
        else:
            cells.append((label, value))
    table = t.doc.add_table(rows=len(cells), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, cells, strict=True):
        row.cells[0].text = label
        row.cells[1].text = value
        if value:
            row.cells[0].paragraphs[0].runs[0].bold = True
    _widths(table, (Mm(45), Mm(123)))
    table.rows[0].cells[1].paragraphs[0].runs[0].bold = True


def _widths(table, widths) -> None:
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
