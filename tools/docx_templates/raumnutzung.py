"""DOCX template of the Raumnutzungsvereinbarung; same content as its HTML template."""

from docx.shared import Pt

from tools.docx_builder import TemplateDoc
from tools.docx_templates.gruendungsprotokoll import facts_table


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Vereinbarung über die Nutzung eines Raums")
    t.title("{{ document_title }}")
    t.para("{{ raum }} · {{ gruppe }}").runs[0].font.size = Pt(11)
    t.para("zwischen")
    t.para(("{{ raumgeber }}", "b"), " (Raumgeber)")
    t.para(("{{ gruppe }}", "b"), " (Gruppe)")
    t.para(
        "Kontaktperson: {{ kontaktperson }}"
        "{% if kontakt and raw.kontakt_einwilligung %}, {{ kontakt }}{% endif %}"
    )

    t.heading("§ 1 Nutzungsberechtigung und Nutzungszeiten")
    t.para(
        "(1) Der Raumgeber überlässt der Gruppe den Raum ",
        ("{{ raum }}", "b"),
        " für ihre Gruppentreffen. Die Nutzung ist nur für Zwecke der Selbsthilfe gestattet. "
        "Eine gewerbliche Nutzung und die Überlassung an Dritte sind ausgeschlossen.",
    )
    t.para("(2) Die Gruppe nutzt den Raum zu folgenden Zeiten:")
    facts_table(
        t,
        [
            ("Wochentag", "{{ wochentag }}"),
            ("Uhrzeit", "{{ beginn }} bis {{ ende }}"),
            ("Turnus", "{{ turnus }}"),
            (
                "Gültigkeit",
                "ab {{ gueltig_ab }}{% if gueltig_bis %} bis {{ gueltig_bis }}"
                "{% else %}, unbefristet{% endif %}",
            ),
        ],
    )
    t.tag("{%p if ausstattung %}")
    t.para('(3) Zum Raum gehört: {{ ausstattung|join(", ") }}.')
    t.tag("{%p endif %}")
    t.para(
        "({{ 4 if ausstattung else 3 }}) Fällt ein Treffen aus oder braucht der Raumgeber den "
        "Raum ausnahmsweise selbst, sagen beide Seiten einander rechtzeitig Bescheid."
    )

    t.heading("§ 2 Schlüssel und Pfand")
    t.tag('{%p if fill_in or raw.schluessel == "ja" %}')
    t.para(
        "{{ schluessel }}{% if pfand %} Dafür hinterlegt sie ein Pfand von {{ pfand }}; es "
        "wird bei Rückgabe des Schlüssels erstattet.{% endif %}"
    )
    t.para(
        "Der Schlüssel wird nicht an Dritte weitergegeben. Ein Verlust wird dem Raumgeber "
        "sofort gemeldet."
    )
    t.tag("{%p elif schluessel %}")
    t.para("{{ schluessel }}")
    t.tag("{%p else %}")
    t.para(("Noch zu klären: ob die Gruppe einen Schlüssel erhält.", "r"))
    t.tag("{%p endif %}")

    t.heading("§ 3 Haftung und Schadensmeldung")
    t.para(
        "Die Gruppe behandelt Raum und Ausstattung pfleglich. Schäden meldet sie dem "
        "Raumgeber sofort. Die Gruppe haftet für Schäden, die bei ihren Treffen schuldhaft "
        "verursacht werden. Für mitgebrachte Gegenstände übernimmt der Raumgeber keine Haftung."
    )

    t.heading("§ 4 Hausordnung")
    t.tag("{%p if hausordnung %}")
    t.para("Die Gruppe erkennt die Hausordnung des Raumgebers an, insbesondere:")
    for rule in (
        "Im ganzen Haus gilt Rauchverbot.",
        "Die Nutzungszeit endet pünktlich; der Raum wird aufgeräumt verlassen.",
        "Schäden werden sofort gemeldet.",
        "Die Gruppe haftet für Schäden, die sie verursacht.",
    ):
        t.bullet(rule)
    t.tag("{%p else %}")
    t.para(("Noch zu klären: Die Gruppe hat die Hausordnung noch nicht anerkannt.", "r"))
    t.tag("{%p endif %}")

    t.heading("§ 5 Entgelt")
    t.para(
        '{% if raw.entgelt == "kostenfrei" %}Die Nutzung ist für die Gruppe {{ entgelt }}.'
        "{% else %}Das Entgelt beträgt {{ betrag }} {{ entgelt }}.{% endif %}"
    )

    p = t.para("{{ ort }}, den {{ datum }}")
    p.paragraph_format.space_before = Pt(18)
    for party, name in (
        ("Für den Raumgeber", "{{ raumgeber }}"),
        ("Für die Gruppe", "{{ gruppe }}, {{ kontaktperson }}"),
    ):
        t.para("").paragraph_format.space_before = Pt(24)
        t.para("_" * 45).paragraph_format.space_after = Pt(0)
        t.para((party, "b")).paragraph_format.space_after = Pt(0)
        t.para(name)
    return t
