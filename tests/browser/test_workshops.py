"""A facilitator's workshop in the browser: create it, a participant fills a form through
the workshop link, the kit is built and its progress shown live, then downloaded."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from helpers import PASSWORD, load_data
from playwright.sync_api import expect

from toolbox.accounts.service import create_user
from toolbox.instruments.registry import get_instrument

from .ui import PRIVATE_PAGE, SUBMIT, assert_accessible, fill_instrument, log_in, screenshots

EMAIL = "moderation@kontaktstelle.example.org"


def test_workshop_link_submission_and_kit(new_context, live_server, worker, screenshot_dir):
    with live_server.app.app_context():
        create_user(EMAIL, PASSWORD)
    page = new_context().new_page()
    log_in(page, EMAIL, PASSWORD)

    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Workshops").click()
    expect(page.get_by_role("heading", level=1, name="Workshops")).to_be_visible()
    assert_accessible(page, "workshops, none yet")
    page.get_by_role("link", name="Neuer Workshop").click()
    assert_accessible(page, "new workshop")
    page.get_by_role("button", name="Workshop anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte einen Titel angeben.")
    assert_accessible(page, "new workshop with errors")
    screenshots(page, screenshot_dir, "workshop-errors")

    page.get_by_label("Titel des Workshops").fill("Selbsthilfefreundliche Klinik")
    page.get_by_label("Datum").fill("2027-03-10")
    page.locator("#place").fill("Klinikum am Westpark")
    page.get_by_label("Raumnutzungsvereinbarung").check()
    page.get_by_label("Kooperationsvereinbarung").check()
    page.get_by_role("button", name="Workshop anlegen").click()
    expect(
        page.get_by_role("heading", level=1, name="Selbsthilfefreundliche Klinik")
    ).to_be_visible()
    assert_accessible(page, "workshop detail")
    screenshots(page, screenshot_dir, "workshop-detail")
    detail_url = page.url
    link = page.locator(".participant-link a").get_attribute("href")
    link = re.sub(r"^https?://[^/]+", "", link)  # TOOLBOX_BASE_URL is not the test server

    # a participant on another device opens the link and fills the room agreement
    participant = new_context().new_page()
    participant.goto(link)
    assert_accessible(participant, "participant page")
    screenshots(participant, screenshot_dir, "workshop-participant")
    participant.get_by_role("link", name="Raumnutzungsvereinbarung").click()
    fill_instrument(participant, get_instrument("raumnutzung"), load_data("raumnutzung"))
    participant.get_by_role("button", name=SUBMIT).click()
    expect(participant).to_have_url(PRIVATE_PAGE)
    expect(participant.locator("#status")).to_have_text("Fertig", timeout=60_000)

    # the facilitator builds the kit and watches it without reloading
    page.goto(detail_url)
    expect(page.get_by_role("heading", name="Einreichungen (1)")).to_be_visible()
    navigations = []
    page.on("framenavigated", lambda f: navigations.append(f.url) if f == page.main_frame else 0)
    page.get_by_role("button", name="Kit erstellen").click()
    expect(page).to_have_url(re.compile(re.escape(detail_url)))
    navigations.clear()  # the button posts the form; from here on the page stays
    download_link = page.get_by_role("link", name="Kit herunterladen")
    expect(download_link).to_be_visible(timeout=90_000)
    expect(page.locator("#kit-live")).to_contain_text("fertig")
    # right after building, the kit is current: the "veraltet" badge is in the page but hidden
    expect(page.locator('[data-kit="outdated"]')).to_be_hidden()
    assert navigations == []
    page.reload()  # also as rendered by the server
    expect(page.locator('[data-kit="outdated"]')).to_have_count(1)
    expect(page.locator('[data-kit="outdated"]')).to_be_hidden()
    assert_accessible(page, "workshop detail, kit done")
    screenshots(page, screenshot_dir, "workshop-kit-done")

    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as kit:
        names = kit.namelist()
    assert any(n.endswith(".pdf") and "Raumnutzungsvereinbarung" in n for n in names), names
    assert any(n.endswith(".html") for n in names), names

    page.get_by_role("link", name="QR-Code im Vollbild zeigen (zum Projizieren)").click()
    assert_accessible(page, "projection")
    page.go_back()
    page.get_by_role("link", name="Bearbeiten").click()
    assert_accessible(page, "edit workshop")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Workshops").click()
    assert_accessible(page, "workshops list")
    screenshots(page, screenshot_dir, "workshops")
