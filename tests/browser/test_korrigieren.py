"""Korrigieren in a real browser: from the private page to the prefilled form, one row
fixed, submitted; the new page says what it replaces and the old one links to it."""

from __future__ import annotations

import re

from helpers import form_submit, load_data
from playwright.sync_api import expect

from toolbox.submissions.models import Submission

from .ui import (
    PRIVATE_PAGE,
    SUBMIT,
    assert_accessible,
    expected_payload,
    list_rows,
    stored_payload,
)

SLUG = "kooperationsvereinbarung"


def test_korrigieren_from_the_private_page(page, live_server):
    data = load_data(SLUG)
    old_token = form_submit(live_server.app.test_client(), SLUG, data)
    page.goto(f"/s/{old_token}")
    page.get_by_role("link", name="Korrigieren", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/instrumente/{SLUG}\?korrektur="))
    expect(page.locator("#correction-note")).to_contain_text("alle Angaben der Fassung vom")
    # every row is there, with what was typed
    expect(list_rows(page, "parteien")).to_have_count(len(data["parteien"]))
    second = page.locator('[name="parteien-1-name"]')
    expect(second).to_have_value(data["parteien"][1]["name"])
    expect(page.locator('[name="ort"]')).to_have_value(data["ort"])
    second.fill(data["parteien"][1]["name"] + " e. V.")
    page.get_by_role("button", name=SUBMIT).click()

    expect(page).to_have_url(PRIVATE_PAGE)
    new_token = page.url.rsplit("/", 1)[1]
    assert new_token != old_token
    expect(page.locator("#replaces-note")).to_contain_text("ersetzt die Fassung vom")
    assert_accessible(page, "private page of a correction")
    expected = expected_payload(live_server.app, SLUG, data)
    expected["parteien"][1]["name"] += " e. V."
    assert stored_payload(live_server.app, page) == expected
    with live_server.app.app_context():
        new = Submission.query.filter_by(token=new_token).one()
        assert new.replaces.token == old_token

    page.get_by_role("link", name="Bisherige Fassung ansehen").click()
    expect(page).to_have_url(re.compile(rf"/s/{old_token}$"))
    expect(page.locator("#replaced-note")).to_contain_text("Diese Fassung wurde korrigiert")
    page.get_by_role("link", name="Zur neuen Fassung").click()
    expect(page).to_have_url(re.compile(rf"/s/{new_token}$"))
