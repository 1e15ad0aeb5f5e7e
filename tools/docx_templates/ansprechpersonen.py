"""DOCX template of the contact directory; same content as its HTML template."""

from tools.docx_builder import TemplateDoc


def build() -> TemplateDoc:
    t = TemplateDoc()
    t.kicker("Selbsthilfeunterstützung")
    t.title("{{ document_title }}")
    t.para(
        'Stand: {{ generated }} · {{ eintraege|length }} {{ "Eintrag" if eintraege|length == 1 '
        'else "Einträge" }}'
    )
    t.para(
        "Dienstliche Kontakte für Fragen rund um Selbsthilfe und Kooperation. Der Kontakt zu "
        "Selbsthilfegruppen läuft über die Kontaktstellen.{% if einwilligung %} Alle Stellen "
        "sind mit der Veröffentlichung einverstanden.{% else %} Noch zu klären: Einverständnis "
        "der Stellen mit der Veröffentlichung.{% endif %}",
        small=True,
    )
    t.table(
        ["Organisation", "Funktion", "Kontakt", "Zuständigkeit"],
        [
            "{{ e.organisation }}\n{{ e.typ }}",
            "{{ e.funktion }}",
            "{{ e.email }}{% if e.email and e.telefon %}\n{% endif %}{{ e.telefon }}"
            "{% if e.anschrift %}\n{{ e.anschrift }}{% endif %}",
            "{{ e.zustaendigkeit }}",
        ],
        "for e in eintraege",
    )
    return t
