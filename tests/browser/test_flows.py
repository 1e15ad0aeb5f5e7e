"""What people do with the toolbox, in a real browser against the real app and worker:
fill instruments (adding and removing rows), watch the private page become "Fertig",
download the documents, fix validation errors, save and resume drafts, follow submissions on
the dashboard. The same main flow again with JavaScript switched off."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from helpers import PASSWORD, docx_text, load_data, loose, pdf_text
from playwright.sync_api import expect
from pypdf import PdfReader

from toolbox.accounts.service import create_user
from toolbox.instruments.registry import INSTRUMENTS, get_instrument

from .ui import (
    PRIVATE_PAGE,
    SUBMIT,
    assert_accessible,
    assert_accessible_without_js,
    expected_payload,
    fill_instrument,
    list_rows,
    screenshots,
    stored_payload,
)

SLUG = "kooperationsvereinbarung"


def download(page, link_name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def assert_tagged_pdf(content: bytes, title: str) -> None:
    """PDF/UA-1: tagged (MarkInfo, StructTreeRoot), document language German, a title
    shown in the viewer's title bar, and the PDF/UA identification in the XMP metadata."""
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower().startswith("de")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title.startswith(title), reader.metadata.title
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


def rows_legends(page, list_name: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", t).strip()
        for t in list_rows(page, list_name).locator("> legend").all_inner_texts()
    ]


# --- the agreement, with JavaScript ---------------------------------------------------------


def test_agreement_rows_live_status_and_downloads(page, live_server, start_worker, screenshot_dir):
    data = load_data(SLUG)
    posts = []
    # (the live preview asks the server for the document: not sending the form)
    page.on(
        "request",
        lambda r: (
            posts.append(r.url) if r.method == "POST" and not r.url.endswith("/vorschau") else None
        ),
    )
    page.goto(f"/instrumente/{SLUG}")
    assert len(list_rows(page, "parteien").all()) == 2  # an agreement needs two parties

    # a third party and a second contact person are added in place, without a request
    fill_instrument(page, get_instrument(SLUG), data)
    assert rows_legends(page, "parteien") == ["Partei 1", "Partei 2", "Partei 3"]
    # one more contact person, then the second one removed again: rows renumber
    page.get_by_role("button", name="+ Ansprechperson hinzufügen").click()
    expect(list_rows(page, "ansprechpersonen")).to_have_count(3)
    new_row = list_rows(page, "ansprechpersonen").nth(2)
    expect(new_row.locator("input").first).to_be_focused()
    extra = {"partei": "Klinikum am Westpark", "person": "Anna Vertretung", "vertretung": ""}
    for key, value in extra.items():
        new_row.locator(f'[name$="-{key}"]').fill(value)
    page.get_by_role("button", name="Ansprechperson 2 entfernen").click()
    expect(list_rows(page, "ansprechpersonen")).to_have_count(2)
    assert rows_legends(page, "ansprechpersonen") == ["Ansprechperson 1", "Ansprechperson 2"]
    expect(page.locator('fieldset[data-list="ansprechpersonen"] .row-notice')).to_have_text(
        "Ansprechperson entfernt."
    )
    expect(page.get_by_role("button", name="+ Ansprechperson hinzufügen")).to_be_focused()
    assert posts == [], "adding and removing rows must not send the form"
    screenshots(page, screenshot_dir, "agreement-filled")

    # no worker yet: the private page shows the queue …
    page.get_by_role("button", name=SUBMIT).click()
    expect(page).to_have_url(PRIVATE_PAGE)
    expect(page.locator("#status")).to_have_text("In Warteschlange")
    assert_accessible(page, "private page, queued")
    screenshots(page, screenshot_dir, "private-queued")
    navigations = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else 0)

    # … and moves to "Fertig" on its own once a worker runs, without reloading
    start_worker(live_server.app)
    expect(page.locator("#status")).to_have_text("Fertig", timeout=60_000)
    expect(page.get_by_role("link", name="PDF herunterladen")).to_be_visible()
    assert navigations == []
    assert page.locator("#status").get_attribute("aria-live") == "polite"
    assert_accessible(page, "private page, done")
    screenshots(page, screenshot_dir, "private-done")

    expected = data | {"ansprechpersonen": [data["ansprechpersonen"][0], extra]}
    assert stored_payload(live_server.app, page) == expected_payload(
        live_server.app, SLUG, expected
    )

    name, content = download(page, "DOCX herunterladen")
    assert name.endswith(".docx") and "Kooperationsvereinbarung" in name
    text = docx_text(content)
    assert "Anna Vertretung" in text and "Selbsthilfe-Kontaktstelle Westend (SKW)" in text
    assert "Max Beispiel, info@skw.example.org" not in text  # the removed row is gone
    name, content = download(page, "PDF herunterladen")
    assert name.endswith(".pdf")
    assert_tagged_pdf(content, "Kooperationsvereinbarung")
    assert loose("Anna Vertretung") in loose(pdf_text(content))


# --- every instrument -------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(INSTRUMENTS))
def test_every_instrument_from_form_to_tagged_pdf(page, live_server, worker, slug):
    instrument = get_instrument(slug)
    data = load_data(slug)
    page.goto(f"/instrumente/{slug}")
    fill_instrument(page, instrument, data)
    page.get_by_role("button", name=SUBMIT).click()
    expect(page).to_have_url(PRIVATE_PAGE)
    expect(page.locator("#status")).to_have_text("Fertig", timeout=60_000)
    assert stored_payload(live_server.app, page) == expected_payload(live_server.app, slug, data)
    _, content = download(page, "PDF herunterladen")
    assert_tagged_pdf(content, instrument.document_title)
    name, content = download(page, "DOCX herunterladen")
    assert name.endswith(".docx") and content[:2] == b"PK"


# --- errors -----------------------------------------------------------------------------------


def test_validation_errors_next_to_fields_and_in_a_linked_summary(page, screenshot_dir):
    data = load_data(SLUG)
    del data["ziele"]
    del data["austausch"]  # radio buttons: the link leads to the group's first choice
    data["naechste_ueberpruefung"] = "2027-01-01"  # before the start: a cross-field rule
    data["parteien"] = data["parteien"][:2]
    data["parteien"][1]["name"] = ""
    page.goto(f"/instrumente/{SLUG}")
    fill_instrument(page, get_instrument(SLUG), data)
    page.get_by_role("button", name=SUBMIT).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()  # screen readers start with the list of problems
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    targets = [link.get_attribute("href") for link in links.all()]
    assert {"#ziele", "#austausch", "#parteien-1-name", "#naechste_ueberpruefung"} <= set(targets)
    # input is kept
    expect(page.locator('[name="parteien-0-name"]')).to_have_value(data["parteien"][0]["name"])
    assert_accessible(page, "agreement with errors")
    screenshots(page, screenshot_dir, "agreement-errors")

    for link in links.all():
        target = link.get_attribute("href")[1:]
        link.click()
        field = page.locator(f'[id="{target}"]')
        # the message sits next to the field and is part of its accessible description
        error = page.locator(f'[id="{target}-error"]')
        expect(error).to_be_visible()
        assert error.inner_text().strip().startswith("Fehler:")
        assert f"{target}-error" in (field.get_attribute("aria-describedby") or "")
        # the link moves the keyboard focus to the field (or the group's first choice)
        focused = page.evaluate("document.activeElement.id")
        assert focused == target or focused.startswith(f"{target}-"), (target, focused)
        page.locator("#error-summary").scroll_into_view_if_needed()

    page.locator("#ziele").fill(load_data(SLUG)["ziele"])
    page.locator('[name="parteien-1-name"]').fill("Gruppe Zitronenfalter")
    page.locator("#naechste_ueberpruefung").fill("2028-01-15")
    page.get_by_role("radio", name="halbjährlich").check()
    page.get_by_role("button", name=SUBMIT).click()
    expect(page).to_have_url(PRIVATE_PAGE)


# --- drafts -----------------------------------------------------------------------------------


def test_draft_is_saved_and_resumed_elsewhere(new_context, live_server, worker, screenshot_dir):
    page = new_context().new_page()
    data = load_data("raumnutzung")
    instrument = get_instrument("raumnutzung")
    page.goto("/instrumente/raumnutzung")
    half = {k: v for k, v in data.items() if k in ("raumgeber", "raum", "ausstattung", "gruppe")}
    fill_instrument(page, instrument, half)
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page).to_have_url(re.compile(r"/entwurf/[\w-]{40,}\?gespeichert=1$"))
    expect(page.get_by_role("heading", name="Entwurf gespeichert")).to_be_visible()
    link = page.locator("a.draft-link").get_attribute("href")
    assert_accessible(page, "draft page")
    screenshots(page, screenshot_dir, "draft")

    # the link alone (another device: no cookies) brings everything back
    other = new_context().new_page()
    other.goto(link)
    expect(other.get_by_role("heading", name="Ihr Entwurf")).to_be_visible()
    expect(other.locator("#raumgeber")).to_have_value(data["raumgeber"])
    expect(other.locator("#gruppe")).to_have_value(data["gruppe"])
    for value in data["ausstattung"]:
        expect(other.locator(f'input[name="ausstattung"][value="{value}"]')).to_be_checked()
    fill_instrument(other, instrument, data)
    other.get_by_role("button", name=SUBMIT).click()
    expect(other).to_have_url(PRIVATE_PAGE)
    expect(other.locator("#status")).to_have_text("Fertig", timeout=60_000)
    assert stored_payload(live_server.app, other) == expected_payload(
        live_server.app, "raumnutzung", data
    )
    # a submitted draft is gone
    assert other.goto(link).status == 404


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_login_and_live_state_change(
    new_context, live_server, start_worker, screenshot_dir
):
    with live_server.app.app_context():
        create_user("leitung@kontaktstelle.example.org", PASSWORD, is_admin=True)
    page = new_context().new_page()
    response = page.request.post(
        "/api/v1/submissions", data={"instrument": SLUG, "data": load_data(SLUG)}
    )
    assert response.status == 202

    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("E-Mail-Adresse").fill("leitung@kontaktstelle.example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1, name="Einreichungen")).to_be_visible()
    row = page.locator("#submissions tbody tr").first
    expect(row.locator("[data-col=state]")).to_have_text("In Warteschlange")
    assert_accessible(page, "dashboard")
    screenshots(page, screenshot_dir, "dashboard")

    start_worker(live_server.app)
    expect(row.locator("[data-col=state]")).to_have_text("Fertig", timeout=60_000)
    expect(row.locator("[data-col=documents] a")).to_have_count(2)
    expect(page.locator("#live-status")).to_contain_text("Fertig")
    expect(page.locator("[data-count=done]")).to_have_text("1")

    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Verlauf")).to_be_visible()
    assert_accessible(page, "submission detail")
    screenshots(page, screenshot_dir, "dashboard-detail")
    page.get_by_role("link", name="Einreichung löschen …").click()
    assert_accessible(page, "delete confirmation")
    page.get_by_role("link", name="Konten").click()
    expect(page.get_by_role("heading", level=1, name="Konten")).to_be_visible()
    assert_accessible(page, "accounts")
    screenshots(page, screenshot_dir, "accounts")
    page.get_by_role("link", name="Passwort setzen").first.click()
    assert_accessible(page, "set password")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_text("Sie sind abgemeldet.")).to_be_visible()
    assert_accessible(page, "login after logout")


# --- without JavaScript -----------------------------------------------------------------------


def test_main_flow_without_javascript(new_context, live_server, start_worker, screenshot_dir):
    page = new_context(java_script_enabled=False).new_page()
    axe_page = new_context().new_page()
    data = load_data(SLUG)
    page.goto(f"/instrumente/{SLUG}")
    # "+ Partei hinzufügen" sends the form; the server answers with one more row and
    # everything typed so far kept
    first = data["parteien"][0]
    page.locator('[name="parteien-0-name"]').fill(first["name"])
    page.get_by_role("button", name="+ Partei hinzufügen").click()
    expect(list_rows(page, "parteien")).to_have_count(3)
    expect(page.locator('[name="parteien-0-name"]')).to_have_value(first["name"])
    expect(page.locator('fieldset[data-list="parteien"] .row-notice')).to_have_text(
        "Partei hinzugefügt."
    )
    # a fourth row, removed again by its own button
    page.get_by_role("button", name="+ Partei hinzufügen").click()
    expect(list_rows(page, "parteien")).to_have_count(4)
    page.get_by_role("button", name="Partei 4 entfernen").click()
    expect(list_rows(page, "parteien")).to_have_count(3)
    fill_instrument(page, get_instrument(SLUG), data)
    assert_accessible_without_js(page, axe_page, "agreement without JavaScript")

    page.get_by_role("button", name=SUBMIT).click()
    expect(page).to_have_url(PRIVATE_PAGE)
    expect(page.locator("#status")).to_have_text("In Warteschlange")
    refresh = page.get_by_role("link", name="Seite aktualisieren")
    expect(refresh).to_be_visible()
    assert_accessible_without_js(page, axe_page, "private page without JavaScript")
    screenshots(page, screenshot_dir, "private-queued-nojs")

    # the page refreshes itself (meta refresh) until the documents are there
    start_worker(live_server.app)
    expect(page.locator("#status")).to_have_text("Fertig", timeout=60_000)
    expect(refresh).to_have_count(0)
    assert stored_payload(live_server.app, page) == expected_payload(live_server.app, SLUG, data)
    _, content = download(page, "PDF herunterladen")
    assert_tagged_pdf(content, "Kooperationsvereinbarung")
