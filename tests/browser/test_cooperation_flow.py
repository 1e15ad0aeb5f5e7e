"""Issue 16 in a real browser on phones: an author submits a Kooperationsvereinbarung and
circulates it to its three parties; each party opens the link from the email that really
arrived over SMTP (aiosmtpd), sent by a real Celery worker. The self-help group asks for a
change, the author makes version 2 through "Korrigieren", all three agree by typed name,
function and checkbox, and the final PDF carries the three consents, the version and the
SHA-256 recomputed here. On the way: what a screen reader gets (accessible names, headings
in order, the agreement as real headings/lists/tables, answers and errors announced and
linked to their fields) and that nothing is wider than a 375 px screen."""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
from pathlib import Path

from helpers import load_data, pdf_text, squash
from playwright.sync_api import expect
from pypdf import PdfReader

from toolbox.cooperation.models import Circulation
from toolbox.instruments.registry import get_instrument

from .ui import PRIVATE_PAGE, SUBMIT, fill_instrument

SLUG = "kooperationsvereinbarung"
PHONE = {"width": 375, "height": 667}
LINK = re.compile(r"https?://[^\s]+(/z/[A-Za-z0-9_-]{43})")
PARTIES = [  # (email, name, function) of who signs for each party row, as in scenarios.md
    ("selbsthilfe@klinikum-westpark.example.org", "Dr. Erika Mustermann", "Chefärztin"),
    ("gruppe-angst@example.org", "Erika Beispiel", "Gruppensprecherin"),
    ("info@skw.example.org", "Max Beispiel", "Geschäftsführung"),
]
CHANGE = "Bitte ergänzen: Die Gruppe macht einen Infostand beim Selbsthilfetag."


def wait_for_messages(smtp_server, count: int, timeout: float = 60) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(smtp_server.messages) >= count:
            return smtp_server.parsed()
        time.sleep(0.05)
    raise TimeoutError(f"{len(smtp_server.messages)} of {count} messages arrived")


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def links_by_address(messages) -> dict[str, str]:
    return {m["To"]: LINK.search(body(m)).group(1) for m in messages}


def phone(new_context):
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    return context.new_page()


def assert_fits(page, what: str) -> None:
    """Nothing sticks out sideways on a 375 px phone."""
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{what} is {width[0]}px wide on a {width[1]}px screen"


def assert_headings_in_order(page, what: str) -> None:
    levels = page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
        "els => els.filter(e => e.checkVisibility()).map(e => +e.tagName[1])"
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1, (what, levels)
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{what}: h{before} followed by h{after} ({levels})"


def assert_controls_named(page, what: str) -> None:
    """Every control a person can reach has an accessible name (what a screen reader
    says when it gets there)."""
    controls = page.locator(
        "input:not([type=hidden]):visible, textarea:visible, select:visible, button:visible,"
        " a[href]:visible, summary:visible"
    )
    assert controls.count() > 0
    for control in controls.all():
        expect(control).to_have_accessible_name(re.compile(r"\w"))


def assert_agreement_readable(page) -> None:
    """The agreement is HTML with structure, not a picture of a document: its sections
    are headings, its enumerations lists, its contact table has column headers."""
    document = page.locator("section.agreement-document")
    expect(document.get_by_role("heading", name="§ 1 Gegenstand und Ziele")).to_be_visible()
    expect(document.get_by_role("heading", name="§ 2 Leistungen der Parteien")).to_be_visible()
    assert document.get_by_role("list").count() >= 3
    expect(document.get_by_role("listitem").first).to_be_visible()
    table = document.get_by_role("table").first
    expect(table.get_by_role("columnheader", name="Ansprechperson")).to_be_visible()
    snapshot = document.aria_snapshot()
    assert "Max Mustermann, Sozialdienst" in snapshot


def agree(page, name: str, function: str, party: str) -> None:
    page.get_by_role("textbox", name="Ihr vollständiger Name").fill(name)
    page.get_by_role("textbox", name="Ihre Funktion").fill(function)
    page.get_by_role("checkbox", name=f"Ich bin berechtigt, für {party} zu unterzeichnen.").tap()
    page.get_by_role("button", name="Zustimmen", exact=True).tap()
    note = page.locator("#answer-note")
    expect(note).to_contain_text("Ihre Zustimmung ist gespeichert")
    expect(note).to_be_focused()  # a screen reader reads it out at once
    expect(note).to_have_attribute("role", "status")


def test_three_parties_change_version_two_all_agree_on_phones(
    live_server, start_worker, smtp_server, new_context, tmp_path
):
    app = live_server.app
    start_worker(app, TOOLBOX_SMTP_URL=smtp_server.url, TOOLBOX_BASE_URL=live_server.url)
    data = load_data(SLUG)
    party_names = [p["name"] for p in data["parteien"]]

    # --- the author submits on a phone and circulates --------------------------------------
    author = phone(new_context)
    author.goto(f"/instrumente/{SLUG}")
    fill_instrument(author, get_instrument(SLUG), data)
    author.get_by_role("button", name=SUBMIT).tap()
    expect(author).to_have_url(PRIVATE_PAGE)
    expect(author.locator("#status")).to_have_text("Fertig", timeout=30_000)
    first_token = author.url.rsplit("/", 1)[1]
    assert_fits(author, "private page")
    author.get_by_role("link", name="Zur Abstimmung senden").tap()
    expect(author.get_by_role("heading", level=1)).to_contain_text("Zur Abstimmung senden")
    assert_fits(author, "circulate form")
    assert_controls_named(author, "circulate form")
    assert_headings_in_order(author, "circulate form")
    # a wrong address: named in the message, linked to the field, all input kept
    for (email, _, _), party in zip(PARTIES, party_names, strict=True):
        author.get_by_role("textbox", name=f"E-Mail für {party}").fill(email)
    second = author.get_by_role("textbox", name=f"E-Mail für {party_names[1]}")
    second.fill("gruppe-angst-example.org")
    author.get_by_role("button", name="Zur Abstimmung senden").tap()
    expect(second).to_have_attribute("aria-invalid", "true")
    expect(second).to_have_accessible_description(re.compile("Fehler:"))
    expect(second).to_have_value("gruppe-angst-example.org")
    expect(author.get_by_role("textbox", name=f"E-Mail für {party_names[0]}")).to_have_value(
        PARTIES[0][0]
    )
    expect(author.get_by_role("alert")).to_be_focused()
    assert_fits(author, "circulate form with an error")
    second.fill(PARTIES[1][0])
    author.get_by_role("button", name="Zur Abstimmung senden").tap()
    expect(author.locator("#circulation-state")).to_contain_text("In Abstimmung")
    expect(author.locator("#circulation-state")).to_be_focused()
    expect(author.get_by_text("eingeladen (Version 1)")).to_have_count(3)
    assert_fits(author, "private page with the circulation panel")
    assert_controls_named(author, "private page with the circulation panel")
    assert_headings_in_order(author, "private page with the circulation panel")

    invitations = wait_for_messages(smtp_server, 3)
    assert all(m["Subject"].startswith("Bitte um Zustimmung") for m in invitations)
    links = links_by_address(invitations)
    assert set(links) == {p[0] for p in PARTIES}
    klinik, gruppe, stelle = (phone(new_context) for _ in PARTIES)
    pages = dict(zip((p[0] for p in PARTIES), (klinik, gruppe, stelle), strict=True))

    # --- the parties open their links; the clinic agrees, the group asks for a change ------
    for email, party_page in pages.items():
        party_page.goto(live_server.url + links[email])
        expect(party_page.get_by_role("heading", level=1)).to_contain_text("Version 1")
    assert_fits(klinik, "party page")
    assert_headings_in_order(klinik, "party page")
    assert_controls_named(klinik, "party page")
    assert_agreement_readable(klinik)
    agree(klinik, *PARTIES[0][1:], party_names[0])
    assert_fits(klinik, "party page after consent")

    # errors: no name, box not ticked → announced, linked to the fields, input kept
    stelle.get_by_role("textbox", name="Ihre Funktion").fill(PARTIES[2][2])
    stelle.get_by_role("button", name="Zustimmen", exact=True).tap()
    summary = stelle.locator("#answer-errors")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    for field, message in (
        ("name", "Bitte geben Sie Ihren vollständigen Namen ein."),
        ("authorised", "Bitte bestätigen Sie, dass Sie berechtigt sind"),
    ):
        control = stelle.locator(f"#{field}")
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_accessible_description(re.compile(re.escape(message)))
        expect(summary.locator(f'a[href="#{field}"]')).to_contain_text(message)
    expect(stelle.get_by_role("textbox", name="Ihre Funktion")).to_have_value(PARTIES[2][2])
    summary.locator('a[href="#name"]').tap()
    expect(stelle.locator("#name")).to_be_focused()
    assert_fits(stelle, "party page with errors")
    assert_controls_named(stelle, "party page with errors")

    gruppe.get_by_role("textbox", name="Was soll geändert werden?").fill(CHANGE)
    gruppe.get_by_role("button", name="Änderung vorschlagen").tap()
    note = gruppe.locator("#answer-note")
    expect(note).to_contain_text("Ihr Änderungsvorschlag ist gespeichert")
    expect(note).to_be_focused()

    # --- the author sees it and makes version 2 through Korrigieren -------------------------
    author.reload()
    expect(author.get_by_text("zugestimmt (Version 1)")).to_have_count(1)
    expect(author.get_by_text("Änderung vorgeschlagen (Version 1)")).to_have_count(1)
    expect(author.locator(".change-request")).to_contain_text(CHANGE)
    author.get_by_role("link", name="Korrigieren", exact=True).tap()
    expect(author.locator('[name="parteien-2-name"]')).to_have_value(party_names[2])
    author.locator('input[name="leistungen_selbsthilfe"][value="infostand"]').check()
    author.get_by_role("button", name=SUBMIT).tap()
    expect(author).to_have_url(PRIVATE_PAGE)
    assert author.url.rsplit("/", 1)[1] != first_token
    expect(author.locator("#status")).to_have_text("Fertig", timeout=30_000)
    author.get_by_role("button", name="Als Version 2 an alle Parteien senden").tap()
    expect(author.locator("#circulation-state")).to_contain_text("aktuelle Version: 2")
    expect(author.get_by_text("eingeladen (Version 2)")).to_have_count(3)
    assert_fits(author, "private page, version 2")

    summaries = wait_for_messages(smtp_server, 6)[3:]
    assert all(m["Subject"].startswith("Neue Version 2") for m in summaries)
    assert links_by_address(summaries) == links  # the same personal link
    for message in summaries:
        assert "Leistungen der Selbsthilfe: hinzugefügt „Infostand“" in body(message)

    # --- all three agree to version 2 --------------------------------------------------------
    for (email, name, function), party in zip(PARTIES, party_names, strict=True):
        party_page = pages[email]
        party_page.goto(live_server.url + links[email])
        expect(party_page.get_by_role("heading", level=1)).to_contain_text("Version 2")
        expect(party_page.locator("#changes")).to_contain_text(
            "Leistungen der Selbsthilfe: hinzugefügt „Infostand“"
        )
        expect(party_page.get_by_role("link", name="Frühere Version 1 ansehen")).to_be_visible()
        agree(party_page, name, function, party)
    klinik.get_by_role("link", name="Frühere Version 1 ansehen").tap()
    expect(klinik.locator(".replaced-note")).to_contain_text("überholt")
    assert_fits(klinik, "version page")
    assert_headings_in_order(klinik, "version page")
    assert_agreement_readable(klinik)

    finals = wait_for_messages(smtp_server, 9)[6:]
    assert {m["To"] for m in finals} == set(links)
    assert all(m["Subject"].startswith("Endfassung") for m in finals)

    # --- the final PDF, downloaded by a party from its page ---------------------------------
    stelle.reload()
    link = stelle.get_by_role("link", name="Endfassung als PDF herunterladen")
    expect(link).to_be_visible()
    assert_fits(stelle, "party page, completed")
    assert_headings_in_order(stelle, "party page, completed")
    with stelle.expect_download() as download:
        link.tap()
    pdf = Path(download.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    last_page = squash(reader.pages[-1].extract_text())
    assert "Zustimmungsnachweis" in last_page
    text = pdf_text(pdf)
    proof = squash([p for p in text.split("\f") if p.strip()][-1])
    assert "Zustimmungsnachweis" in proof and "Endfassung, Version 2" in proof
    for party, (_, name, function) in zip(party_names, PARTIES, strict=True):
        assert squash(party) in proof or party.split(",")[0] in proof, party
        assert name in proof and function in proof
    assert proof.count("einfache elektronische Signatur") >= 3

    with app.app_context():
        circulation = Circulation.query.one()
        assert circulation.state == "completed" and circulation.version == 2
        agreed_payload = circulation.current.payload
    assert "infostand" in agreed_payload["leistungen_selbsthilfe"]
    canonical = json.dumps(
        {"instrument": SLUG, "version": 2, "payload": agreed_payload},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    recomputed = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert "".join(re.findall(r"\b[0-9a-f]{32}\b", text)) == recomputed
    # the mailed PDF is the one on the page
    attached = next(
        p.get_content()
        for p in finals[0].iter_attachments()
        if p.get_content_type().endswith("pdf")
    )
    assert attached == pdf
