"""Protokoll des Gründungstreffens: head count with the funding threshold, date order,
open agreements shown as such."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from helpers import load_data
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
    texts,
)

SLUG = "gruendungsprotokoll"
CASE = InstrumentCase(SLUG, today=dt.date(2027, 4, 9))
INSTRUMENT = CASE.instrument
RANGE_MESSAGE = "Bitte die Zahl der Teilnehmenden angeben: mindestens 1, höchstens 500."


def shows_head_count(text: str, count: int) -> bool:
    """The number stands next to its label (pdftotext may put it before or after)."""
    label = "Teilnehmende am Gründungstreffen"
    return bool(re.search(rf"(?<!\d){count} {label}|{label} {count}(?!\d)", text))


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


@pytest.mark.parametrize("count", [0, -3, 501])
def test_head_count_out_of_range_is_explained(client, count):
    data = {**load_data(SLUG), "anzahl_teilnehmende": count}
    response = CASE.submit(client, data)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"anzahl_teilnehmende": [RANGE_MESSAGE]}


def test_head_count_is_required(client):
    data = load_data(SLUG)
    del data["anzahl_teilnehmende"]
    errors = CASE.submit(client, data).get_json()["errors"]
    assert errors == {"anzahl_teilnehmende": ["Bitte ausfüllen."]}


@pytest.mark.parametrize("following", ["2027-04-08", "2027-04-01"])
def test_next_meeting_must_follow_the_founding_meeting(client, following):
    data = {**load_data(SLUG), "naechster_termin": following}
    errors = CASE.submit(client, data).get_json()["errors"]
    assert errors == {
        "naechster_termin": ["Der nächste Termin muss nach dem Gründungstreffen liegen."]
    }


@pytest.mark.parametrize(("count", "missing"), [(1, 5), (4, 2), (5, 1)])
def test_head_count_below_funding_threshold_is_flagged(renderer, count, missing):
    payload = {**load_data(SLUG), "anzahl_teilnehmende": count}
    for text in texts(CASE.render(renderer, payload)):
        assert shows_head_count(text, count)
        assert f"ist noch nicht erreicht (es fehlen {missing})" in text


@pytest.mark.parametrize("count", [6, 9])
def test_head_count_at_funding_threshold_is_confirmed(renderer, count):
    payload = {**load_data(SLUG), "anzahl_teilnehmende": count}
    for text in texts(CASE.render(renderer, payload)):
        assert shows_head_count(text, count)
        assert "Die Mindestzahl von 6 Mitgliedern" in text
        assert "Krankenkassen ist erreicht" in text
        assert "noch nicht erreicht" not in text


def test_open_agreements_show_as_open(renderer):
    payload = load_data(SLUG)
    for name in ("turnus", "uhrzeit", "raum", "kontaktperson", "gruppenform"):
        payload[name] = None
    payload["gruppenregeln"] = []
    payload["gruppenregeln_text"] = ""
    for text in texts(CASE.render(renderer, payload)):
        assert text.count("noch offen") == 5
        assert "Noch keine Gruppenregeln vereinbart." in text
        assert "um 19:00 Uhr" not in text


def test_own_group_rules_become_list_items(renderer):
    payload = {**load_data(SLUG), "gruppenregeln_text": "Handys aus\n\nKeine Ratschläge"}
    docx_t, pdf_t = texts(CASE.render(renderer, payload))
    for text in (docx_t, pdf_t):
        assert "Handys aus" in text and "Keine Ratschläge" in text
        assert "Verschwiegenheit: Was in der Gruppe gesagt wird" in text


def test_file_name_uses_the_group(renderer):
    docs = renderer.render(INSTRUMENT, load_data(SLUG), today=dt.date(2027, 4, 9))
    assert {d.filename for d in docs} == {
        "2027-04-09_Protokoll-des-Gruendungstreffens_Frauen-nach-Trennung.docx",
        "2027-04-09_Protokoll-des-Gruendungstreffens_Frauen-nach-Trennung.pdf",
    }
