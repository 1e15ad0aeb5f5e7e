"""DOCX template of the Planungsblatt for a group founding; same content as its HTML
template."""

from tools.docx_builder import TemplateDoc
from tools.docx_templates.erstgespraech import facts_table


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Planungsbogen Gruppengründung unter dem Dach einer Einrichtung")
    t.title("{{ document_title }}")
    t.para("Gruppe „{{ arbeitstitel }}“ · Gründungstreffen am {{ gruendungstreffen }}")

    t.heading("1. Die Gruppe")
    facts_table(
        t,
        [
            ("Arbeitstitel", "{{ arbeitstitel }}"),
            ("Zielgruppe, Teilnahmevoraussetzungen", "{{ zielgruppe }}"),
            ("Offene oder geschlossene Gruppe", "{{ gruppenform }}"),
        ],
    )

    t.heading("2. Verantwortung und Begleitung")
    facts_table(
        t,
        [
            ("Verantwortliche Fachkraft der Einrichtung", "{{ fachkraft }}"),
            ("Begleitung durch die Kontaktstelle", "{{ begleitung }}"),
        ],
    )

    t.heading("3. Treffen")
    facts_table(
        t,
        [
            ("Raum", "{{ raum }}"),
            ("Wochentag und Uhrzeit", "{{ wochentag }}, {{ uhrzeit }}"),
            ("Turnus", "{{ turnus }}"),
            (
                "Barrierefreiheit, Kinderbetreuung",
                '{% if rahmen %}{{ rahmen|join(", ") }}{% else %}nicht vorgesehen{% endif %}',
            ),
        ],
    )

    t.heading("4. Werbewege")
    t.tag("{%p for item in werbewege %}")
    t.bullet("{{ item }}")
    t.tag("{%p endfor %}")

    t.heading("5. Zeitplan")
    t.para(
        "Die Anleitungsphase ist bewusst begrenzt: Danach trägt die Gruppe sich selbst, die "
        "Einrichtung und die Kontaktstelle stehen bei Bedarf weiter zur Verfügung.",
        small=True,
    )

    facts_table(
        t,
        [
            ("Gründungstreffen", "{{ gruendungstreffen }}, {{ uhrzeit }}"),
            (
                "Anleitungsphase",
                "{{ anleitung_sitzungen }} begleitete Sitzung"
                "{% if raw.anleitung_sitzungen != 1 %}en{% endif %}",
            ),
            ("Übergabe in die Selbstorganisation", "ab {{ uebergabe }}"),
        ],
    )

    t.heading("6. Meilensteine")
    t.tag("{%p if meilensteine %}")
    t.table(
        ["Schritt", "bis wann", "wer"],
        ["{{ m.schritt }}", "{{ m.bis }}", "{{ m.wer }}"],
        "for m in meilensteine",
    )
    t.tag("{%p else %}")
    t.para("Keine Meilensteine eingetragen.", italic=True)
    t.tag("{%p endif %}")

    t.heading("7. Kosten und Förderung")
    t.tag("{%p if kosten %}")
    t.para("Finanzierung: {{ kosten }}")
    t.tag("{%p endif %}")
    t.tag("{%p if kosten_text %}")
    t.para("{{ kosten_text }}")
    t.tag("{%p endif %}")
    t.tag("{%p if not kosten and not kosten_text %}")
    t.para("Noch offen.", italic=True)
    t.tag("{%p endif %}")
    return t
