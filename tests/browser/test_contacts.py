"""Maintaining the contact directory in a real browser: add with errors first, import and
export CSV, edit, delete, take a suggestion in; every page checked with axe."""

from __future__ import annotations

import re

from helpers import CONTACTS_CSV, PASSWORD
from playwright.sync_api import expect

from toolbox.accounts.service import create_user

from .ui import assert_accessible, log_in, screenshots


def log_in_as_admin(page, live_server, email="leitung@kontaktstelle.example.org") -> None:
    with live_server.app.app_context():
        create_user(email, PASSWORD, is_admin=True)
    log_in(page, email, PASSWORD)


def test_directory_is_maintained_in_the_dashboard(page, live_server, tmp_path, screenshot_dir):
    log_in_as_admin(page, live_server)
    page.get_by_role("link", name="Ansprechpersonen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzeichnis der Ansprechpersonen")
    expect(page.get_by_text("Das Verzeichnis ist noch leer.")).to_be_visible()
    assert_accessible(page, "directory, empty")

    page.get_by_role("link", name="Neuer Eintrag").click()
    page.get_by_label("Dienstliche E-Mail").fill("keine-adresse")
    page.get_by_role("button", name="Eintrag anlegen").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Organisation: Bitte ausfüllen.")
    expect(summary).to_contain_text("Art: Bitte auswählen.")
    expect(page.get_by_label("Dienstliche E-Mail")).to_have_value("keine-adresse")
    assert_accessible(page, "new entry with errors")
    screenshots(page, screenshot_dir, "contacts-new-errors")

    page.get_by_label("Organisation").fill("Gesundheitsamt Landkreis Nord")
    page.get_by_label("sonstige").check()
    page.get_by_label("Funktion").fill("Gesundheitsförderung")
    page.get_by_label("Dienstliche E-Mail").fill("gf@ga-nord.example.org")
    page.get_by_label("Zuständigkeit").fill("Landkreis Nord")
    page.get_by_role("button", name="Eintrag anlegen").click()
    expect(
        page.get_by_text("„Gesundheitsamt Landkreis Nord“ steht jetzt im Verzeichnis.")
    ).to_be_visible()

    path = tmp_path / "kontakte.csv"
    path.write_text(CONTACTS_CSV, encoding="utf-8")
    bad = tmp_path / "fehler.csv"
    bad.write_text(CONTACTS_CSV + "Ohne Art;;;\n", encoding="utf-8")
    page.get_by_role("link", name="CSV-Datei importieren").click()
    assert_accessible(page, "import")
    page.get_by_label("CSV-Datei").set_input_files(bad)
    page.get_by_role("button", name="Datei importieren").click()
    expect(page.locator("#error-summary")).to_contain_text("Zeile 5: Art: Bitte auswählen.")
    assert_accessible(page, "import with errors")
    screenshots(page, screenshot_dir, "contacts-import-errors")
    page.get_by_label("CSV-Datei").set_input_files(path)
    page.get_by_role("button", name="Datei importieren").click()
    expect(page.get_by_text("3 Einträge übernommen.")).to_be_visible()
    table = page.locator("table.contact-table tbody tr")
    expect(table).to_have_count(4)
    assert_accessible(page, "directory with entries")
    screenshots(page, screenshot_dir, "contacts-dashboard")

    with page.expect_download() as download:
        page.get_by_role("link", name="Verzeichnis als CSV herunterladen").click()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d_Ansprechpersonen\.csv", download.value.suggested_filename)
    exported = download.value.path().read_text(encoding="utf-8-sig")
    assert "Gesundheitsamt Landkreis Nord;sonstige;Gesundheitsförderung" in exported

    page.get_by_role("link", name="Bearbeiten (Klinikum am Westpark)").click()
    expect(page.get_by_label("Organisation")).to_have_value("Klinikum am Westpark")
    page.get_by_label("Funktion").fill("Sozialdienst, Selbsthilfebeauftragte")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(
        page.get_by_text("Die Änderungen an „Klinikum am Westpark“ sind gespeichert.")
    ).to_be_visible()

    page.get_by_role("link", name="Löschen (Landesarbeitsgemeinschaft Selbsthilfe)").click()
    assert_accessible(page, "delete entry")
    page.get_by_role("button", name="Endgültig löschen").click()
    expect(page.get_by_text("wurde aus dem Verzeichnis gelöscht")).to_be_visible()
    expect(table).to_have_count(3)

    page.goto("/ansprechpersonen")
    expect(page.get_by_text("Sozialdienst, Selbsthilfebeauftragte")).to_be_visible()
    expect(page.get_by_text("Landesarbeitsgemeinschaft")).to_have_count(0)


def test_a_suggestion_from_the_public_form_is_taken_in(page, live_server):
    page.goto("/instrumente/ansprechpersonen")
    page.get_by_label("Organisation").fill("Selbsthilfe-Kontaktstelle Westend")
    page.get_by_label("Kontaktstelle", exact=True).check()
    page.get_by_label("Zuständigkeit").fill("München West, alle Themen")
    page.get_by_label(re.compile("^Die Angaben sind dienstliche Kontaktdaten")).check()
    page.get_by_role("button", name="Absenden und Dokumente erstellen").click()
    expect(page).to_have_url(re.compile(r"/s/"))

    log_in_as_admin(page, live_server)
    page.locator("#submissions tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("button", name="Einträge ins Verzeichnis übernehmen").click()
    expect(page.get_by_text("1 Eintrag übernommen.")).to_be_visible()
    assert_accessible(page, "suggestion taken in")
    page.get_by_role("link", name="Ansprechpersonen").click()
    expect(page.locator("table.contact-table tbody tr")).to_have_count(1)
    expect(page.locator("table.contact-table")).to_contain_text("München West, alle Themen")
