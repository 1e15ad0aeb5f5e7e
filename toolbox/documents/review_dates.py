"""When an agreement comes back: its review date and the reminder before it.

Pure. The review date is "Nächste Überprüfung" of the Kooperationsvereinbarung and
"gültig bis" of the Raumnutzungsvereinbarung; other instruments have none. The caller
reads the number of days from the config (`TOOLBOX_REVIEW_REMINDER_DAYS`, default 30).
"""

from __future__ import annotations

import datetime as dt

from toolbox.instruments.base import CalendarEvent, Instrument, parse_date

DEFAULT_REMINDER_DAYS = 30

# Instrument slug → the date field that says when the parties look at it again.
REVIEW_FIELDS = {
    "kooperationsvereinbarung": "naechste_ueberpruefung",
    "raumnutzung": "gueltig_bis",
}
REVIEW_SUMMARIES = {
    "kooperationsvereinbarung": "Überprüfung der Kooperationsvereinbarung",
    "raumnutzung": "Raumnutzungsvereinbarung läuft aus: Verlängerung klären",
}


def review_date(instrument: Instrument, payload: dict) -> dt.date | None:
    """The agreement's review date, or None (no such field, left empty, not a date)."""
    name = REVIEW_FIELDS.get(instrument.slug)
    return parse_date(payload.get(name)) if name else None


def reminder_date(
    instrument: Instrument, payload: dict, days: int = DEFAULT_REMINDER_DAYS
) -> dt.date | None:
    """The day the parties are reminded: `days` before the review date (None without one)."""
    review = review_date(instrument, payload)
    if review is None:
        return None
    if days < 0:
        raise ValueError("days darf nicht negativ sein.")
    return review - dt.timedelta(days=days)


def review_event(instrument: Instrument, payload: dict) -> CalendarEvent | None:
    """The review date as an all-day calendar event (None without a review date)."""
    review = review_date(instrument, payload)
    if review is None:
        return None
    return CalendarEvent(
        summary=REVIEW_SUMMARIES[instrument.slug],
        start=review,
        description="Termin aus der Vereinbarung: Die Parteien prüfen sie gemeinsam.",
    )
