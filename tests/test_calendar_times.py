"""Calendars hold what the form says: every guided session of a Gründungsplanung after the
founding meeting, and the Jahresplanung's dates at their times when the plan gives them
(start and end per date, checked, shown in the documents). Read back by two parsers:
icalendar, and vobject with its own validation."""

from __future__ import annotations

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from helpers import load_data
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
    texts,
)

BERLIN = ZoneInfo("Europe/Berlin")
PLAN = InstrumentCase("gruendungsplanung", today=dt.date(2027, 3, 1))
YEAR = InstrumentCase("jahresplanung", today=dt.date(2026, 11, 22))


def both_parsers(content: bytes):
    """(icalendar events sorted by start, vobject events sorted by start), validated."""
    ical = sorted(
        icalendar.Calendar.from_ical(content).walk("VEVENT"),
        key=lambda e: _sortable(e.decoded("dtstart")),
    )
    calendar = vobject.readOne(content.decode("utf-8"), validate=True)
    for event in calendar.vevent_list:
        assert event.validate(raiseException=True)
    vevents = sorted(calendar.vevent_list, key=lambda e: _sortable(e.dtstart.value))
    return ical, vevents


def _sortable(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time())


# --- Gründungsplanung ------------------------------------------------------------------------


def test_founding_meeting_then_every_guided_session(app, renderer):
    data = load_data("gruendungsplanung")  # Thursday 8 April 2027, 19:00, every 14 days, 6
    docs = PLAN.render_form(app, renderer, data)
    ical, vevents = both_parsers(docs["ics"].content)
    assert len(ical) == len(vevents) == 1 + data["anleitung_sitzungen"]
    days = [dt.date(2027, 4, 8)] + [
        dt.date(2027, 4, 22) + dt.timedelta(days=14 * n) for n in range(6)
    ]
    for event, vevent, day in zip(ical, vevents, days, strict=True):
        start = dt.datetime.combine(day, dt.time(19, 0), tzinfo=BERLIN)
        assert event.decoded("dtstart") == start
        assert event.decoded("dtend") == start + dt.timedelta(hours=2)
        assert vevent.dtstart.value == start  # the same instant for the second parser
        assert vevent.dtstart.value.utcoffset() == start.utcoffset()  # CEST after March
        assert str(event["location"]) == "Gruppenraum 2. OG"
        assert str(event["status"]) == "CONFIRMED"
    assert str(ical[0]["summary"]) == "Gründungstreffen „Frauen nach Trennung“"
    assert [str(e["summary"]) for e in ical[1:]] == [
        f"Begleitete Sitzung {n} von 6 „Frauen nach Trennung“" for n in range(1, 7)
    ]
    assert "Selbsthilfe-Kontaktstelle Westend (SKW)" in str(ical[1]["description"])
    assert len({str(e["uid"]) for e in ical}) == len(ical)  # each its own event


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # weekly, founded on a Monday: from the Thursday after it
        (
            {"turnus": "woechentlich", "gruendungstreffen": "2027-04-05", "anleitung_sitzungen": 3},
            [dt.date(2027, 4, 8), dt.date(2027, 4, 15), dt.date(2027, 4, 22)],
        ),
        # monthly: the second Thursday of each following month
        (
            {"turnus": "monatlich", "anleitung_sitzungen": 3},
            [dt.date(2027, 5, 13), dt.date(2027, 6, 10), dt.date(2027, 7, 8)],
        ),
        # quarterly, across the turn of the year
        (
            {
                "turnus": "vierteljaehrlich",
                "gruendungstreffen": "2027-11-11",
                "uebergabe": "2028-12-01",
                "anleitung_sitzungen": 2,
            },
            [dt.date(2028, 2, 10), dt.date(2028, 5, 11)],
        ),
    ],
)
def test_guided_sessions_follow_the_rhythm(app, renderer, changes, expected):
    data = {**load_data("gruendungsplanung"), **changes}
    ical, _vevents = both_parsers(PLAN.render_form(app, renderer, data)["ics"].content)
    sessions = [e.decoded("dtstart") for e in ical[1:]]
    assert [s.date() for s in sessions] == expected
    assert all(s.weekday() == 3 and (s.hour, s.minute) == (19, 0) for s in sessions)


# --- Jahresplanung ---------------------------------------------------------------------------


def timed_plan() -> dict:
    data = copy.deepcopy(load_data("jahresplanung"))
    data["termine"][0].update(beginn="17:00", ende="19:00")  # 2 February, winter time
    data["termine"][2].update(beginn="10:00")  # 14 July, summer time, no end
    return data


def test_annual_plan_exports_times_when_given(app, renderer):
    data = timed_plan()
    docs = YEAR.render_form(app, renderer, data)
    ical, vevents = both_parsers(docs["ics"].content)
    assert len(ical) == len(vevents) == len(data["termine"])
    by_day = {_day(e.decoded("dtstart")): e for e in ical}
    feb = by_day[dt.date(2027, 2, 2)]
    assert feb.decoded("dtstart") == dt.datetime(2027, 2, 2, 17, 0, tzinfo=BERLIN)
    assert feb.decoded("dtend") == dt.datetime(2027, 2, 2, 19, 0, tzinfo=BERLIN)
    july = by_day[dt.date(2027, 7, 14)]
    assert july.decoded("dtstart") == dt.datetime(2027, 7, 14, 10, 0, tzinfo=BERLIN)
    assert july.decoded("dtend") == dt.datetime(2027, 7, 14, 12, 0, tzinfo=BERLIN)
    # the dates without a time stay all-day events
    march = by_day[dt.date(2027, 3, 6)]
    assert not isinstance(march.decoded("dtstart"), dt.datetime)
    assert march.decoded("dtend") == dt.date(2027, 3, 7)
    timed = [v for v in vevents if isinstance(v.dtstart.value, dt.datetime)]
    assert sorted(v.dtstart.value.utcoffset() for v in timed) == [
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
    ]


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def test_annual_plan_documents_show_the_times(app, renderer):
    docs = YEAR.render_form(app, renderer, timed_plan())
    for text in texts(docs):
        assert "17:00–19:00 Uhr" in text
        assert "ab 10:00 Uhr" in text


def test_annual_plan_times_are_checked(client):
    data = copy.deepcopy(load_data("jahresplanung"))
    data["termine"][0].update(beginn="19:00", ende="17:00")
    data["termine"][1].update(ende="12:00")
    data["termine"][2].update(beginn="18:00", ende="18:00")
    data["termine"][3].update(beginn="25:00")
    assert YEAR.errors_of(client, data) == {
        "termine-0-ende": ["Das Ende muss nach dem Beginn liegen."],
        "termine-1-beginn": ["Bitte auch den Beginn angeben."],
        "termine-2-ende": ["Das Ende muss nach dem Beginn liegen."],
        "termine-3-beginn": ["Bitte eine gültige Uhrzeit angeben, z. B. 18:00."],
    }


def test_annual_plan_form_asks_for_the_times(client):
    html = client.get("/instrumente/jahresplanung").get_data(as_text=True)
    assert 'name="termine-0-beginn"' in html
    assert 'name="termine-0-ende"' in html
    assert "Ohne Uhrzeit steht der Termin ganztägig im Kalender." in html
