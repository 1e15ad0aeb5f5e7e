"""DOCX template of the Gesprächsnotiz with its draft Ausschreibungstext; same content as
its HTML template."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tools.docx_builder import TemplateDoc


def facts_table(t: TemplateDoc, rows: list[tuple[str, str]]):
    """A two-column table of fixed rows: label on the left, template value on the right."""
    table = t.doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows, strict=True):
        head, cell = row.cells
        head.width, cell.width = Mm(60), Mm(108)
        head.text = ""
        head.paragraphs[0].add_run(label).bold = True
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "E8EEF5")
        head._tc.get_or_add_tcPr().append(shading)
        cell.text = value
    return table


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Erstgespräch zur Gruppengründung")
    t.title("{{ document_title }}")
    t.para("Gruppenidee: {{ short_name }}")
    t.para(
        "Gesprächsnotiz der Kontaktstelle. Name und Kontaktdaten der gründenden Person werden "
        "hier bewusst nicht festgehalten.",
        small=True,
    )

    t.heading("1. Thema der Gruppe und was erreicht werden soll")
    t.para("{{ thema }}")

    t.heading("2. Stichworte für den Ausschreibungstext")
    t.para("{{ stichworte }}")

    t.heading("3. Gewünschte Unterstützung durch die Kontaktstelle")
    t.tag("{%p if unterstuetzung %}")
    t.tag("{%p for item in unterstuetzung %}")
    t.bullet("{{ item }}")
    t.tag("{%p endfor %}")
    t.tag("{%p else %}")
    t.para("Keine Angabe.", italic=True)
    t.tag("{%p endif %}")

    t.heading("4. Zusammensetzung und Treffen")
    facts_table(
        t,
        [
            ("Zusammensetzung", "{{ zusammensetzung }}"),
            ("Weitere Kriterien (Alter, Geschlecht)", "{{ kriterien }}"),
            ("Treffpunkt", "{{ treffpunkt }}"),
            ("Häufigkeit", "{{ haeufigkeit }}"),
            ("Wochentag", "{{ wochentag }}"),
            ("Uhrzeit", "{{ uhrzeit }}"),
        ],
    )

    t.heading("5. Motivation und Belastbarkeit der gründenden Person")
    t.para(
        "{% if einschaetzung %}{{ einschaetzung }}{% else %}Keine Einschätzung festgehalten."
        "{% endif %}"
    )

    t.heading("6. Nächster Schritt")
    t.para(
        "{% if naechster_schritt or termin %}{% if naechster_schritt %}{{ naechster_schritt }}"
        "{% else %}Nächster Termin{% endif %}{% if termin %}, am {{ termin }}{% endif %}"
        "{% else %}Noch nicht vereinbart.{% endif %}"
    )

    heading = t.heading("Entwurf: Ausschreibungstext")
    heading.paragraph_format.page_break_before = True
    t.para(
        "Aus den Angaben des Erstgesprächs zusammengestellt. Bitte vor der Veröffentlichung mit "
        "der gründenden Person abstimmen und die Kontaktdaten der Kontaktstelle ergänzen.",
        small=True,
    )
    headline = t.para(("Neue Selbsthilfegruppe sucht Mitglieder", "b"))
    headline.runs[0].font.size = Pt(15)
    headline.paragraph_format.space_before = Pt(10)
    t.heading("Worum es geht", level=2)
    t.para("{{ thema }}")
    t.tag("{%p if stichworte_liste %}")
    t.heading("Was Sie erwartet", level=2)
    t.tag("{%p for item in stichworte_liste %}")
    t.bullet("{{ item }}")
    t.tag("{%p endfor %}")
    t.tag("{%p endif %}")
    t.tag("{%p if zusammensetzung_ausschreibung %}")
    t.heading("Für wen", level=2)
    t.para("{{ zusammensetzung_ausschreibung }}")
    t.tag("{%p endif %}")
    t.heading("Wann und wo", level=2)
    t.para(
        "{% if haeufigkeit_ausschreibung or treffpunkt %}{{ haeufigkeit_ausschreibung }}"
        "{% if haeufigkeit_ausschreibung and treffpunkt %}\n{% endif %}{{ treffpunkt }}"
        "{% else %}Ort und Zeit werden beim ersten Treffen gemeinsam festgelegt.{% endif %}"
    )
    t.heading("Kontakt und Anmeldung", level=2)
    t.para("Über die Selbsthilfekontaktstelle: [Kontaktdaten der Kontaktstelle ergänzen]")
    return t
