"""DOCX template of the Kooperationsvereinbarung; same content as its HTML template."""

from docx.shared import Pt

from tools.docx_builder import TemplateDoc


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Vereinbarung über die Zusammenarbeit")
    t.title("{{ document_title }}")
    t.para("zwischen")
    t.tag("{%p for p in parteien %}")
    t.para(
        ("{{ p.name }}", "b"),
        " ({{ p.rolle }}{% if p.rechtsform %}, {{ p.rechtsform }}{% endif %})",
    )
    t.para(
        "{% if p.anschrift %}{{ p.anschrift }}\n{% endif %}vertreten durch {{ p.vertreten_durch }}"
    )
    t.tag("{%p endfor %}")
    t.para("– im Folgenden gemeinsam „die Parteien“ –", italic=True)

    t.tag("{%p if praeambel %}")
    t.heading("Präambel")
    t.para("{{ praeambel }}")
    t.tag("{%p endif %}")

    t.heading("§ 1 Gegenstand und Ziele")
    t.para(
        "Die Parteien vereinbaren eine verbindliche Zusammenarbeit im Sinne der "
        "Selbsthilfefreundlichkeit. Sie verfolgen gemeinsam folgende Ziele:"
    )
    t.tag("{%p for ziel in ziele_liste %}")
    t.numbered("{{ ziel }}")
    t.tag("{%p endfor %}")

    t.heading("§ 2 Leistungen der Parteien")
    t.heading("(1) Die Einrichtung", level=2)
    t.tag("{%p for item in leistungen_einrichtung %}")
    t.bullet("{{ item }}")
    t.tag("{%p endfor %}")
    t.tag("{%p if leistungen_einrichtung_text %}")
    t.para("{{ leistungen_einrichtung_text }}")
    t.tag("{%p endif %}")
    t.tag("{%p if leistungen_selbsthilfe or leistungen_selbsthilfe_text %}")
    t.heading("(2) Die Selbsthilfe", level=2)
    t.tag("{%p for item in leistungen_selbsthilfe %}")
    t.bullet("{{ item }}")
    t.tag("{%p endfor %}")
    t.tag("{%p if leistungen_selbsthilfe_text %}")
    t.para("{{ leistungen_selbsthilfe_text }}")
    t.tag("{%p endif %}")
    t.tag("{%p endif %}")
    t.tag("{%p if leistungen_kontaktstelle or leistungen_kontaktstelle_text %}")
    t.heading(
        "({{ 3 if (leistungen_selbsthilfe or leistungen_selbsthilfe_text) else 2 }}) "
        "Die Selbsthilfekontaktstelle",
        level=2,
    )
    t.tag("{%p for item in leistungen_kontaktstelle %}")
    t.bullet("{{ item }}")
    t.tag("{%p endfor %}")
    t.tag("{%p if leistungen_kontaktstelle_text %}")
    t.para("{{ leistungen_kontaktstelle_text }}")
    t.tag("{%p endif %}")
    t.tag("{%p endif %}")

    t.heading("§ 3 Ansprechpersonen und Austausch")
    t.tag("{%p if ansprechpersonen %}")
    t.para("Für die Zusammenarbeit benennen die Parteien folgende Ansprechpersonen:")
    t.tag("{%p endif %}")
    t.table(
        ["Partei", "Ansprechperson", "Vertretung"],
        ["{{ a.partei }}", "{{ a.person }}", "{{ a.vertretung }}"],
        "for a in ansprechpersonen",
    )
    t.para(
        "Die Parteien treffen sich {{ austausch }} zu einem gemeinsamen Austausch über den "
        "Stand der Zusammenarbeit."
    )

    t.heading("§ 4 Unabhängigkeit der Selbsthilfe")
    t.tag("{%p if unabhaengigkeit %}")
    t.para(
        "Die Selbsthilfe bleibt unabhängig. Die Einrichtung nimmt keinen Einfluss auf die "
        "Inhalte der Selbsthilfearbeit; die Gruppe entscheidet selbst über ihre Arbeit, ihre "
        "Themen und ihre Öffentlichkeitsarbeit."
    )
    t.tag("{%p else %}")
    t.para(("Noch zu klären: Die Unabhängigkeit der Selbsthilfe ist noch nicht vereinbart.", "r"))
    t.tag("{%p endif %}")

    t.heading("§ 5 Datenschutz und Vertraulichkeit")
    t.tag("{%p if datenschutz %}")
    t.para(
        "Personenbezogene Daten von Patient*innen, Klient*innen oder Gruppenmitgliedern "
        "werden ohne deren Einwilligung nicht weitergegeben. Was in der Gruppe besprochen "
        "wird, bleibt vertraulich."
    )
    t.tag("{%p else %}")
    t.para(("Noch zu klären: Die Regeln zum Datenschutz sind noch nicht vereinbart.", "r"))
    t.tag("{%p endif %}")
    t.tag("{%p if datenschutz_text %}")
    t.para("{{ datenschutz_text }}")
    t.tag("{%p endif %}")

    t.heading("§ 6 Öffentlichkeitsarbeit und Kosten")
    t.tag("{%p if oeffentlichkeitsarbeit %}")
    t.tag("{%p for item in oeffentlichkeitsarbeit %}")
    t.bullet("{{ item }}")
    t.tag("{%p endfor %}")
    t.tag("{%p else %}")
    t.para(
        "Die Parteien nennen einander in ihrer Öffentlichkeitsarbeit nur nach vorheriger Absprache."
    )
    t.tag("{%p endif %}")
    t.para(
        "{% if kosten %}{{ kosten }}{% else %}Aus dieser Vereinbarung entstehen keiner Partei "
        "Kosten.{% endif %}"
    )

    t.heading("§ 7 Laufzeit, Überprüfung, Kündigung")
    t.para(
        "Die Zusammenarbeit beginnt am {{ beginn }} und ist "
        "{% if fill_in %}☐ unbefristet ☐ befristet bis zum {{ befristet_bis }}"
        '{% elif raw.laufzeit == "befristet" %}befristet bis zum {{ befristet_bis }}'
        "{% else %}unbefristet{% endif %}."
    )
    t.para(
        "Die Parteien überprüfen die Vereinbarung gemeinsam, erstmals am "
        "{{ naechste_ueberpruefung }}."
    )
    t.para(
        "{% if kuendigungsfrist_wochen %}Jede Partei kann die Vereinbarung mit einer Frist von "
        "{{ kuendigungsfrist_wochen }} Wochen schriftlich kündigen.{% else %}Jede Partei kann "
        "die Vereinbarung jederzeit schriftlich kündigen.{% endif %}"
    )
    p = t.para("{{ ort }}, den {{ datum }}")
    p.paragraph_format.space_before = Pt(18)
    t.signature_lines(
        "for p in parteien", "{{ p.name }}", "vertreten durch {{ p.vertreten_durch }}"
    )
    return t
