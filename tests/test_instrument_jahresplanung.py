"""Jahresplanung: a sensible year, every date inside it, the planning sheet by month and an
.ics file with one all-day event per date."""

from __future__ import annotations

import copy
import datetime as dt
import io

import docx
import icalendar
import pytest
from helpers import load_data, loose, pdf_text
from instruments_support import (
    InstrumentCase,
    renderer_fixture,  # noqa: F401 - provides the renderer fixture
)

SLUG = "jahresplanung"
CASE = InstrumentCase(SLUG, today=dt.date(2026, 11, 22))


def test_scenario_is_accepted(client):
    assert CASE.submit(client, load_data(SLUG)).status_code == 202


@pytest.mark.parametrize("datum", ["2026-12-31", "2028-01-01"])
def test_dates_must_lie_in_the_year(client, datum):
    data = copy.deepcopy(load_data(SLUG))
    data["termine"][1]["datum"] = datum
    assert CASE.errors_of(client, data) == {
        "termine-1-datum": ["Der Termin muss im Jahr 2027 liegen."]
    }


def test_message_names_the_chosen_year(client):
    data = {**load_data(SLUG), "jahr": 2028}
    errors = CASE.errors_of(client, data)
    assert len(errors) == len(data["termine"])
    assert errors["termine-0-datum"] == ["Der Termin muss im Jahr 2028 liegen."]


@pytest.mark.parametrize("jahr", [1999, 2101, 27])
def test_year_in_sensible_range(client, jahr):
    # Only the year is reported: its dates cannot be checked against a wrong year.
    assert CASE.errors_of(client, {**load_data(SLUG), "jahr": jahr}) == {
        "jahr": ["Bitte ein Jahr zwischen 2000 und 2100 angeben."]
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"jahr": "zweitausend"}, "jahr"),
        ({"kooperation": ""}, "kooperation"),
        ({"termine": []}, "termine"),
    ],
)
def test_required_values(client, change, field):
    assert field in CASE.errors_of(client, {**load_data(SLUG), **change})


@pytest.mark.parametrize(("sub", "value"), [("art", None), ("art", "party"), ("status", "x")])
def test_row_choices(client, sub, value):
    data = copy.deepcopy(load_data(SLUG))
    data["termine"][2][sub] = value
    assert list(CASE.errors_of(client, data)) == [f"termine-2-{sub}"]


def sheet_rows(content: bytes) -> list[str]:
    """The planning table of the DOCX, one string per row (a merged cell counts once)."""
    table = docx.Document(io.BytesIO(content)).tables[0]
    rows = []
    for row in table.rows:
        cells = list({id(c._tc): c.text for c in row.cells}.values())
        rows.append(" | ".join(cells))
    return rows


def test_sheet_lists_all_months_in_order_and_dates_sorted(app, renderer):
    data = copy.deepcopy(load_data(SLUG))
    data["termine"].reverse()
    docs = CASE.render_form(app, renderer, data)
    assert sheet_rows(docs["docx"].content) == [
        "Datum | Art | Ort | verantwortlich | Status",
        "Januar – keine Termine",
        "Februar",
        "Di. 2. Februar 2027 | Sprechstunde der Selbsthilfe | Klinikum am Westpark, Raum E.04 "
        "| Selbsthilfegruppe | bestätigt",
        "März",
        "Sa. 6. März 2027 | Infostand/Selbsthilfetag | Selbsthilfetag, Marienplatz München "
        "| SKW | geplant",
        "April – keine Termine",
        "Mai – keine Termine",
        "Juni – keine Termine",
        "Juli",
        "Mi. 14. Juli 2027 | Austauschtreffen | Klinikum am Westpark | SKW (Moderation) | geplant",
        "August – keine Termine",
        "September – keine Termine",
        "Oktober",
        "Mi. 20. Oktober 2027 | Fortbildung für Mitarbeitende | Klinikum am Westpark, Hörsaal "
        "| Sozialdienst der Klinik | geplant",
        "November – keine Termine",
        "Dezember",
        "Mi. 15. Dezember 2027 | Überprüfung der Vereinbarung "
        "| Selbsthilfe-Kontaktstelle Westend | alle Parteien | vorbereitet",
    ]
    pdf_t = loose(pdf_text(docs["pdf"].content))
    assert pdf_t.count("– keine Termine") == 7
    order = [pdf_t.index(m) for m in ("Januar", "Februar", "April", "Juli", "Dezember")]
    assert order == sorted(order)
    days = [pdf_t.index(d) for d in ("2. Februar 2027", "14. Juli 2027", "15. Dezember 2027")]
    assert days == sorted(days)
    assert pdf_t.index("Juli") < pdf_t.index("14. Juli 2027") < pdf_t.index("August")


def test_two_dates_in_one_month_share_its_heading(app, renderer):
    data = copy.deepcopy(load_data(SLUG))
    data["termine"].append({"datum": "2027-07-01", "art": "sprechstunde"})
    rows = sheet_rows(CASE.render_form(app, renderer, data)["docx"].content)
    july = rows.index("Juli")
    assert rows[july + 1].startswith("Do. 1. Juli 2027 | Sprechstunde")
    assert rows[july + 2].startswith("Mi. 14. Juli 2027 | Austauschtreffen")
    assert rows[july + 3] == "August – keine Termine"


def test_calendar_has_one_all_day_event_per_date(app, renderer):
    data = copy.deepcopy(load_data(SLUG))
    data["termine"].append({"datum": "2027-11-03", "art": "sonstiges"})
    docs = CASE.render_form(app, renderer, data)
    calendar = icalendar.Calendar.from_ical(docs["ics"].content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    rows = sorted(data["termine"], key=lambda t: t["datum"])
    assert len(events) == len(rows)
    for event, row in zip(events, rows, strict=True):
        start = event.decoded("dtstart")
        assert not isinstance(start, dt.datetime)
        assert start == dt.date.fromisoformat(row["datum"])
        assert event.decoded("dtend") == start + dt.timedelta(days=1)
        assert str(event["summary"]).endswith(f"({data['kooperation']})")
        assert str(event.get("location", "")) == row.get("ort", "")
    assert str(events[0]["summary"]) == (
        "Sprechstunde der Selbsthilfe (Kooperation Westpark – Angst & Panik)"
    )
    assert str(events[-2]["summary"]).startswith("Termin (")  # "sonstiges" reads badly
    assert "Status: vorbereitet" in str(events[-1]["description"])


def test_file_names_start_with_the_year(app, renderer):
    docs = CASE.render_form(app, renderer, load_data(SLUG))
    assert docs["ics"].filename == (
        "2026-11-22_Jahresplanung-der-Kooperation_2027-Kooperation-Westpark-Angst-Panik.ics"
    )
