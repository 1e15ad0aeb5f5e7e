"""iCalendar (.ics) files for meetings and annual plans (icalendar library)."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from toolbox.core.time import BERLIN
from toolbox.instruments.base import CalendarEvent

ICS_MEDIA_TYPE = "text/calendar"


def render_ics(events: list[CalendarEvent], title: str, uid_seed: str) -> bytes:
    """A calendar with one VEVENT per event. UIDs derive from `uid_seed`, so rendering
    the same submission again updates the events instead of duplicating them."""
    cal = Calendar()
    cal.add("prodid", "-//toolbox//Kooperations-Werkzeugkasten//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for index, item in enumerate(events):
        event = Event()
        digest = hashlib.sha256(f"{uid_seed}:{index}".encode()).hexdigest()[:32]
        event.add("uid", f"{digest}@toolbox")
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
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
    cal.add_missing_timezones()  # VTIMEZONE for Europe/Berlin, as RFC 5545 asks
    return cal.to_ical()
