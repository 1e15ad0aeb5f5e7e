"""Verzeichnis der Ansprechpersonen: business contacts in self-help support.

The directory itself is maintained by facilitators (toolbox/contacts.py, the dashboard,
`toolbox contacts import|export`); a submission of this instrument is one or more
entries and renders as a directory document, like the whole directory does.
"""

from __future__ import annotations

from toolbox.instruments.base import Field, Instrument

TYPEN = (
    ("kontaktstelle", "Kontaktstelle"),
    ("landesstelle", "Landesstelle/Dachverband"),
    ("klinik", "Selbsthilfebeauftragte*r einer Klinik"),
    ("sonstige", "sonstige"),
)

ENTRY_FIELDS = (
    Field("organisation", "Organisation", "text", required=True),
    Field("typ", "Art", "choice", required=True, choices=TYPEN),
    Field("funktion", "Funktion", "text", help="z. B. Beratung Gruppengründung"),
    Field("email", "Dienstliche E-Mail", "email"),
    Field("telefon", "Dienstliches Telefon", "text"),
    Field("anschrift", "Dienstliche Anschrift", "textarea"),
    Field(
        "zustaendigkeit",
        "Zuständigkeit",
        "text",
        help="Region und/oder Themen, z. B. München West, alle Themen.",
    ),
)

FIELDS = (
    Field(
        "eintraege",
        "Einträge",
        "list",
        required=True,
        min_entries=1,
        max_entries=100,  # more is the directory's import, not a form (issue 14)
        row_label="Eintrag",
        help="Nur dienstliche Kontakte von Stellen der Selbsthilfeunterstützung – keine "
        "Anschriften von Selbsthilfegruppen (der Kontakt zu Gruppen läuft über die "
        "Kontaktstelle).",
        fields=ENTRY_FIELDS,
    ),
    Field(
        "einwilligung",
        "Die Angaben sind dienstliche Kontaktdaten; die genannten Stellen sind mit der "
        "Veröffentlichung im Verzeichnis einverstanden.",
        "boolean",
        required=True,
    ),
)


def short_name(payload: dict) -> str:
    entries = payload.get("eintraege") or []
    if len(entries) == 1:
        return entries[0].get("organisation") or ""
    return f"{len(entries)} Einträge" if entries else ""


INSTRUMENT = Instrument(
    slug="ansprechpersonen",
    title="Verzeichnis der Ansprechpersonen",
    description="Dienstliche Ansprechpersonen der Selbsthilfeunterstützung: Kontaktstellen, "
    "Landesstellen, Selbsthilfebeauftragte in Kliniken – mit Zuständigkeit.",
    document_title="Verzeichnis der Ansprechpersonen",
    fields=FIELDS,
    short_name=short_name,
)
