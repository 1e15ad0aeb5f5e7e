"""Reflexion: the period in order, goals rated, the report summarises the ratings, an open
adjustment question shows as "noch zu klären", and every participant gets a signature line."""

from __future__ import annotations

import copy
import datetime as dt
import io

import docx
import pytest
from helpers import load_data, squash
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
    texts,
)

SLUG = "reflexion"
CASE = InstrumentCase(SLUG, today=dt.date(2026, 11, 22))


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


@pytest.mark.parametrize("von", ["2028-01-31", "2028-03-01"])
def test_period_must_end_after_it_starts(client, von):
    data = {**load_data(SLUG), "zeitraum_von": von}
    assert CASE.errors_of(client, data) == {
        "zeitraum_bis": ["Das Ende des Zeitraums muss nach dem Beginn liegen."]
    }


def test_period_start_is_optional(client):
    data = load_data(SLUG)
    del data["zeitraum_von"]
    assert CASE.submit(client, data).status_code == 202


def test_at_least_one_goal(client):
    data = {**load_data(SLUG), "ziele": []}
    assert "ziele" in CASE.errors_of(client, data)


@pytest.mark.parametrize("rating", [None, "super"])
def test_every_goal_is_rated(client, rating):
    data = copy.deepcopy(load_data(SLUG))
    data["ziele"][1]["zielerreichung"] = rating
    assert list(CASE.errors_of(client, data)) == ["ziele-1-zielerreichung"]


def test_at_least_two_participants_with_date(client):
    data = copy.deepcopy(load_data(SLUG))
    data["beteiligte"] = [data["beteiligte"][0]]
    assert "beteiligte" in CASE.errors_of(client, data)
    data = copy.deepcopy(load_data(SLUG))
    del data["beteiligte"][1]["datum"]
    assert list(CASE.errors_of(client, data)) == ["beteiligte-1-datum"]


def test_adjustment_needs_a_description(client):
    data = {**load_data(SLUG), "anpassung": "ja", "anpassung_welche": ""}
    assert CASE.errors_of(client, data) == {
        "anpassung_welche": ["Bitte beschreiben, welche Anpassung nötig ist."]
    }
    data["anpassung"] = "nein"
    assert CASE.submit(client, data).status_code == 202


@pytest.mark.parametrize(
    ("ratings", "summary"),
    [
        (["ueberwiegend", "vollstaendig", "teilweise"], "2 von 3 Zielen"),
        (["nicht", "teilweise"], "0 von 2 Zielen"),
        (["vollstaendig"], "1 von 1 Ziel."),
        (["vollstaendig", "vollstaendig", "ueberwiegend", "nicht"], "3 von 4 Zielen"),
    ],
)
def test_report_summarises_the_ratings(app, renderer, ratings, summary):
    data = load_data(SLUG)
    data["ziele"] = [
        {"ziel": f"Ziel Nummer {i}", "zielerreichung": r} for i, r in enumerate(ratings, 1)
    ]
    for text in texts(CASE.render_form(app, renderer, data)):
        assert f"Mindestens überwiegend erreicht: {summary}" in text


def test_ratings_are_counted_per_level(app, renderer):
    data = load_data(SLUG)
    data["ziele"] = [
        {"ziel": "A", "zielerreichung": "teilweise"},
        {"ziel": "B", "zielerreichung": "teilweise"},
        {"ziel": "C", "zielerreichung": "vollstaendig"},
    ]
    document = docx.Document(io.BytesIO(CASE.render_form(app, renderer, data)["docx"].content))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Anzahl Ziele")
    counts = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
    assert counts == {
        "vollständig erreicht": "1",
        "überwiegend erreicht": "0",
        "teilweise erreicht": "2",
        "nicht erreicht": "0",
    }


@pytest.mark.parametrize(("answer", "is_open"), [(None, True), ("nein", False), ("ja", False)])
def test_open_adjustment_question_is_marked(app, renderer, answer, is_open):
    data = {**load_data(SLUG), "anpassung": answer}
    if answer != "ja":
        data["anpassung_welche"] = ""
    for text in texts(CASE.render_form(app, renderer, data)):
        assert ("Noch zu klären" in text) is is_open


def test_one_signature_line_per_participant(app, renderer):
    data = load_data(SLUG)
    docs = CASE.render_form(app, renderer, data)
    docx_t, pdf_t = texts(docs)
    for text in (docx_t, pdf_t):
        assert text.count("Datum: ") == len(data["beteiligte"])
        assert "Datum: 10. Februar 2028" in text
    signatures = docx_t[docx_t.index("tragen diesen Bericht mit") :]
    for person in data["beteiligte"]:
        assert squash(person["name"]) in signatures
    assert docx_t.count("_" * 45) == len(data["beteiligte"])


def test_file_name_names_the_years_under_review(app, renderer):
    docs = CASE.render_form(app, renderer, load_data(SLUG))
    assert docs["pdf"].filename == "2026-11-22_Bewertungsbericht-zur-Kooperation_2027-2028.pdf"
    assert set(docs) == {"docx", "pdf"}
