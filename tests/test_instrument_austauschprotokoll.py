"""Protokoll des Austauschtreffens: participants and agenda required, action plan areas from
the agreement, dates in order, agenda numbered in the documents."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import docx
import pytest
from helpers import load_data
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
    texts,
)

from toolbox.instruments import kooperationsvereinbarung as agreement

SLUG = "austauschprotokoll"
CASE = InstrumentCase(SLUG, today=dt.date(2027, 7, 15))
INSTRUMENT = CASE.instrument
ACTION = "Flyer in die Aufnahmemappe"  # the first action of the scenario


def action_rows(content: bytes) -> list[dict[str, str]]:
    """The rows of the DOCX action plan, each cell under its column heading."""
    document = docx.Document(io.BytesIO(content))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Status")
    headings = [cell.text for cell in table.rows[0].cells]
    return [dict(zip(headings, (c.text for c in row.cells), strict=True)) for row in table.rows[1:]]


def pdf_layout_lines(content: bytes) -> list[str]:
    """The PDF text as pdftotext lays it out (-layout): a table row reads along a line."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode().splitlines()


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


def test_areas_are_the_agreements_contributions():
    area = INSTRUMENT.field("massnahmen").fields[0]
    contributions = (
        agreement.LEISTUNGEN_EINRICHTUNG
        + agreement.LEISTUNGEN_SELBSTHILFE
        + agreement.LEISTUNGEN_KONTAKTSTELLE
    )
    assert [code for code, _ in area.choices] == [code for code, _ in contributions]
    for (_, label), (_, original) in zip(area.choices, contributions, strict=True):
        assert label.endswith(original)


def test_unknown_area_is_rejected(client):
    data = load_data(SLUG)
    data["massnahmen"][0]["bereich"] = "kaffeekasse"
    assert list(CASE.errors_of(client, data)) == ["massnahmen-0-bereich"]


@pytest.mark.parametrize("name", ["teilnehmende", "tagesordnung"])
def test_participants_and_agenda_need_a_row(client, name):
    data = {**load_data(SLUG), name: []}
    assert CASE.errors_of(client, data)[name] == ["Bitte mindestens eine Zeile ausfüllen."]


def test_action_row_needs_all_required_columns(client):
    data = load_data(SLUG)
    data["massnahmen"].append({"massnahme": "Infostand planen"})
    errors = CASE.errors_of(client, data)
    assert set(errors) == {
        "massnahmen-2-bereich",
        "massnahmen-2-ziel",
        "massnahmen-2-verantwortlich",
        "massnahmen-2-bis",
    }


@pytest.mark.parametrize("following", ["2027-07-14", "2027-06-30"])
def test_next_meeting_must_follow(client, following):
    data = {**load_data(SLUG), "naechstes_treffen": following}
    assert CASE.errors_of(client, data) == {
        "naechstes_treffen": ["Das nächste Treffen muss nach diesem Treffen liegen."]
    }


@pytest.mark.parametrize("status", ["geplant", None, ""])
def test_planned_action_needs_a_deadline_after_the_meeting(client, status):
    data = load_data(SLUG)
    data["massnahmen"][1].update(bis="2027-07-01", status=status)
    assert CASE.errors_of(client, data) == {
        "massnahmen-1-bis": ["Eine geplante Maßnahme braucht eine Frist ab dem Tag des Treffens."]
    }


@pytest.mark.parametrize("status", ["umgesetzt", "ueberprueft"])
def test_finished_action_may_have_a_past_deadline(client, status):
    data = load_data(SLUG)
    data["massnahmen"][1].update(bis="2027-07-01", status=status)
    assert CASE.submit(client, data).status_code == 202


def test_agenda_is_numbered_and_plan_is_complete(renderer):
    payload = load_data(SLUG)
    for text in texts(CASE.render(renderer, payload)):
        assert "1. Rückblick Sprechstunde 2. Flyer 3. Fortbildungstag" in text
        assert "TOP 1 Rückblick Sprechstunde" in text
        assert "TOP 3" not in text  # no result recorded for it
        assert (
            "1 · Bereich: Einrichtung – regelmäßiger Hinweis an Patient*innen/Klient*innen "
            "auf Selbsthilfe" in text
        )
        assert "30. September 2027" in text
        assert "überprüft" not in text


def test_action_without_status_counts_as_planned(renderer):
    payload = load_data(SLUG)
    payload["massnahmen"] = payload["massnahmen"][:1]
    payload["massnahmen"][0]["status"] = None
    docs = CASE.render(renderer, payload)
    docx_t, pdf_t = texts(docs)
    assert "Pflegeleitung Station 3 30. September 2027 geplant" in docx_t
    # "geplant" may stand elsewhere too: the status is the one in this action's row.
    [row] = [r for r in action_rows(docs["docx"].content) if r["Maßnahme"] == ACTION]
    assert row["verantwortlich"] == "Pflegeleitung Station 3"
    assert row["bis"] == "30. September 2027"
    assert row["Status"] == "geplant"
    # pdftotext reads table cells in layout order; check the cells, not their sequence
    for cell in ("Pflegeleitung Station 3", "30. September 2027"):
        assert cell in pdf_t
    # With the layout kept, the row's first line ends in its last column, the status.
    [line] = [line for line in pdf_layout_lines(docs["pdf"].content) if ACTION in line]
    assert line.split()[-1] == "geplant"


def test_minutes_without_actions_or_next_date(renderer):
    payload = {**load_data(SLUG), "massnahmen": [], "naechstes_treffen": None}
    for text in texts(CASE.render(renderer, payload)):
        assert "Bei diesem Treffen wurden keine Maßnahmen vereinbart." in text
        assert "steht noch nicht fest" in text
        assert "verantwortlich" not in text
