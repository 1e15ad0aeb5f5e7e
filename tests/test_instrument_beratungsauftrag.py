"""Beratungsauftrag: dates in order, the room needs details, unconfirmed preconditions still
submit and show as "noch zu klären" in the signed Beratungsvereinbarung."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import load_data
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
    texts,
)

SLUG = "beratungsauftrag"
CASE = InstrumentCase(SLUG, today=dt.date(2027, 2, 15))
CONDITIONS = ("raum", "arbeitszeit", "autonomie", "rolle")


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


def test_end_before_start_is_rejected(client):
    data = {**load_data(SLUG), "dauer_von": "2027-03-01", "dauer_bis": "2027-02-28"}
    assert CASE.errors_of(client, data) == {
        "dauer_bis": ["Das Ende der Beratung darf nicht vor ihrem Beginn liegen."]
    }


def test_one_day_counselling_is_allowed(client):
    data = {**load_data(SLUG), "dauer_von": "2027-03-01", "dauer_bis": "2027-03-01"}
    assert CASE.submit(client, data).status_code == 202


def test_confirmed_room_needs_details(client):
    data = {**load_data(SLUG), "raum": True, "raum_details": ""}
    assert CASE.errors_of(client, data) == {
        "raum_details": ["Bitte angeben, welcher Raum wann zur Verfügung steht."]
    }


def test_preconditions_are_not_required(client):
    data = load_data(SLUG)
    for name in CONDITIONS:
        data[name] = False
    data["raum_details"] = ""
    assert CASE.submit(client, data).status_code == 202


def test_at_least_one_contact_person(client):
    data = {**load_data(SLUG), "ansprechpersonen": []}
    assert "ansprechpersonen" in CASE.errors_of(client, data)


@pytest.mark.parametrize("value", [0, 51])
def test_number_of_sessions_has_a_range(client, value):
    data = {**load_data(SLUG), "anzahl_termine": value}
    assert list(CASE.errors_of(client, data)) == ["anzahl_termine"]


def test_unconfirmed_precondition_is_marked_open(app, renderer):
    data = load_data(SLUG)  # the scenario leaves the role of the contact point open
    assert data["rolle"] is False
    for text in texts(CASE.render_form(app, renderer, data)):
        assert text.count("Noch zu klären") == 1
        assert "von deren sonstigen Aufgaben ab. Noch zu klären" in text
        assert "Bestätigt: Gruppenraum 2. OG, donnerstags 19–21 Uhr" in text
        assert "Was noch zu klären ist" in text


def test_all_preconditions_open(app, renderer):
    data = {**load_data(SLUG), **dict.fromkeys(CONDITIONS, False)}
    for text in texts(CASE.render_form(app, renderer, data)):
        assert text.count("Noch zu klären") == 4
        assert "Bestätigt" not in text
        # A planned room is still named, but not as confirmed.
        assert "Noch zu klären (vorgesehen: Gruppenraum 2. OG" in text


def test_all_preconditions_confirmed(app, renderer):
    data = {**load_data(SLUG), **dict.fromkeys(CONDITIONS, True)}
    for text in texts(CASE.render_form(app, renderer, data)):
        assert "noch zu klären" not in text.lower()
        assert text.count("Bestätigt") == 4


def test_agreement_is_signed_by_both_sides(app, renderer):
    for text in texts(CASE.render_form(app, renderer, load_data(SLUG))):
        assert "Beratungsvereinbarung" in text
        assert "Für die Einrichtung Familien- und Erziehungsberatungsstelle Nord" in text
        assert "Für die Kontaktstelle Selbsthilfe-Kontaktstelle Westend (SKW)" in text
        assert "Die Beratung umfasst 6 Termine mit insgesamt 12 Stunden." in text
        assert "vom 1. März 2027 bis zum 30. Juni 2027" in text


def test_singular_forms(app, renderer):
    data = {**load_data(SLUG), "anzahl_termine": 1, "stunden_gesamt": 1}
    for text in texts(CASE.render_form(app, renderer, data)):
        assert "Die Beratung umfasst 1 Termin mit insgesamt 1 Stunde." in text


def test_without_contact_point_name(app, renderer):
    data = {**load_data(SLUG), "kontaktstelle": "", "mehrbelastung": ""}
    for text in texts(CASE.render_form(app, renderer, data)):
        assert "der beratenden Selbsthilfekontaktstelle" in text
        assert "Mehrbelastung" not in text
