"""The English UI in the browser: chosen with the switcher, kept across pages, the scripts'
texts in English too, still accessible (German instrument text marked lang="de")."""

from __future__ import annotations

from helpers import load_data
from playwright.sync_api import expect

from toolbox.instruments.registry import get_instrument

from .ui import PRIVATE_PAGE, assert_accessible, fill_instrument, screenshots

SLUG = "kooperationsvereinbarung"


def test_english_ui_from_switcher_to_finished_documents(
    page, live_server, start_worker, screenshot_dir
):
    page.goto("/")
    page.get_by_role("navigation", name="Sprache").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Working instruments for cooperation")
    switcher = page.get_by_role("navigation", name="Language")
    expect(switcher.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    assert_accessible(page, "English start page")
    screenshots(page, screenshot_dir, "start-en")

    page.get_by_role("link", name="Cooperation agreement").click()
    expect(page.locator("h1")).to_have_text("Cooperation agreement")  # the form speaks English
    page.get_by_role("button", name="Submit and create documents").click()
    expect(page.locator("#error-summary h2")).to_have_text("Please check your entries")
    assert_accessible(page, "English form with errors")
    screenshots(page, screenshot_dir, "form-en-errors")

    # the scripts speak English too
    page.get_by_role("button", name="+ Add Party").click()
    notice = page.locator('fieldset[data-list="parteien"] .row-notice')
    expect(notice).to_have_text("Party 3 added.")
    page.get_by_role("button", name="Remove Party 3").click()
    expect(notice).to_have_text("Party removed.")

    fill_instrument(page, get_instrument(SLUG), load_data(SLUG))
    page.get_by_role("button", name="Submit and create documents").click()
    expect(page).to_have_url(PRIVATE_PAGE)
    expect(page.locator("#status")).to_have_text("Queued")
    start_worker(live_server.app)
    expect(page.locator("#status")).to_have_text("Done", timeout=60_000)
    expect(page.locator("#status-detail")).to_have_text("Your documents are ready.")
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    assert_accessible(page, "English private page")

    # back to German: one click, and it stays German
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    expect(page.locator("#status")).to_have_text("Fertig")
    page.goto("/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")


def test_browser_language_english_is_used_without_choosing(new_context, live_server):
    page = new_context(locale="en-GB").new_page()
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page, "English login")
