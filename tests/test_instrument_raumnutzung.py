"""Raumnutzungsvereinbarung: times and dates in order, fee and deposit consistent, consent
for contact data, and the meetings as a recurring calendar series."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from dateutil.rrule import rrulestr
from helpers import load_data
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
    texts,
)

from toolbox.instruments.raumnutzung import first_meeting

SLUG = "raumnutzung"
CASE = InstrumentCase(SLUG, today=dt.date(2027, 1, 20))
BERLIN = "Europe/Berlin"


def errors_for(client, **change) -> dict:
    """The field errors of the scenario with ``change`` applied."""
    return CASE.errors_of(client, {**load_data(SLUG), **change})


def render(renderer, **change) -> dict:
    """The documents of the scenario with ``change`` applied."""
    return CASE.render(renderer, {**load_data(SLUG), **change})


def the_event(docs):
    (event,) = icalendar.Calendar.from_ical(docs["ics"].content).walk("VEVENT")
    return event


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


@pytest.mark.parametrize("end", ["17:00", "16:30"])
def test_end_must_be_after_start(client, end):
    assert errors_for(client, ende=end) == {"ende": ["Das Ende muss nach dem Beginn liegen."]}


@pytest.mark.parametrize("until", ["2027-02-02", "2027-01-15"])
def test_valid_until_must_be_after_valid_from(client, until):
    assert errors_for(client, gueltig_bis=until) == {
        "gueltig_bis": ["„gültig bis“ muss nach „gültig ab“ liegen."]
    }


def test_validity_must_contain_a_meeting(client):
    # From Wednesday 3 February the first "first Tuesday" is 2 March, after the end.
    errors = errors_for(client, gueltig_ab="2027-02-03", gueltig_bis="2027-02-28")
    assert errors == {"gueltig_bis": ["Zwischen „gültig ab“ und „gültig bis“ liegt kein Treffen."]}


@pytest.mark.parametrize("fee", ["pro_person", "pauschal"])
def test_amount_required_unless_free(client, fee):
    assert errors_for(client, entgelt=fee) == {
        "betrag": ["Bitte den Betrag angeben (oder „kostenfrei“ wählen)."]
    }


def test_no_amount_when_free(client):
    assert errors_for(client, entgelt="kostenfrei", betrag="5") == {
        "betrag": ["Bei kostenfreier Nutzung bitte keinen Betrag angeben."]
    }


@pytest.mark.parametrize("amount", ["0", "-2", "10000.01"])
def test_amount_range_is_explained(client, amount):
    assert errors_for(client, entgelt="pauschal", betrag=amount) == {
        "betrag": ["Bitte einen Betrag von 0,01 bis 10.000 € angeben."]
    }


@pytest.mark.parametrize("key", ["nein", None])
def test_deposit_only_with_a_key(client, key):
    assert errors_for(client, schluessel=key, pfand="20") == {
        "pfand": ["Ein Pfand gibt es nur, wenn die Gruppe einen Schlüssel erhält."]
    }


def test_contact_data_needs_consent(client):
    errors = errors_for(client, kontakt_einwilligung=False)
    assert list(errors) == ["kontakt_einwilligung"]
    assert (
        CASE.submit(
            client, {**load_data(SLUG), "kontakt": "", "kontakt_einwilligung": False}
        ).status_code
        == 202
    )


def test_house_rules_must_be_accepted(client):
    assert errors_for(client, hausordnung=False) == {"hausordnung": ["Bitte bestätigen."]}


def test_euro_amounts_and_key_clause(renderer):
    docs = render(renderer, schluessel="ja", pfand="20", entgelt="pro_person", betrag="3.5")
    for text in texts(docs):
        assert (
            "Die Gruppe erhält einen Schlüssel. Dafür hinterlegt sie ein Pfand von 20,00 €" in text
        )
        assert "Das Entgelt beträgt 3,50 € pro Person und Treffen." in text
        assert "kostenfrei" not in text


def test_undecided_key_is_open(renderer):
    for text in texts(render(renderer, schluessel=None)):
        assert "Noch zu klären: ob die Gruppe einen Schlüssel erhält." in text


def test_free_use_and_open_ended_validity(renderer):
    for text in texts(render(renderer)):
        assert "Die Nutzung ist für die Gruppe kostenfrei." in text
        assert "ab 2. Februar 2027, unbefristet" in text
        assert "Kontaktperson: Erika Beispiel, gruppe-angst@example.org" in text
        assert "17:00 Uhr bis 19:00 Uhr" in text


def test_calendar_is_a_monthly_series_on_the_first_tuesday(renderer):
    event = the_event(render(renderer))
    start = event.decoded("dtstart")
    assert start == dt.datetime(2027, 2, 2, 17, 0, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == BERLIN
    assert event.decoded("dtend").time() == dt.time(19, 0)
    rule = event["rrule"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["1TU"]
    assert "UNTIL" not in rule and "INTERVAL" not in rule
    assert "E.04" in str(event["location"])


def occurrences(event) -> list[dt.date]:
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart"))
    return [d.date() for d in rule]


def test_calendar_series_ends_at_valid_until(renderer):
    event = the_event(render(renderer, gueltig_bis="2027-06-30"))
    until = event["rrule"]["UNTIL"][0]
    assert until.tzinfo is not None and until.utcoffset() == dt.timedelta(0)
    assert occurrences(event) == [
        dt.date(2027, 2, 2),
        dt.date(2027, 3, 2),
        dt.date(2027, 4, 6),
        dt.date(2027, 5, 4),
        dt.date(2027, 6, 1),
    ]


def test_calendar_fortnightly_starts_on_the_first_matching_weekday(renderer):
    # 1 April 2027 is a Thursday; from Friday 2 April the first Thursday is 8 April.
    event = the_event(
        render(
            renderer,
            wochentag="TH",
            turnus="vierzehntaeglich",
            gueltig_ab="2027-04-02",
            gueltig_bis="2027-05-31",
            beginn="19:00",
            ende="21:00",
        )
    )
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2] and rule["BYDAY"] == ["TH"]
    assert occurrences(event) == [
        dt.date(2027, 4, 8),
        dt.date(2027, 4, 22),
        dt.date(2027, 5, 6),
        dt.date(2027, 5, 20),
    ]
    assert event.decoded("dtstart").time() == dt.time(19, 0)


@pytest.mark.parametrize(
    ("valid_from", "weekday", "turnus", "expected"),
    [
        ("2027-02-02", "TU", "woechentlich", "2027-02-02"),
        ("2027-02-03", "TU", "woechentlich", "2027-02-09"),
        ("2027-02-02", "TU", "monatlich_3", "2027-02-16"),
        ("2027-02-17", "TU", "monatlich_3", "2027-03-16"),
        ("2027-02-02", "TU", "monatlich_letzter", "2027-02-23"),
        ("2027-03-01", "MO", "monatlich_letzter", "2027-03-29"),
        ("2027-03-30", "TU", "monatlich_letzter", "2027-03-30"),
    ],
)
def test_first_meeting_follows_the_rule(valid_from, weekday, turnus, expected):
    day = first_meeting(dt.date.fromisoformat(valid_from), weekday, turnus)
    assert day == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(("name", "value"), [("wochentag", "DI"), ("turnus", "jaehrlich")])
def test_unknown_series_choice_is_a_field_error(client, name, value):
    errors = errors_for(client, **{name: value, "gueltig_bis": "2027-12-31"})
    assert list(errors) == [name]
