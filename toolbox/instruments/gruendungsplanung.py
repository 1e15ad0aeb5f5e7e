"""Gründungsplanung: a professional service plans a new self-help group under its roof,
advised by the contact point. Output: a planning sheet and the founding meeting as .ics."""

from __future__ import annotations

import datetime as dt

from toolbox.instruments.base import CalendarEvent, Field, Instrument, parse_date
from toolbox.instruments.erstgespraech import HAEUFIGKEIT, WOCHENTAGE

RAHMEN = (
    ("barrierefrei", "barrierefreier Zugang"),
    ("kinderbetreuung", "Kinderbetreuung während der Treffen"),
)
WERBEWEGE = (
    ("klientinnen", "Klient*innen direkt ansprechen"),
    ("aushang", "Aushang"),
    ("website", "Website"),
    ("presse", "Presse"),
    ("kontaktstelle", "über die Kontaktstelle"),
)
GRUPPENFORM = (
    ("offen", "offene Gruppe (neue Mitglieder können jederzeit dazukommen)"),
    ("geschlossen", "geschlossene Gruppe (feste Teilnehmer*innen)"),
)
KOSTEN = (
    ("gkv", "GKV-Selbsthilfeförderung"),
    ("eigenmittel", "Eigenmittel"),
    ("keine", "keine Kosten"),
)
MAX_SITZUNGEN = 10

FIELDS = (
    Field(
        "arbeitstitel",
        "Arbeitstitel der Gruppe",
        "text",
        required=True,
        help="z. B. Frauen nach Trennung. Die Gruppe kann sich später selbst einen Namen geben.",
        shares="gruppe",
    ),
    Field(
        "zielgruppe",
        "Zielgruppe, Teilnahmevoraussetzungen",
        "textarea",
        required=True,
        help="Für wen ist die Gruppe gedacht? Gibt es Voraussetzungen für die Teilnahme?",
    ),
    Field("fachkraft", "Verantwortliche Fachkraft der Einrichtung", "text", required=True),
    Field(
        "begleitung",
        "Begleitung durch die Kontaktstelle (Name)",
        "text",
        help="Name der Kontaktstelle oder der begleitenden Ansprechpartner*in.",
    ),
    Field("raum", "Raum", "text", required=True, help="z. B. Gruppenraum 2. OG", shares="raum"),
    Field("wochentag", "Wochentag", "choice", required=True, choices=WOCHENTAGE),
    Field("uhrzeit", "Uhrzeit", "time", required=True),
    Field("turnus", "Turnus", "choice", required=True, choices=HAEUFIGKEIT),
    Field("rahmen", "Barrierefreiheit, Kinderbetreuung", "multichoice", choices=RAHMEN),
    Field(
        "werbewege",
        "Werbewege",
        "multichoice",
        required=True,
        choices=WERBEWEGE,
        help="Wie erfahren Interessierte von der Gruppe? Mindestens einen Weg auswählen.",
    ),
    Field("gruendungstreffen", "Datum des Gründungstreffens", "date", required=True),
    Field(
        "anleitung_sitzungen",
        "Anleitungsphase: Anzahl begleiteter Sitzungen",
        "integer",
        required=True,
        min_value=1,
        max_value=MAX_SITZUNGEN,
        range_message=f"Bitte 1 bis {MAX_SITZUNGEN} Sitzungen angeben. Die Anleitungsphase ist "
        "bewusst begrenzt, damit die Gruppe danach selbstorganisiert weiterläuft.",
        help=f"Höchstens {MAX_SITZUNGEN}: Danach soll die Gruppe sich selbst organisieren.",
    ),
    Field(
        "uebergabe",
        "Übergabe in die Selbstorganisation geplant ab",
        "date",
        required=True,
        help="Nach dem Gründungstreffen.",
    ),
    Field(
        "meilensteine",
        "Meilensteine",
        "list",
        row_label="Meilenstein",
        help="Die wichtigsten Schritte bis zum Gründungstreffen, z. B. Flyer fertig.",
        fields=(
            Field("schritt", "Schritt", "text", required=True),
            Field("bis", "bis wann", "date"),
            Field("wer", "wer", "text", help="Eine Stelle oder Funktion genügt."),
        ),
    ),
    Field("gruppenform", "Offene oder geschlossene Gruppe", "choice", choices=GRUPPENFORM),
    Field("kosten", "Kosten und Förderung", "choice", choices=KOSTEN),
    Field(
        "kosten_text",
        "Erläuterung zu Kosten und Förderung",
        "textarea",
        help="z. B. wofür Kosten entstehen und wer sie trägt.",
    ),
)


def check_dates(payload: dict) -> dict[str, list[str]]:
    founding, handover = (
        parse_date(payload.get("gruendungstreffen")),
        parse_date(payload.get("uebergabe")),
    )
    if founding and handover and handover <= founding:
        return {
            "uebergabe": [
                "Die Übergabe in die Selbstorganisation muss nach dem Gründungstreffen liegen."
            ]
        }
    return {}


def short_name(payload: dict) -> str:
    return payload.get("arbeitstitel") or ""


def calendar(payload: dict) -> list[CalendarEvent]:
    """The founding meeting: at the group's time for two hours, else as an all-day event."""
    day = parse_date(payload.get("gruendungstreffen"))
    if day is None:
        return []
    start: dt.date | dt.datetime = day
    end = None
    if payload.get("uhrzeit"):
        start = dt.datetime.combine(day, dt.time.fromisoformat(payload["uhrzeit"]))
        end = start + dt.timedelta(hours=2)
    return [
        CalendarEvent(
            summary=f"Gründungstreffen „{payload['arbeitstitel']}“",
            start=start,
            end=end,
            location=payload.get("raum") or "",
            description="Gründungstreffen der neuen Selbsthilfegruppe.",
        )
    ]


INSTRUMENT = Instrument(
    slug="gruendungsplanung",
    title="Planungsbogen Gruppengründung unter dem Dach einer Einrichtung",
    description="Eine Einrichtung plant mit Beratung der Kontaktstelle eine neue "
    "Selbsthilfegruppe: Rahmen, Werbung, Gründungstreffen, Anleitungsphase und Übergabe.",
    document_title="Planungsblatt",
    fields=FIELDS,
    rules=(check_dates,),
    order=(("gruendungstreffen", "uebergabe", True),),
    short_name=short_name,
    calendar=calendar,
)
