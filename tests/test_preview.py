"""The live preview (POST /instrumente/<slug>/vorschau and the form's "Vorschau anzeigen")
and the finished document as a web page (/s/<token>/webseite)."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

import pytest
from helpers import ROOT, csrf_token, load_data, render_now, shown_values, squash, submit
from hostile_support import get, hostile_payload, visible
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from toolbox.core.time import berlin_today
from toolbox.documents.html_view import Blank, shift_headings, with_blanks
from toolbox.documents.render import Renderer
from toolbox.documents.sanitize import sanitize_text
from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.submissions.models import Draft, Job, Submission

SLUGS = sorted(INSTRUMENTS)
BLANK = '<span class="blank-value">'


VOID = {"br", "meta", "link", "img", "input", "hr", "wbr", "col", "source"}


class _Text(HTMLParser):
    """The text a person reads: no markup, no hidden parts (<head>, visually hidden)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if (
            self.skip
            or tag in ("head", "style", "title")
            or "visually-hidden" in (dict(attrs).get("class") or "")
        ):
            self.skip += 1

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return squash(" ".join(parser.parts))


def formdata_of(slug: str, data: dict) -> MultiDict:
    formdata, errors = json_to_formdata(get_instrument(slug), data)
    assert not errors, errors
    return formdata


def post_preview(client, slug: str, formdata: MultiDict, token: str | None = None):
    if token is None:
        token = csrf_token(client.get(f"/instrumente/{slug}").get_data(as_text=True))
    pairs = [*formdata.items(multi=True), ("csrf_token", token)]
    return client.post(f"/instrumente/{slug}/vorschau", data=MultiDict(pairs))


# --- the preview ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_preview_of_the_golden_data_shows_every_value(app, client, slug):
    instrument = get_instrument(slug)
    response = post_preview(client, slug, formdata_of(slug, load_data(slug)))
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    shown = text_of(html)
    with app.app_context():
        form, errors = validated_form(instrument, load_data(slug))
        assert not errors
        payload = to_payload(form)
    for value in shown_values(instrument, payload):
        assert squash(value) in shown, f"preview lacks {value!r}"
    assert instrument.document_title in shown
    assert '<article class="document" lang="de">' in html
    assert "<main" not in html and "<style" not in html and "<script" not in html


@pytest.mark.parametrize("slug", SLUGS)
def test_preview_reads_as_the_html_of_the_pdf(app, client, slug):
    """Same template, same context: the text is the PDF's, word for word."""
    instrument = get_instrument(slug)
    renderer = Renderer(ROOT / "toolbox" / "documents" / "templates")
    with app.test_request_context():
        form, _ = validated_form(instrument, load_data(slug))
        payload = to_payload(form)
    html = post_preview(client, slug, formdata_of(slug, load_data(slug))).get_data(as_text=True)
    pdf_html = renderer.pdf.render_html(
        f"{slug}.html", renderer.context(instrument, payload, berlin_today())
    )
    pdf_body = pdf_html.split("<body>", 1)[1]
    generated = re.search(r"Erstellt am [^<]+", html).group()
    assert text_of(html).replace(generated, "").strip() == text_of(visible(pdf_body))


@pytest.mark.parametrize("slug", SLUGS)
def test_empty_form_previews_as_the_blank_lines(client, slug):
    html = post_preview(client, slug, MultiDict()).get_data(as_text=True)
    assert BLANK in html
    assert "(noch offen)" in html  # what a screen reader says at an empty line


def test_values_not_yet_valid_show_as_empty_lines(client):
    slug = "kooperationsvereinbarung"
    data = load_data(slug)
    formdata = formdata_of(slug, data)
    formdata.setlist("beginn", ["31.02.20"])  # half typed
    formdata.setlist("kuendigungsfrist_wochen", ["500"])  # out of range
    formdata.setlist("ort", ["   "])  # only spaces
    formdata.setlist("parteien-0-name", [""])  # a required field in a row
    html = post_preview(client, slug, formdata).get_data(as_text=True)
    assert "31.02.20" not in html and "500 Wochen" not in html
    assert re.search(r"beginnt am " + re.escape(BLANK), html)
    assert re.search(r"<strong>" + re.escape(BLANK), html)  # the first party's name
    assert escape(data["parteien"][1]["name"]) in html  # the rest of the row list is kept
    # no error message inside the document
    assert "Bitte" not in text_of(html)


def test_a_broken_cross_field_rule_blanks_its_field(client):
    slug = "kooperationsvereinbarung"
    formdata = formdata_of(slug, load_data(slug))
    formdata.setlist("naechste_ueberpruefung", ["2020-01-01"])  # before the start
    html = post_preview(client, slug, formdata).get_data(as_text=True)
    assert "1. Januar 2020" not in html
    assert re.search(r"erstmals am " + re.escape(BLANK), html)


@pytest.mark.parametrize("slug", SLUGS)
def test_hostile_input_stays_literal_in_the_preview(client, slug):
    payload, contents, _ = hostile_payload(slug)
    html = post_preview(client, slug, formdata_of(slug, payload)).get_data(as_text=True)
    for path, strings in contents.items():
        assert get(payload, path)  # the field was filled
        for s in strings:
            for line in sanitize_text(s).split("\n"):
                assert str(escape(line.strip())) in html, (path, line)
    assert "<script" not in html and "<img" not in html and "<link" not in html


def test_preview_needs_the_csrf_token(client):
    response = client.post("/instrumente/kooperationsvereinbarung/vorschau", data={"ort": "Ort"})
    assert response.status_code == 400
    assert "Ort" not in response.get_data(as_text=True)


def test_preview_of_an_unknown_instrument_is_404(client):
    token = csrf_token(client.get("/instrumente/reflexion").get_data(as_text=True))
    response = client.post("/instrumente/gibt-es-nicht/vorschau", data={"csrf_token": token})
    assert response.status_code == 404


def test_preview_is_rate_limited_with_its_own_limit(make_app):
    app = make_app(TOOLBOX_PREVIEW_RATE_LIMIT="2 per minute", TOOLBOX_SUBMIT_RATE_LIMIT="1/minute")
    client = app.test_client()
    statuses = [post_preview(client, "reflexion", MultiDict()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Zu viele Anfragen" in post_preview(client, "reflexion", MultiDict()).get_data(
        as_text=True
    )


def test_preview_is_bounded_like_a_submission(client):
    token = csrf_token(client.get("/instrumente/reflexion").get_data(as_text=True))
    too_big = client.post(
        "/instrumente/reflexion/vorschau",
        data={"csrf_token": token, "ziele": "x" * (1024 * 1024 + 1)},
    )
    assert too_big.status_code == 413
    many = client.post(
        "/instrumente/reflexion/vorschau",
        data=MultiDict([("csrf_token", token), *(("x", "1") for _ in range(6000))]),
    )
    assert many.status_code == 413


def test_preview_stores_nothing_and_logs_no_typed_text(app, client, caplog, capsys):
    slug = "kooperationsvereinbarung"
    data = load_data(slug)
    data["ort"] = "Geheimstadt-ZQ7"
    token = csrf_token(client.get(f"/instrumente/{slug}").get_data(as_text=True))
    caplog.set_level(logging.DEBUG)
    session_before = client.get_cookie("session")
    response = post_preview(client, slug, formdata_of(slug, data), token)
    assert response.status_code == 200 and "Geheimstadt-ZQ7" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert client.get_cookie("session").value == session_before.value
    with app.app_context():
        assert Submission.query.count() == Draft.query.count() == Job.query.count() == 0
    assert "Geheimstadt" not in caplog.text
    assert "Geheimstadt" not in capsys.readouterr().out


# --- the pieces -------------------------------------------------------------------------------


def test_a_blank_is_empty_and_falsy_but_prints_a_line():
    blank = Blank()
    assert blank == "" and not blank and len(blank) == 0
    assert str(escape(blank)).startswith(BLANK)


def test_with_blanks_fills_rows_up_to_the_minimum():
    instrument = get_instrument("kooperationsvereinbarung")
    ctx = with_blanks(instrument, {"parteien": [], "leistungen_einrichtung": [], "ort": ""})
    assert len(ctx["parteien"]) == 2 and isinstance(ctx["parteien"][0]["name"], Blank)
    assert isinstance(ctx["leistungen_einrichtung"][0], Blank)  # required: one line
    assert isinstance(ctx["ort"], Blank)


def test_headings_move_down_but_text_does_not():
    html = "<h1>T</h1><h2 class='x'>S</h2><p>&lt;h1&gt;</p><h6>z</h6>"
    assert shift_headings(html, 2) == "<h3>T</h3><h4 class='x'>S</h4><p>&lt;h1&gt;</p><h6>z</h6>"


# --- the form page ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_every_form_has_the_preview_region(client, slug):
    html = client.get(f"/instrumente/{slug}").get_data(as_text=True)
    assert 'id="preview"' in html and f'data-url="/instrumente/{slug}/vorschau"' in html
    assert 'form="instrument-form" name="action" value="preview"' in html
    assert "/static/preview.js" in html and "/static/preview.css" in html
    assert "<script>" not in html and "style=" not in html


def test_the_button_shows_the_preview_without_javascript_input_kept(client):
    slug = "kooperationsvereinbarung"
    data = load_data(slug)
    url = f"/instrumente/{slug}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    pairs = [*formdata_of(slug, data).items(multi=True), ("csrf_token", token)]
    response = client.post(url, data=MultiDict([*pairs, ("action", "preview")]))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="preview-details" open' in html
    preview = html.split('id="preview-document"', 1)[1]
    assert data["parteien"][0]["name"] in preview and "<h3>Kooperationsvereinbarung" in preview
    # the input is kept, nothing was submitted
    assert f'value="{data["ort"]}"' in html
    assert "error-summary" not in html


def test_the_button_with_an_expired_session_keeps_the_input(client):
    slug = "reflexion"
    pairs = [*formdata_of(slug, load_data(slug)).items(multi=True), ("csrf_token", "alt")]
    response = client.post(f"/instrumente/{slug}", data=MultiDict([*pairs, ("action", "preview")]))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Die Sitzung ist abgelaufen" in html
    assert load_data(slug)["ziele"][0]["ziel"] in html


def test_drafts_and_templates_from_a_submission_show_the_preview(app, client):
    slug = "kooperationsvereinbarung"
    url = f"/instrumente/{slug}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    pairs = [*formdata_of(slug, load_data(slug)).items(multi=True), ("csrf_token", token)]
    saved = client.post(url, data=MultiDict([*pairs, ("action", "draft")]))
    draft_page = client.get(saved.location).get_data(as_text=True)
    assert 'id="preview"' in draft_page
    assert 'name="entwurf"' in draft_page
    submitted = client.post(url, data=MultiDict([*pairs, ("action", "submit")]))
    submission_token = submitted.location.rsplit("/", 1)[1]
    reuse = client.get(f"/instrumente/reflexion?vorlage={submission_token}")
    assert 'id="preview"' in reuse.get_data(as_text=True)


# --- the document as a web page ------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_the_document_as_a_web_page(app, client, slug):
    instrument = get_instrument(slug)
    token = render_token(app, submit(client, slug))
    private = client.get(f"/s/{token}").get_data(as_text=True)
    assert f'href="/s/{token}/webseite"' in private and "Als Webseite lesen" in private
    response = client.get(f"/s/{token}/webseite")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.startswith("<!DOCTYPE html>") or "<!DOCTYPE html>" in html[:300]
    assert '<html lang="de">' in html
    assert f"<h1>{escape(instrument.document_title)}</h1>" in html
    assert "<script" not in html and "<style" not in html and "style=" not in html
    assert BLANK not in html
    shown = text_of(html)
    with app.app_context():
        payload = Submission.query.filter_by(token=token).one().payload
    for value in shown_values(instrument, payload):
        assert squash(value) in shown, f"web page lacks {value!r}"
    for th in re.findall(r"<th\b[^>]*>", html):
        assert 'scope="' in th, th
    assert f'href="/s/{token}/dokumente/pdf"' in html
    assert 'href="/dokument.css"' in html


def test_web_page_in_the_english_ui_keeps_the_document_german(app, client):
    token = render_token(app, submit(client, "reflexion"))
    html = client.get(f"/s/{token}/webseite?lang=en").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert 'lang="en"' in html and "Back to your page" in html


def test_web_page_of_an_unknown_token_is_404(client):
    assert client.get("/s/gibt-es-nicht/webseite").status_code == 404


def test_hostile_input_stays_literal_on_the_web_page(app, client):
    slug = "kooperationsvereinbarung"
    payload, contents, _ = hostile_payload(slug)
    token = render_token(app, submit(client, slug, payload))
    html = client.get(f"/s/{token}/webseite").get_data(as_text=True)
    with app.app_context():
        stored = Submission.query.filter_by(token=token).one().payload
    for path in contents:
        for line in get(stored, path).split("\n"):
            assert str(escape(line.strip())) in html, (path, line)


def test_the_pdf_stylesheet_is_served_for_printing(client):
    response = client.get("/dokument.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert "size: A4" in css and 'counter(page) " von " counter(pages)' in css


def render_token(app, token: str) -> str:
    render_now(app, token)
    return token
