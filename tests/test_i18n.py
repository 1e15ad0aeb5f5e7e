"""The web UI in German (default) and English: every UI text has an English translation,
the language follows ?lang=, a cookie or Accept-Language, and German wording is
gender-inclusive. Documents stay German whatever the UI language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from helpers import csrf_token

from toolbox.core.i18n import LANGUAGES, js_messages
from toolbox.instruments.registry import INSTRUMENTS

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "toolbox" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# Generic masculine forms the UI must not use (the gender star or a neutral form instead).
MASCULINE = re.compile(
    r"\b(Teilnehmer|Nutzer|Benutzer|Mitarbeiter|Ansprechpartner|Moderatoren|Moderator"
    r"|Administrator|Patienten|Klienten|Kollegen|Betreuer|Berater|Gründer|Initiator"
    r"|Vertreter|Leiter|Sprecher|Multiplikatoren|Beauftragter)(?![*\w])"
)


def catalogue():
    with PO.open("rb") as f:
        return read_po(f, abort_invalid=True)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """`make translations` compiles the catalogues; do it here too when they are missing
    or older than their .po (pytest run directly)."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as f:
                catalog = read_po(f)
            with mo.open("wb") as f:
                write_mo(f, catalog)


def test_every_ui_text_has_an_english_translation():
    problems = []
    for message in catalogue():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {message.id!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) != wanted:
                problems.append(f"placeholders differ: {message.id!r} → {s!r}")
    assert not problems, "\n".join(problems)
    assert not catalogue().obsolete, "obsolete entries: run make messages-update"


def test_the_catalogue_holds_every_text_in_the_sources(tmp_path):
    """Extract the messages from the code as `make messages-extract` does: each must be in
    the English catalogue (a text wrapped in _() but never translated fails here)."""
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "N_"]
        + ["-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as f:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue() if m.id}
    assert len(extracted) > 250
    missing = sorted(extracted - translated)
    assert not missing, f"not in the English catalogue (make messages-update): {missing}"


def test_the_scripts_texts_are_translated(app):
    with app.test_request_context("/?lang=de"):
        german = js_messages()
    with app.test_request_context("/?lang=en"):
        english = js_messages()
    assert german.keys() == english.keys()
    assert german["state.done"] == "Fertig" and english["state.done"] == "Done"
    same = [k for k in german if german[k] == english[k]]
    assert not same, same


def test_german_ui_texts_are_gender_inclusive():
    texts = [m.id if isinstance(m.id, str) else " ".join(m.id) for m in catalogue() if m.id]
    for instrument in INSTRUMENTS.values():
        texts += [instrument.title, instrument.description]
        stack = list(instrument.fields)
        while stack:
            f = stack.pop()
            texts += [f.label, f.help, f.row_label, *(label for _, label in f.choices)]
            stack.extend(f.fields)
    offending = sorted({t for t in texts if t and MASCULINE.search(t)})
    assert not offending, offending


# --- choosing the language -----------------------------------------------------------------


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_german_is_the_default(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "Arbeitsinstrumente für die Kooperation" in html
    assert "Accept-Language" in response.headers["Vary"]


def test_lang_parameter_switches_and_a_cookie_remembers(client):
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "Working instruments for cooperation" in text_of(response)
    assert "lang=en" in response.headers["Set-Cookie"]
    # the next page, without the parameter, is still English
    page = text_of(client.get("/login"))
    assert "Log in" in page and "Anmelden" not in page
    # and back
    assert "Arbeitsinstrumente für die Kooperation" in text_of(client.get("/?lang=de"))
    assert "Anmelden" in text_of(client.get("/login"))


@pytest.mark.parametrize(
    ("header", "english"),
    [("en-GB,en;q=0.9", True), ("en-US", True), ("de-DE,de;q=0.9,en;q=0.8", False), ("fr", False)],
)
def test_accept_language_picks_the_language(client, header, english):
    page = text_of(client.get("/", headers={"Accept-Language": header}))
    assert ("Working instruments" in page) is english


def test_every_page_has_a_switcher_to_the_same_page(client):
    for url in ("/", "/instrumente/kooperationsvereinbarung", "/login", "/ansprechpersonen"):
        html = client.get(url + "?q=x").get_data(as_text=True)
        nav = re.search(r'<nav class="language-switch".*?</nav>', html, re.S).group(0)
        for code, name in LANGUAGES.items():
            assert f'href="?q=x&amp;lang={code}"' in nav and f">{name}</a>" in nav, nav
        assert 'aria-current="true"' in nav


def test_english_form_translates_instrument_text_and_errors(client):
    url = "/instrumente/kooperationsvereinbarung?lang=en"
    html = client.get(url).get_data(as_text=True)
    assert "<h1>Cooperation agreement</h1>" in html  # tests/test_instrument_i18n.py: all of it
    assert "+ Add <span>Party</span>" in html
    assert "Submit and create documents" in html and "(required)" in html
    token = csrf_token(html)
    response = client.post(url, data={"csrf_token": token, "action": "submit"})
    page = text_of(response)
    assert response.status_code == 422
    assert "Please check your entries" in page and "Please fill in." in page
    assert "Bitte ausfüllen." not in page


def test_api_and_documents_stay_german_without_a_language(client):
    body = client.post(
        "/api/v1/submissions", json={"instrument": "kooperationsvereinbarung", "data": {}}
    ).get_json()
    assert "Bitte ausfüllen." in body["errors"]["ziele"]
