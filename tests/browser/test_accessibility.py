"""axe-core finds nothing on any page type; the layout holds at 375 and 1280 px."""

from __future__ import annotations

import pytest

from toolbox.instruments.registry import INSTRUMENTS

from .ui import assert_accessible, screenshots


def test_start_page(page, screenshot_dir):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page, "start page")
    screenshots(page, screenshot_dir, "start")


@pytest.mark.parametrize("slug", list(INSTRUMENTS))
def test_instrument_form_and_its_error_state(page, screenshot_dir, slug):
    page.goto(f"/instrumente/{slug}")
    assert_accessible(page, f"form {slug}")
    screenshots(page, screenshot_dir, f"form-{slug}")
    page.get_by_role("button", name="Absenden und Dokumente erstellen").click()
    page.wait_for_selector("#error-summary")
    assert_accessible(page, f"form {slug} with errors")
    screenshots(page, screenshot_dir, f"form-{slug}-errors")


def test_contacts_page(page, screenshot_dir):
    page.goto("/ansprechpersonen")
    assert_accessible(page, "contacts")
    screenshots(page, screenshot_dir, "contacts")


def test_login_page_also_with_an_error(page, screenshot_dir):
    page.goto("/login")
    assert_accessible(page, "login")
    page.get_by_label("E-Mail-Adresse").fill("niemand@example.org")
    page.get_by_label("Passwort").fill("falsch-falsch-falsch")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("#login-error")
    assert_accessible(page, "login with error")
    screenshots(page, screenshot_dir, "login-error")


def test_error_page(page):
    page.goto("/gibt-es-nicht")
    assert_accessible(page, "404 page")
