"""The live preview beside the form, and the finished document as a web page, in a real
browser: it follows typing, never has two requests in flight, works without JavaScript and
by keyboard, and axe finds nothing, in the German and the English UI."""

from __future__ import annotations

import io
import time

import pypdf
import pytest
from helpers import load_data
from playwright.sync_api import expect

from .ui import assert_accessible, assert_accessible_without_js, screenshots

SLUG = "kooperationsvereinbarung"
FORM = f"/instrumente/{SLUG}"
PHONE = {"width": 375, "height": 740}


def watch_previews(page) -> dict:
    """Counts preview requests and the most that were in flight at once."""
    seen = {"sent": 0, "open": 0, "most": 0}

    def started(request):
        if request.url.endswith("/vorschau"):
            seen["sent"] += 1
            seen["open"] += 1
            seen["most"] = max(seen["most"], seen["open"])

    def ended(request):
        if request.url.endswith("/vorschau"):
            seen["open"] -= 1

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    return seen


def test_preview_follows_typing_within_a_second(page, screenshot_dir):
    seen = watch_previews(page)
    page.goto(FORM)
    preview = page.locator("#preview-document")
    expect(preview.get_by_role("heading", name="Kooperationsvereinbarung")).to_be_visible()
    place = preview.locator(".place-date")
    expect(place.locator(".blank-value")).to_have_count(2)  # place and date still open

    field = page.locator('[name="ort"]')
    field.press_sequentially("Musterstadt", delay=40)
    started = time.monotonic()
    expect(place).to_contain_text("Musterstadt", timeout=1000)
    assert time.monotonic() - started < 1.0
    expect(place.locator(".blank-value")).to_have_count(1)

    field.fill("")
    expect(place).not_to_contain_text("Musterstadt", timeout=1000)
    expect(place.locator(".blank-value")).to_have_count(2)  # the empty line is back

    # hostile text stays text
    field.fill('<img src=x onerror="document.title=1">')
    expect(place).to_contain_text("<img src=x", timeout=1000)
    assert place.locator("img").count() == 0

    # a pause, then one polite message; the document region itself is not live
    expect(page.locator("#preview-status")).to_have_text("Vorschau aktualisiert.")
    assert preview.get_attribute("aria-live") is None
    assert seen["most"] == 1, seen  # one request in flight at a time
    assert seen["sent"] < 12, seen  # not one per keystroke
    screenshots(page, screenshot_dir, "form-with-preview")


def test_form_with_preview_has_no_axe_violations_german_and_english(new_context, screenshot_dir):
    for lang in ("de", "en"):
        page = new_context().new_page()
        page.goto(f"{FORM}?lang={lang}")
        data = load_data(SLUG)
        page.locator('[name="parteien-0-name"]').fill(data["parteien"][0]["name"])
        page.locator('[name="ziele"]').fill(data["ziele"])
        preview = page.locator("#preview-document")
        expect(preview).to_contain_text(data["parteien"][0]["name"])
        expect(preview.locator("article")).to_have_attribute("lang", "de")
        assert_accessible(page, f"form with preview ({lang})")
        screenshots(page, screenshot_dir, f"form-preview-{lang}")


def test_on_a_phone_the_preview_waits_behind_its_toggle(new_context, screenshot_dir):
    page = new_context(viewport=PHONE).new_page()
    seen = watch_previews(page)
    page.goto(FORM)
    details = page.locator("#preview-details")
    expect(details).not_to_have_attribute("open", "")
    page.locator('[name="ort"]').fill("Musterstadt")
    page.wait_for_timeout(800)
    assert seen["sent"] == 0  # closed: nothing is fetched
    # below the fields
    form_box = page.locator("#instrument-form").bounding_box()
    assert details.bounding_box()["y"] > form_box["y"] + form_box["height"] - 1
    page.locator("#preview-details > summary").click()
    expect(page.locator("#preview-document .place-date")).to_contain_text("Musterstadt")
    assert_accessible(page, "form with preview on a phone")
    screenshots(page, screenshot_dir, "form-preview-phone", widths=(375,))


def test_keyboard_only_preview_button(page):
    page.goto(FORM)
    page.locator('[name="ort"]').fill("Tastenstadt")
    button = page.get_by_role("button", name="Vorschau anzeigen")
    button.focus()
    page.keyboard.press("Enter")
    preview = page.locator("#preview-document")
    expect(preview).to_be_focused()
    expect(preview).to_contain_text("Tastenstadt")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#preview-details > summary")).to_be_focused()


def test_without_javascript_the_button_shows_the_preview(new_context, screenshot_dir):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(FORM)
    data = load_data(SLUG)
    page.locator('[name="parteien-0-name"]').fill(data["parteien"][0]["name"])
    page.locator('[name="ort"]').fill("Ohneskript")
    page.get_by_role("button", name="Vorschau anzeigen").click()
    expect(page.locator("#preview-details")).to_have_attribute("open", "")
    preview = page.locator("#preview-document")
    expect(preview.locator(".place-date")).to_contain_text("Ohneskript")
    expect(preview).to_contain_text(data["parteien"][0]["name"])
    # the input is kept and nothing was submitted
    expect(page.locator('[name="ort"]')).to_have_value("Ohneskript")
    expect(page).to_have_url(f"{page.url.split('/instrumente')[0]}{FORM}")
    assert page.locator("#error-summary").count() == 0
    assert_accessible_without_js(page, new_context().new_page(), "form with preview, no JS")
    screenshots(page, screenshot_dir, "form-preview-nojs")


def test_a_draft_shows_its_values_in_the_preview(page):
    page.goto(FORM)
    page.locator('[name="ort"]').fill("Entwurfsstadt")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.get_by_role("heading", name="Entwurf gespeichert")).to_be_visible()
    expect(page.locator("#preview-document .place-date")).to_contain_text("Entwurfsstadt")


def submitted(live_server, slug: str = SLUG) -> str:
    client = live_server.app.test_client()
    body = {"instrument": slug, "data": load_data(slug)}
    response = client.post("/api/v1/submissions", json=body)
    assert response.status_code == 202
    return response.get_json()["token"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_document_as_a_web_page(new_context, live_server, screenshot_dir, lang):
    token = submitted(live_server)
    page = new_context().new_page()
    page.goto(f"/s/{token}?lang={lang}")
    link = "Als Webseite lesen" if lang == "de" else "Read as a web page"
    page.get_by_role("link", name=link).click()
    expect(page).to_have_url(f"{live_server.url}/s/{token}/webseite")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kooperationsvereinbarung")
    expect(page.get_by_role("heading", level=2, name="§ 1 Gegenstand und Ziele")).to_be_visible()
    header = page.get_by_role("columnheader", name="Ansprechperson")
    expect(header).to_have_attribute("scope", "col")
    back = "Zurück zu Ihrer Seite" if lang == "de" else "Back to your page"
    expect(page.get_by_role("link", name=back)).to_be_visible()
    assert_accessible(page, f"document as a web page ({lang})")
    screenshots(page, screenshot_dir, f"document-web-{lang}")

    # printed: the document alone, on the PDF's A4 pages
    page.emulate_media(media="print")
    expect(page.locator(".document-nav")).to_be_hidden()
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in pt
    assert "Kooperationsvereinbarung" in pdf.pages[0].extract_text()
