"""iCalendar (.ics) files for meetings and annual plans (icalendar library)."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from toolbox.core.time import BERLIN
from toolbox.instruments.base import CalendarEvent

ICS_MEDIA_TYPE = "text/calendar"


def berlin_vtimezone() -> Timezone:
    """Europe/Berlin as the EU rule (since 1996) in RRULE form, so it covers every
    occurrence of an open-ended series, not only the transitions up to 2037."""
    tz = Timezone()
    tz.add("tzid", "Europe/Berlin")
    tz.add("x-lic-location", "Europe/Berlin")
    # Summer time from the last Sunday of March 02:00, winter time from October's 03:00.
    tz.add_component(_observance(TimezoneDaylight(), "CEST", 1, 2, dt.datetime(1970, 3, 29, 2)))
    tz.add_component(_observance(TimezoneStandard(), "CET", 2, 1, dt.datetime(1970, 10, 25, 3)))
    return tz


def _observance(part, name: str, hours_from: int, hours_to: int, start: dt.datetime):
    """One of the zone's two yearly switches, on the last Sunday of `start`'s month."""
    part.add("tzname", name)
    part.add("tzoffsetfrom", dt.timedelta(hours=hours_from))
    part.add("tzoffsetto", dt.timedelta(hours=hours_to))
    part.add("dtstart", start)
    part.add("rrule", {"FREQ": "YEARLY", "BYMONTH": start.month, "BYDAY": "-1SU"})
    return part


def render_ics(
    events: list[CalendarEvent],
    title: str,
    uid_seed: str,
    sequence: int | None = None,
    event_keys: list[str] | None = None,
) -> bytes:
    """A calendar with one VEVENT per event. UIDs derive from `uid_seed` and each event's
    key (`event_keys`, default its position), so rendering the same submission again
    updates the events instead of duplicating them. `sequence` (RFC 5545 SEQUENCE, 0 for
    the first version) counts the revisions of a series of versions with one seed."""
    keys = event_keys if event_keys is not None else [str(i) for i in range(len(events))]
    if len(keys) != len(events):
        raise ValueError("event_keys braucht einen Schlüssel je Termin.")
    cal = Calendar()
    cal.add("prodid", "-//toolbox//Kooperations-Werkzeugkasten//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    if any(isinstance(item.start, dt.datetime) for item in events):
        cal.add_component(berlin_vtimezone())  # VTIMEZONE for Europe/Berlin, as RFC 5545 asks
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for key, item in zip(keys, events, strict=True):
        event = Event()
        digest = hashlib.sha256(f"{uid_seed}:{key}".encode()).hexdigest()[:32]
        event.add("uid", f"{digest}@toolbox")
        event.add("dtstamp", stamp)
        if sequence is not None:
            event.add("sequence", sequence)
        event.add("summary", item.summary)
        event.add("status", item.status)
        if isinstance(item.start, dt.datetime):
            event.add("dtstart", item.start.replace(tzinfo=BERLIN))
            end = item.end or item.start + dt.timedelta(hours=2)
            event.add("dtend", end.replace(tzinfo=BERLIN))
        else:
            event.add("dtstart", item.start)
            event.add("dtend", item.start + dt.timedelta(days=1))
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.rrule:
            event.add("rrule", item.rrule)
        cal.add_component(event)
    return cal.to_ical()
