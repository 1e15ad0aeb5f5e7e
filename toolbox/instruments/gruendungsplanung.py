"""Gründungsplanung: a professional service plans a new self-help group under its roof,
advised by the contact point. Output: a planning sheet, and the founding meeting and the
guided sessions after it as .ics."""

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


# Days between the guided sessions, or months for the monthly rhythms (then the same
# weekday in the same week of the month, e.g. the second Thursday).
TURNUS_DAYS = {"woechentlich": 7, "vierzehntaegig": 14}
TURNUS_MONTHS = {"monatlich": 1, "vierteljaehrlich": 3}
SESSION_HOURS = 2


def session_days(payload: dict) -> list[dt.date]:
    """The dates of the guided sessions after the founding meeting: on the group's
    weekday, in its rhythm, as many as the guided phase has."""
    founding = parse_date(payload.get("gruendungstreffen"))
    count = payload.get("anleitung_sitzungen") or 0
    days_of_week = [value for value, _ in WOCHENTAGE]
    weekday = (
        days_of_week.index(payload["wochentag"])
        if payload.get("wochentag") in days_of_week
        else None
    )
    if founding is None or weekday is None or count < 1:
        return []
    # the group's first regular day after the founding meeting
    first = founding + dt.timedelta(days=(weekday - founding.weekday() - 1) % 7 + 1)
    turnus = payload.get("turnus")
    if turnus in TURNUS_MONTHS:
        week = min((founding.day - 1) // 7, 3)  # 0 … 3: a week every month has
        days = []
        for n in range(1, count + 1):
            month = founding.month - 1 + n * TURNUS_MONTHS[turnus]
            year, month = founding.year + month // 12, month % 12 + 1
            start = dt.date(year, month, 1)
            days.append(start + dt.timedelta(days=(weekday - start.weekday()) % 7 + 7 * week))
        return days
    step = TURNUS_DAYS.get(turnus, 7)
    if step > 7 and (first - founding).days <= 7:
        first += dt.timedelta(days=7)  # 14-täglich: two weeks after a founding on that day
    return [first + dt.timedelta(days=step * n) for n in range(count)]


def calendar(payload: dict) -> list[CalendarEvent]:
    """The founding meeting, then each guided session of the guided phase, at the
    group's time for two hours (the founding meeting all day without a time)."""
    day = parse_date(payload.get("gruendungstreffen"))
    if day is None:
        return []
    at = dt.time.fromisoformat(payload["uhrzeit"]) if payload.get("uhrzeit") else None
    start: dt.date | dt.datetime = day
    end = None
    if at is not None:
        start = dt.datetime.combine(day, at)
        end = start + dt.timedelta(hours=SESSION_HOURS)
    title = payload["arbeitstitel"]
    events = [
        CalendarEvent(
            summary=f"Gründungstreffen „{title}“",
            start=start,
            end=end,
            location=payload.get("raum") or "",
            description="Gründungstreffen der neuen Selbsthilfegruppe.",
        )
    ]
    sessions = session_days(payload) if at is not None else []
    guide = payload.get("begleitung") or payload.get("fachkraft") or ""
    for number, session in enumerate(sessions, start=1):
        begin = dt.datetime.combine(session, at)
        events.append(
            CalendarEvent(
                summary=f"Begleitete Sitzung {number} von {len(sessions)} „{title}“",
                start=begin,
                end=begin + dt.timedelta(hours=SESSION_HOURS),
                location=payload.get("raum") or "",
                description="Anleitungsphase der neuen Selbsthilfegruppe"
                + (f", begleitet von {guide}." if guide else "."),
            )
        )
    return events


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
