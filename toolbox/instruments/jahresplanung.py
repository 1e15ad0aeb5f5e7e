"""Jahresplanung: the cooperation's dates for one year, as a planning sheet and a calendar."""

from __future__ import annotations

import datetime as dt

from toolbox.documents.formatting import MONTHS
from toolbox.instruments.base import (
    CalendarEvent,
    Field,
    Instrument,
    Message,
    parse_date,
    parse_time,
)

MIN_JAHR, MAX_JAHR = 2000, 2100
ARTEN = (
    ("austauschtreffen", "Austauschtreffen"),
    ("infostand", "Infostand/Selbsthilfetag"),
    ("sprechstunde", "Sprechstunde der Selbsthilfe"),
    ("fortbildung", "Fortbildung für Mitarbeitende"),
    ("ueberpruefung", "Überprüfung der Vereinbarung"),
    ("sonstiges", "sonstiges"),
)
STATUS = (
    ("geplant", "geplant"),
    ("vorbereitet", "vorbereitet"),
    ("bestaetigt", "bestätigt"),
    ("durchgefuehrt", "durchgeführt"),
    ("abgesagt", "abgesagt"),
)
# The plan's status as iCalendar STATUS (RFC 5545 3.8.1.11); no status yet: tentative.
ICS_STATUS = {
    "geplant": "TENTATIVE",
    "vorbereitet": "TENTATIVE",
    "bestaetigt": "CONFIRMED",
    "durchgefuehrt": "CONFIRMED",
    "abgesagt": "CANCELLED",
}
WOCHENTAGE = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")

FIELDS = (
    Field(
        "jahr",
        "Jahr",
        "integer",
        required=True,
        min_value=MIN_JAHR,
        max_value=MAX_JAHR,
        range_message=f"Bitte ein Jahr zwischen {MIN_JAHR} und {MAX_JAHR} angeben.",
        help="Das Kalenderjahr, für das Sie planen, z. B. 2027.",
    ),
    Field(
        "kooperation",
        "Kooperation (Titel)",
        "text",
        required=True,
        help="Ein kurzer Name der Zusammenarbeit, z. B. „Kooperation Westpark – Angst & Panik“.",
    ),
    Field(
        "termine",
        "Termine",
        "list",
        required=True,
        min_entries=1,
        row_label="Termin",
        help="Alle gemeinsamen Termine des Jahres. Jeder Termin muss im gewählten Jahr liegen.",
        fields=(
            Field("datum", "Datum", "date", required=True),
            Field(
                "beginn",
                "Beginn",
                "time",
                help="Freiwillig, z. B. 17:00. Ohne Uhrzeit steht der Termin ganztägig im "
                "Kalender.",
            ),
            Field("ende", "Ende", "time", help="Freiwillig; ohne Ende: zwei Stunden."),
            Field("art", "Art", "choice", required=True, choices=ARTEN),
            Field("ort", "Ort", "text", help="z. B. Klinikum am Westpark, Raum E.04."),
            Field(
                "verantwortlich",
                "verantwortlich",
                "text",
                help="Wer bereitet den Termin vor? Organisation oder Funktion genügt.",
            ),
            Field("status", "Status", "choice", choices=STATUS),
        ),
    ),
)


def check_dates_in_year(payload: dict) -> dict[str, list[str]]:
    jahr = payload.get("jahr")
    if jahr is None or not MIN_JAHR <= jahr <= MAX_JAHR:
        return {}  # the year itself is wrong; its own message says so
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(payload.get("termine") or []):
        datum = parse_date(row.get("datum"))
        if datum and datum.year != jahr:
            errors[f"termine-{index}-datum"] = [
                Message("Der Termin muss im Jahr %(jahr)s liegen.", jahr=jahr)
            ]
    return errors


def check_times(payload: dict) -> dict[str, list[str]]:
    """An end needs a start, and comes after it (a date ends on the same day)."""
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(payload.get("termine") or []):
        start, end = parse_time(row.get("beginn")), parse_time(row.get("ende"))
        if end and not start:
            errors[f"termine-{index}-beginn"] = ["Bitte auch den Beginn angeben."]
        elif start and end and end <= start:
            errors[f"termine-{index}-ende"] = ["Das Ende muss nach dem Beginn liegen."]
    return errors


def time_text(row: dict) -> str:
    """ "17:00–19:00 Uhr", "ab 17:00 Uhr" or "" (all day)."""
    if not row.get("beginn"):
        return ""
    if row.get("ende"):
        return f"{row['beginn']}–{row['ende']} Uhr"
    return f"ab {row['beginn']} Uhr"


def short_name(payload: dict) -> str:
    # The year first: file names are shortened at the end.
    return " ".join(str(p) for p in (payload.get("jahr"), payload.get("kooperation")) if p)


def extend_context(ctx: dict, payload: dict) -> dict:
    """The planning sheet: all twelve months in order, each with its dates sorted."""
    months: list[list[dict]] = [[] for _ in MONTHS]
    rows = sorted(
        zip(payload.get("termine") or [], ctx["termine"], strict=True),
        key=lambda pair: pair[0].get("datum") or "",
    )
    for raw, shown in rows:
        datum = parse_date(raw.get("datum"))
        if datum:
            months[datum.month - 1].append(
                {**shown, "wochentag": WOCHENTAGE[datum.weekday()], "zeit": time_text(raw)}
            )
    return {
        "termine_nach_monat": [
            {"monat": name, "termine": items} for name, items in zip(MONTHS, months, strict=True)
        ],
        "termine_anzahl": len(rows),
    }


def calendar(payload: dict) -> list[CalendarEvent]:
    """One event per date, named by its kind and the cooperation: at its times when the
    plan gives them (two hours without an end), else all day."""
    arten, status = dict(ARTEN), dict(STATUS)
    events = []
    for row in payload.get("termine") or []:
        art = "Termin" if row["art"] == "sonstiges" else arten[row["art"]]
        details = [
            f"Verantwortlich: {row['verantwortlich']}" if row.get("verantwortlich") else "",
            f"Status: {status[row['status']]}" if row.get("status") else "",
        ]
        day = dt.date.fromisoformat(row["datum"])
        start: dt.date | dt.datetime = day
        end = None
        if row.get("beginn"):
            start = dt.datetime.combine(day, dt.time.fromisoformat(row["beginn"]))
            if row.get("ende"):
                end = dt.datetime.combine(day, dt.time.fromisoformat(row["ende"]))
        events.append(
            CalendarEvent(
                summary=f"{art} ({payload['kooperation']})",
                start=start,
                end=end,
                location=row.get("ort") or "",
                description="\n".join(d for d in details if d),
                status=ICS_STATUS.get(row.get("status") or "", "TENTATIVE"),
            )
        )
    return events


INSTRUMENT = Instrument(
    slug="jahresplanung",
    title="Jahresplanung der Kooperation",
    description="Alle gemeinsamen Termine eines Jahres – Austauschtreffen, Infostände, "
    "Sprechstunden, Fortbildungen, Überprüfung – als Planungsblatt und Kalenderdatei.",
    document_title="Jahresplanung der Kooperation",
    fields=FIELDS,
    rules=(check_dates_in_year, check_times),
    in_year=(("jahr", "termine[].datum"),),
    # Start and end of the same date (row); an end only with a start.
    order=(("termine[].beginn", "termine[].ende", True),),
    rule_schemas=(
        {"properties": {"termine": {"items": {"dependentRequired": {"ende": ["beginn"]}}}}},
    ),
    rule_notes=(
        "Beginn und Ende gelten je Termin: das Ende liegt nach dem Beginn derselben Zeile.",
    ),
    extend_context=extend_context,
    short_name=short_name,
    calendar=calendar,
)
