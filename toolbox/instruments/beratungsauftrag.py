"""Beratungsauftrag: contact point and institution agree on goal, scope and duration of the
multiplier counselling; the institution confirms the four preconditions of the guide.

The preconditions are not required: an unconfirmed one still goes into the agreement,
marked "noch zu klären", because clarifying it is part of the counselling.
"""

from __future__ import annotations

from toolbox.instruments.base import NON_BLANK, Field, Instrument, parse_date, required_if

ARTEN = (
    ("klinik", "Klinik"),
    ("gesundheitszentrum", "Gesundheitszentrum"),
    ("beratungsstelle", "Beratungsstelle"),
    ("praxis", "Praxis"),
    ("gesundheitsamt", "Gesundheitsamt"),
    ("sonstige", "sonstige Einrichtung"),
)
ANLAESSE = (
    ("staerken", "Bestehende Zusammenarbeit mit Selbsthilfegruppen stärken"),
    ("neues_angebot", "Neues selbsthilfeorientiertes Angebot (z. B. Gruppengründung)"),
)

# The four preconditions are not required: what is not yet agreed is marked in the document.
HELP_CONDITION = "Nur ankreuzen, wenn zugesagt. Sonst steht in der Vereinbarung „noch zu klären“."

FIELDS = (
    Field(
        "einrichtung_name",
        "Name der Einrichtung",
        "text",
        required=True,
        help="z. B. Familien- und Erziehungsberatungsstelle Nord",
        shares="einrichtung",
    ),
    Field("einrichtung_traeger", "Träger der Einrichtung", "text"),
    Field(
        "einrichtung_anschrift",
        "Anschrift der Einrichtung",
        "textarea",
        required=True,
        help="Dienstliche Anschrift mit Straße, Postleitzahl und Ort.",
    ),
    Field("einrichtung_art", "Art der Einrichtung", "choice", required=True, choices=ARTEN),
    Field(
        "kontaktstelle",
        "Beratende Selbsthilfekontaktstelle",
        "text",
        help="Name der Kontaktstelle, die berät, z. B. Selbsthilfe-Kontaktstelle Westend.",
        shares="kontaktstelle",
    ),
    Field(
        "ansprechpersonen",
        "Ansprechpersonen der Einrichtung und der Kontaktstelle",
        "list",
        required=True,
        min_entries=1,
        row_label="Ansprechperson",
        help="Mindestens eine Person. Nur dienstliche Kontaktdaten, keine privaten.",
        fields=(
            Field("name", "Name", "text", required=True),
            Field(
                "funktion",
                "Funktion",
                "text",
                help="Mit Einrichtung oder Kontaktstelle, z. B. Fachkraft, Beratungsstelle Nord.",
            ),
            Field("kontakt", "Dienstliche E-Mail oder Telefon", "text"),
        ),
    ),
    Field("anlass", "Anlass der Beratung", "choice", required=True, choices=ANLAESSE),
    Field(
        "beratungsziel",
        "Beratungsziel",
        "textarea",
        required=True,
        help="Was soll die Einrichtung am Ende der Beratung können oder anbieten?",
    ),
    Field(
        "anzahl_termine",
        "Anzahl der Beratungstermine",
        "integer",
        required=True,
        min_value=1,
        max_value=50,
    ),
    Field(
        "stunden_gesamt",
        "Stunden insgesamt",
        "integer",
        min_value=1,
        max_value=500,
        help="Geschätzter Zeitumfang der Beratung in Stunden.",
    ),
    Field("dauer_von", "Beratung von", "date", required=True),
    Field(
        "dauer_bis",
        "Beratung bis",
        "date",
        required=True,
        help="Nicht vor dem Beginn der Beratung.",
    ),
    Field(
        "raum",
        "Die Einrichtung stellt einer Selbsthilfegruppe einen angemessenen Raum zu "
        "festgelegten Zeiten zur Verfügung.",
        "boolean",
        help=HELP_CONDITION,
    ),
    Field(
        "raum_details",
        "Welcher Raum, wann?",
        "text",
        help="z. B. Gruppenraum 2. OG, donnerstags 19–21 Uhr. Nötig, wenn der Raum zugesagt ist.",
    ),
    Field(
        "arbeitszeit",
        "Die Gründung und die Anfangsbegleitung der Gruppe gelten als Arbeitszeit der "
        "Mitarbeitenden.",
        "boolean",
        help=HELP_CONDITION,
    ),
    Field(
        "autonomie",
        "Die Bereitschaft der Betroffenen, in einer Selbsthilfegruppe mitzuarbeiten, ist "
        "gemeinsam mit ihnen geklärt; ihre Autonomie wird anerkannt.",
        "boolean",
        help=HELP_CONDITION,
    ),
    Field(
        "rolle",
        "Die Einrichtung nimmt die neue Rolle der Mitarbeitenden der Kontaktstelle an und "
        "grenzt sie von deren anderen Aufgaben ab.",
        "boolean",
        help=HELP_CONDITION,
    ),
    Field(
        "mehrbelastung",
        "Erwartete Mehrbelastung, benötigte Ressourcen",
        "textarea",
        help="Vor allem am Anfang kann die Zusammenarbeit zusätzliche Zeit kosten. "
        "Womit rechnen Sie?",
    ),
    Field("ort", "Ort", "text", required=True, shares="ort"),
    Field("datum", "Datum", "date", required=True),
)


def check_dates(payload: dict) -> dict[str, list[str]]:
    start, end = parse_date(payload.get("dauer_von")), parse_date(payload.get("dauer_bis"))
    if start and end and end < start:
        return {"dauer_bis": ["Das Ende der Beratung darf nicht vor ihrem Beginn liegen."]}
    return {}


def check_room(payload: dict) -> dict[str, list[str]]:
    if payload.get("raum") and not payload.get("raum_details"):
        return {"raum_details": ["Bitte angeben, welcher Raum wann zur Verfügung steht."]}
    return {}


def short_name(payload: dict) -> str:
    return payload.get("einrichtung_name") or ""


INSTRUMENT = Instrument(
    slug="beratungsauftrag",
    title="Auftragsklärung für die Multiplikator*innen-Beratung",
    description="Kontaktstelle und Einrichtung klären vor der Beratung Ziel, Umfang und Dauer; "
    "die Einrichtung bestätigt die Voraussetzungen für die Arbeit mit Selbsthilfegruppen.",
    document_title="Beratungsvereinbarung",
    fields=FIELDS,
    rules=(check_dates, check_room),
    order=(("dauer_von", "dauer_bis", False),),
    rule_schemas=(required_if("raum", True, "raum_details", NON_BLANK),),
    short_name=short_name,
    signed=True,
    blank_document=True,
)
