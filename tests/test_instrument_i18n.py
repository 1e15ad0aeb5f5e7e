"""The English UI translates the instruments' form texts too (issue 19, item 12): labels,
help texts, choices, row labels and rule messages come from the same catalogue, while
documents (worker, preview, web page) stay German whatever language the UI speaks."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext
from helpers import docx_text, load_data, pdf_text, squash

from toolbox.core.i18n import _in_catalogue, ui
from toolbox.instruments.messages import instrument_messages
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.submissions.models import Document, Submission
from toolbox.submissions.tasks import render_job

ROOT = Path(__file__).resolve().parent.parent
SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-row-label"}


class _Texts(HTMLParser):
    """Every text node and every human-readable attribute of a page, stripped (not
    `value`: choice codes such as "monatlich" are data, not text)."""

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()

    def handle_data(self, data):
        if data.strip():
            self.texts.add(squash(data))

    def handle_starttag(self, tag, attrs):
        self.texts.update(squash(v) for k, v in attrs if v and k in SHOWN_ATTRIBUTES)


def page_texts(page: str) -> set[str]:
    parser = _Texts()
    parser.feed(page)
    return parser.texts


def declared_texts(instrument) -> list[str]:
    """What the declarations show on the form: titles, labels, help, choices."""
    out = [instrument.title, instrument.description]

    def walk(fields):
        for f in fields:
            out.extend(t for t in (f.label, f.help, f.row_label) if t)
            out.extend(label for _, label in f.choices)
            walk(f.fields)

    walk(instrument.fields)
    return out


@pytest.mark.parametrize("slug", sorted(INSTRUMENTS))
def test_english_form_shows_no_german_text_from_the_declarations(client, app, slug):
    german = page_texts(client.get(f"/instrumente/{slug}?lang=de").get_data(as_text=True))
    english_page = client.get(f"/instrumente/{slug}?lang=en").get_data(as_text=True)
    english = page_texts(english_page)
    with app.test_request_context("/?lang=en"), force_locale("en"):
        same_in_both = {t for t in declared_texts(INSTRUMENTS[slug]) if ui(t) == t}
    assert len(same_in_both) <= 3, same_in_both  # only words like "Name" or "Website"
    checked = 0
    for text in declared_texts(INSTRUMENTS[slug]):
        if text in same_in_both:
            continue
        assert squash(text) in german, f"the German form lacks {text!r}"
        assert squash(text) not in english, f"the English form shows German {text!r}"
        checked += 1
    assert checked >= 10
    # said once: the documents themselves are German
    assert english_page.count("The documents are created in German") == 1
    assert 'lang="de"' not in english_page.split("<main", 1)[1].split("</main>", 1)[0]


def test_german_form_does_not_carry_the_language_note(client):
    page = client.get("/instrumente/kooperationsvereinbarung?lang=de").get_data(as_text=True)
    assert "Die Dokumente werden auf Deutsch erstellt" not in page
    assert "<h1>Kooperationsvereinbarung</h1>" in page


def test_every_declared_text_and_rule_message_has_an_english_translation(app):
    # choices may be declared in one module and used in another (WOCHENTAGE)
    extracted = set().union(*(extracted_of(slug) for slug in INSTRUMENTS))
    with app.test_request_context("/?lang=en"), force_locale("en"):
        for slug, instrument in INSTRUMENTS.items():
            for text in declared_texts(instrument):
                assert text in extracted or ui(text) != text, f"{slug}: {text!r} not extracted"
        for text in extracted:
            assert gettext(text) and _in_catalogue(text), f"{text!r} has no translation"
        rule = "Die nächste Überprüfung muss nach dem Beginn der Zusammenarbeit liegen."
        assert rule in extracted_of("kooperationsvereinbarung")
        assert gettext(rule) == "The next review must be after the start of the cooperation."


def extracted_of(slug: str) -> set[str]:
    source = (ROOT / "toolbox" / "instruments" / f"{slug}.py").read_text(encoding="utf-8")
    return {text for _, text in instrument_messages(source)}


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_english_rule_messages_and_error_summary_labels(client):
    url = "/instrumente/kooperationsvereinbarung?lang=en"
    token = csrf_of(client.get(url).get_data(as_text=True))
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "action": "submit",
            "beginn": "2027-03-01",
            "naechste_ueberpruefung": "2027-01-01",
        },
    )
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "The next review must be after the start of the cooperation." in page
    assert "Die nächste Überprüfung muss" not in page
    assert "Next review" in page and "Nächste Überprüfung" not in page


def test_preview_in_the_english_ui_is_the_german_document(client):
    url = "/instrumente/kooperationsvereinbarung?lang=en"
    token = csrf_of(client.get(url).get_data(as_text=True))
    response = client.post(
        "/instrumente/kooperationsvereinbarung/vorschau?lang=en",
        data={"csrf_token": token, "austausch": "halbjaehrlich", "laufzeit": "unbefristet"},
        headers={"Accept-Language": "en"},
    )
    preview = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Die Parteien treffen sich halbjährlich" in preview
    assert "every six months" not in preview and "Cooperation agreement" not in preview


def test_documents_rendered_while_the_ui_is_english_are_german(app, client):
    payload = load_data("kooperationsvereinbarung")
    response = client.post(
        "/api/v1/submissions?lang=en",
        json={"instrument": "kooperationsvereinbarung", "data": payload},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code in (201, 202), response.get_json()
    # The worker renders outside any request; here it renders inside an English one.
    with (
        app.test_request_context("/?lang=en", headers={"Accept-Language": "en"}),
        force_locale("en"),
    ):
        assert gettext("Laufzeit") == "Term"  # the UI really is English here
        submission = Submission.query.one()
        render_job.run(submission.job.id)
        documents = {d.format: d.content for d in Document.query.all()}
    assert set(documents) >= {"docx", "pdf"}
    for text in (docx_text(documents["docx"]), pdf_text(documents["pdf"])):
        flat = squash(text)
        assert "Kooperationsvereinbarung" in flat and "§ 1 Gegenstand und Ziele" in flat
        assert "Cooperation agreement" not in flat and "represented by" not in flat
    web = client.get(f"/s/{submission.token}/webseite?lang=en").get_data(as_text=True)
    assert "§ 1 Gegenstand und Ziele" in html.unescape(web)
