"""Gründungsplanung: a limited start phase, handover after the founding meeting, at least
one way to advertise, and the founding meeting as a calendar entry."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from helpers import load_data
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
    texts,
)

SLUG = "gruendungsplanung"
CASE = InstrumentCase(SLUG, today=dt.date(2027, 3, 1))
INSTRUMENT = CASE.instrument


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


@pytest.mark.parametrize("sessions", [1, 10])
def test_start_phase_within_limits(client, sessions):
    data = {**load_data(SLUG), "anleitung_sitzungen": sessions}
    assert CASE.submit(client, data).status_code == 202


@pytest.mark.parametrize("sessions", [0, 11, 25])
def test_start_phase_out_of_range_is_explained(client, sessions):
    data = {**load_data(SLUG), "anleitung_sitzungen": sessions}
    [message] = CASE.errors_of(client, data)["anleitung_sitzungen"]
    assert message.startswith("Bitte 1 bis 10 Sitzungen angeben.")
    assert "damit die Gruppe danach selbstorganisiert weiterläuft" in message


@pytest.mark.parametrize("handover", ["2027-04-08", "2027-04-01"])
def test_handover_must_follow_the_founding_meeting(client, handover):
    data = {**load_data(SLUG), "gruendungstreffen": "2027-04-08", "uebergabe": handover}
    assert CASE.errors_of(client, data) == {
        "uebergabe": [
            "Die Übergabe in die Selbstorganisation muss nach dem Gründungstreffen liegen."
        ]
    }


def test_at_least_one_way_to_advertise(client):
    data = {**load_data(SLUG), "werbewege": []}
    assert list(CASE.errors_of(client, data)) == ["werbewege"]


def test_milestone_needs_a_step(client):
    data = load_data(SLUG)
    data["meilensteine"] = [{"schritt": "", "bis": "2027-03-15", "wer": "Beratungsstelle"}]
    assert CASE.errors_of(client, data) == {"meilensteine-0-schritt": ["Bitte ausfüllen."]}


def test_founding_meeting_in_calendar_at_group_time(app, renderer):
    docs = CASE.render_form(app, renderer, load_data(SLUG))
    assert docs["ics"].filename == "2027-03-01_Planungsblatt_Frauen-nach-Trennung.ics"
    # the founding meeting first, then the guided sessions (tests/test_calendar_times.py)
    event, *_sessions = icalendar.Calendar.from_ical(docs["ics"].content).walk("VEVENT")
    berlin = ZoneInfo("Europe/Berlin")
    assert event.decoded("dtstart") == dt.datetime(2027, 4, 8, 19, 0, tzinfo=berlin)
    assert event.decoded("dtend") == dt.datetime(2027, 4, 8, 21, 0, tzinfo=berlin)
    assert str(event["summary"]) == "Gründungstreffen „Frauen nach Trennung“"
    assert str(event["location"]) == "Gruppenraum 2. OG"
    assert "rrule" not in event


def test_without_a_time_the_meeting_is_an_all_day_event():
    payload = {**load_data(SLUG), "uhrzeit": None}
    [event] = INSTRUMENT.calendar(payload)
    assert event.start == dt.date(2027, 4, 8) and event.end is None


def test_planning_sheet_shows_the_plan(app, renderer):
    docs = CASE.render_form(app, renderer, load_data(SLUG))
    for text in texts(docs):
        assert "Planungsblatt" in text
        assert "Gruppe „Frauen nach Trennung“ · Gründungstreffen am 8. April 2027" in text
        assert "8. April 2027, 19:00 Uhr" in text
        assert "6 begleitete Sitzungen" in text
        assert "ab 1. Juli 2027" in text
        assert "Donnerstag, 19:00 Uhr" in text
        assert "Finanzierung: keine Kosten" in text


def test_optional_parts_left_open(app, renderer):
    data = {**load_data(SLUG), "anleitung_sitzungen": 1, "rahmen": [], "kosten": None}
    data["kosten_text"] = ""
    docs = CASE.render_form(app, renderer, data)
    for text in texts(docs):
        assert "1 begleitete Sitzung " in text
        assert "Barrierefreiheit, Kinderbetreuung nicht vorgesehen" in text
        assert "Noch offen." in text


def test_sheet_without_milestones(renderer):
    payload = {**load_data(SLUG), "meilensteine": []}
    docs = CASE.render(renderer, payload)
    for text in texts(docs):
        assert "Keine Meilensteine eingetragen." in text
        assert "bis wann" not in text


def test_milestones_are_optional(client):
    data = {**load_data(SLUG), "meilensteine": []}
    assert CASE.submit(client, data).status_code == 202
