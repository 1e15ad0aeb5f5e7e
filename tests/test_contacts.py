"""The contact directory: CSV import/export, public search, directory documents."""

from __future__ import annotations

import csv
import io

from helpers import CONTACTS_CSV, docx_text, pdf_text

from toolbox.contacts.directory import rebuild
from toolbox.contacts.models import Contact
from toolbox.ops.cli import cli


def run_import(runner, tmp_path, text, *args):
    path = tmp_path / "kontakte.csv"
    path.write_text(text, encoding="utf-8")
    return runner.invoke(cli, ["contacts", "import", str(path), *args])


def test_import_search_and_export_round_trip(app, client, runner, tmp_path):
    result = run_import(runner, tmp_path, "\ufeff" + CONTACTS_CSV)
    assert result.exit_code == 0, result.output
    assert "3 Einträge übernommen." in result.output

    page = client.get("/ansprechpersonen?q=klinik").get_data(as_text=True)
    assert "Klinikum am Westpark" in page and "Landesarbeitsgemeinschaft" not in page
    page = client.get("/ansprechpersonen?q=bayern").get_data(as_text=True)
    assert "Landesarbeitsgemeinschaft Selbsthilfe" in page
    assert "3 Einträge." in client.get("/ansprechpersonen").get_data(as_text=True)

    out = tmp_path / "export.csv"
    result = runner.invoke(cli, ["contacts", "export", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisation" and len(rows) == 4
    assert [r[5] for r in rows if r[0].startswith("Selbst")] == ["Ganghoferstraße 5\n80339 München"]
    assert {r[1] for r in rows[1:]} == {
        "Kontaktstelle",
        "Landesstelle/Dachverband",
        "Selbsthilfebeauftragte*r einer Klinik",
    }
    # re-import of the export with --replace gives the same directory
    result = runner.invoke(cli, ["contacts", "import", str(out), "--replace"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert Contact.query.count() == 3


def test_import_is_all_or_nothing_with_line_numbers(app, runner, tmp_path):
    bad = CONTACTS_CSV + "Ohne Art;;;\nGesundheitsamt;sonstige;;keine-mail;;;\n"
    result = run_import(runner, tmp_path, bad)
    assert result.exit_code == 1
    assert "Zeile 5: Art: Bitte auswählen." in result.output
    assert "Zeile 6: E-Mail: Bitte eine gültige E-Mail-Adresse angeben." in result.output
    with app.app_context():
        assert Contact.query.count() == 0
    result = run_import(runner, tmp_path, "Name;Ort\nx;y\n")
    assert result.exit_code == 1 and "Spalte fehlt: Organisation, Art" in result.output


def test_directory_downloads(app, client, runner, tmp_path):
    run_import(runner, tmp_path, CONTACTS_CSV)
    with app.app_context():
        rebuild()  # what the worker does (tests/test_directory_cache.py)
    pdf = client.get("/ansprechpersonen/verzeichnis.pdf")
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert "Verzeichnis der Ansprechpersonen" in text and "Landesarbeitsgemeinschaft" in text
    docx = client.get("/ansprechpersonen/verzeichnis.docx")
    assert "info@skw.example.org" in docx_text(docx.data)
    assert client.get("/ansprechpersonen/verzeichnis.txt").status_code == 404


def test_entries_can_be_submitted_through_the_api(client):
    one = {
        "eintraege": [{"organisation": "Kontaktstelle Nord", "typ": "kontaktstelle"}],
        "einwilligung": True,
    }
    response = client.post(
        "/api/v1/submissions", json={"instrument": "ansprechpersonen", "data": one}
    )
    assert response.status_code == 202
    no_consent = {**one, "einwilligung": False}
    response = client.post(
        "/api/v1/submissions", json={"instrument": "ansprechpersonen", "data": no_consent}
    )
    assert response.get_json()["errors"] == {"einwilligung": ["Bitte bestätigen."]}
