"""DOCX template of the Beratungsvereinbarung; same content as its HTML template."""

from docx.shared import Pt

from tools.docx_builder import TemplateDoc

CONDITIONS = (
    (
        "raum",
        "Die Einrichtung stellt einer Selbsthilfegruppe einen angemessenen Raum zu festgelegten "
        "Zeiten zur Verfügung.",
    ),
    (
        "arbeitszeit",
        "Die Gründung und die Anfangsbegleitung der Gruppe gelten als Arbeitszeit der "
        "Mitarbeitenden.",
    ),
    (
        "autonomie",
        "Die Bereitschaft der Betroffenen, in einer Selbsthilfegruppe mitzuarbeiten, ist "
        "gemeinsam mit ihnen geklärt. Ihre Autonomie und ihre Fähigkeit, die eigenen Anliegen "
        "in die Hand zu nehmen, werden anerkannt.",
    ),
    (
        "rolle",
        "Die Einrichtung nimmt die neue Rolle und Funktion der Mitarbeitenden der Kontaktstelle "
        "an und grenzt sie von deren sonstigen Aufgaben ab.",
    ),
)


def _condition(t: TemplateDoc, number: int, name: str, text: str) -> None:
    t.para((f"{number}. ", "b"), text).paragraph_format.space_after = Pt(1)
    # The room condition also says which room and when, confirmed or only planned.
    confirmed = "Bestätigt{% if raum_details %}: {{ raum_details }}{% endif %}"
    planned = "Noch zu klären{% if raum_details %} (vorgesehen: {{ raum_details }}){% endif %}"
    if name != "raum":
        confirmed, planned = "Bestätigt", "Noch zu klären"
    # The paper version (documents/blank.py) gets boxes to tick.
    ticks = "☐ Bestätigt ☐ Noch zu klären"
    if name == "raum":
        ticks += " · Raum und Zeiten: {{ raum_details }}"
    t.tag("{%p if fill_in %}")
    t.para((ticks, "r"))
    t.tag(f"{{%p elif raw.{name} %}}")
    t.para((confirmed, "b"))
    t.tag("{%p else %}")
    t.para((planned, "r"))
    t.tag("{%p endif %}")


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Auftragsklärung für die Multiplikator*innen-Beratung")
    t.title("{{ document_title }}")
    t.para("{{ einrichtung_name }} · {{ ort }}, {{ datum }}")
    t.para("zwischen")
    t.para(("{{ einrichtung_name }}", "b"), " ({{ einrichtung_art }})")
    t.para(
        "{% if einrichtung_traeger %}Träger: {{ einrichtung_traeger }}\n{% endif %}"
        "{{ einrichtung_anschrift }}"
    )
    t.para("und")
    t.para(
        (
            "{% if kontaktstelle %}{{ kontaktstelle }}{% else %}der beratenden "
            "Selbsthilfekontaktstelle{% endif %}",
            "b",
        )
    )
    t.para("– im Folgenden „die Einrichtung“ und „die Kontaktstelle“ –", italic=True)

    t.heading("§ 1 Ansprechpersonen")
    t.table(
        ["Name", "Funktion", "Dienstliche E-Mail oder Telefon"],
        ["{{ a.name }}", "{{ a.funktion }}", "{{ a.kontakt }}"],
        "for a in ansprechpersonen",
    )

    t.heading("§ 2 Anlass und Ziel der Beratung")
    t.para("Anlass: {{ anlass }}")
    t.para("Ziel der Beratung:")
    t.para("{{ beratungsziel }}")

    t.heading("§ 3 Umfang und Dauer")
    t.para(
        "Die Beratung umfasst {{ anzahl_termine }} Termin{% if raw.anzahl_termine != 1 %}e"
        "{% endif %}{% if stunden_gesamt %} mit insgesamt {{ stunden_gesamt }} Stunde"
        "{% if raw.stunden_gesamt != 1 %}n{% endif %}{% endif %}."
    )
    t.para("Sie findet vom {{ dauer_von }} bis zum {{ dauer_bis }} statt.")

    t.heading("§ 4 Voraussetzungen in der Einrichtung")
    t.para(
        "Damit eine Selbsthilfegruppe unter dem Dach der Einrichtung entstehen und bestehen "
        "kann, klären die Beteiligten vorab diese Voraussetzungen:"
    )
    for number, (name, text) in enumerate(CONDITIONS, start=1):
        _condition(t, number, name, text)
    t.tag("{%p if fill_in or not (raw.raum and arbeitszeit and autonomie and rolle) %}")
    t.para("Was noch zu klären ist, klären die Beteiligten zu Beginn der Beratung.", small=True)
    t.tag("{%p endif %}")

    t.tag("{%p if mehrbelastung %}")
    t.heading("§ 5 Erwartete Mehrbelastung und benötigte Ressourcen")
    t.para(
        "Besonders in der Anfangszeit kann die Zusammenarbeit zusätzliche Zeit kosten. Die "
        "Einrichtung rechnet mit Folgendem:"
    )
    t.para("{{ mehrbelastung }}")
    t.tag("{%p endif %}")

    p = t.para("{{ ort }}, den {{ datum }}")
    p.paragraph_format.space_before = Pt(18)
    for side, name in (
        ("Für die Einrichtung", "{{ einrichtung_name }}"),
        ("Für die Kontaktstelle", "{{ kontaktstelle or 'Selbsthilfekontaktstelle' }}"),
    ):
        t.para("").paragraph_format.space_before = Pt(24)
        t.para("_" * 45).paragraph_format.space_after = Pt(0)
        t.para((side, "b")).paragraph_format.space_after = Pt(0)
        t.para(name)
    return t
