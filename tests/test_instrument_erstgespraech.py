"""Erstgespräch: a Gesprächsnotiz without the founder's personal data, with a draft call for
members (Ausschreibungstext) built from topic, keywords and meeting times."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from helpers import docx_text, load_data, pdf_text, squash
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
)

SLUG = "erstgespraech"
CASE = InstrumentCase(SLUG, today=dt.date(2027, 3, 1))
MINIMAL = {
    "thema": "Leben mit Tinnitus",
    "stichworte": "Erfahrungen teilen\nTipps für den Alltag; Entspannung",
}


def call_for_members(pdf: bytes) -> str:
    """The PDF text from the draft call for members on."""
    text = pdf_text(pdf)
    return squash(text[text.index("Entwurf: Ausschreibungstext") :])


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


@pytest.mark.parametrize("missing", ["thema", "stichworte"])
def test_topic_and_keywords_are_required(client, missing):
    data = {k: v for k, v in load_data(SLUG).items() if k != missing}
    response = CASE.submit(client, data)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {missing: ["Bitte ausfüllen."]}


def test_invalid_weekday_is_rejected(client):
    response = CASE.submit(client, {**load_data(SLUG), "wochentag": "TH"})
    assert list(response.get_json()["errors"]) == ["wochentag"]


def test_no_fields_for_the_founders_identity(client):
    body = client.get("/api/v1/instruments").get_json()
    fields = next(i for i in body if i["slug"] == SLUG)["fields"]
    names = " ".join(f["name"] for f in fields)
    for word in ("name", "kontakt", "mail", "telefon", "adresse", "anschrift"):
        assert word not in names


def test_call_for_members_is_built_from_the_talk(app, renderer):
    docs = CASE.render_form(app, renderer, load_data(SLUG))
    call = call_for_members(docs["pdf"].content)
    assert "Neue Selbsthilfegruppe sucht Mitglieder" in call
    assert "Neuorientierung nach Trennung, Alltag mit Kindern, Umgang mit Konflikten" in call
    assert "Betroffene (Frauen ab 25)" in call
    assert "14-täglich donnerstags um 19:00 Uhr" in call
    assert "[Kontaktdaten der Kontaktstelle ergänzen]" in call
    # The assessment of the founder belongs to the note, never to the public text.
    assert "Sehr motiviert" not in call
    document = docx.Document(io.BytesIO(docs["docx"].content))
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets[-3:] == ["Austausch auf Augenhöhe", "gegenseitige Unterstützung", "vertraulich"]
    assert "14-täglich donnerstags um 19:00 Uhr" in squash(docx_text(docs["docx"].content))


def test_call_for_members_starts_on_its_own_page(app, renderer):
    pages = pdf_text(CASE.render_form(app, renderer, load_data(SLUG))["pdf"].content).split("\f")
    assert "Gesprächsnotiz" in pages[0]
    assert "Entwurf" not in pages[0] and "sucht Mitglieder" not in pages[0]
    assert any(page.lstrip().startswith("Entwurf: Ausschreibungstext") for page in pages[1:])


def test_minimal_talk_still_gives_a_usable_draft(app, renderer):
    docs = CASE.render_form(app, renderer, MINIMAL)
    call = call_for_members(docs["pdf"].content)
    for keyword in ("Erfahrungen teilen", "Tipps für den Alltag", "Entspannung"):
        assert keyword in call
    assert "Ort und Zeit werden beim ersten Treffen gemeinsam festgelegt." in call
    assert "Für wen" not in call
    note = squash(docx_text(docs["docx"].content))
    assert "Keine Angabe." in note and "Noch nicht vereinbart." in note
    assert docs["pdf"].filename == "2027-03-01_Gespraechsnotiz_Leben-mit-Tinnitus.pdf"


def test_short_name_is_the_first_phrase_of_the_topic():
    short_name = CASE.instrument.short_name
    assert short_name(load_data(SLUG)) == "Neuorientierung nach Trennung"
    long_topic = {"thema": "Selbsthilfe für pflegende Angehörige von Menschen mit Demenz"}
    assert short_name(long_topic) == "Selbsthilfe für pflegende Angehörige"
