"""Hostile input: every text field of every instrument takes any Unicode text, through the
API and the browser form, and the documents reproduce it literally.

One document per instrument carries the whole Big List of Naughty Strings (plus our own
markup, Jinja and docxtpl traps, a 5 000-character word and a 300-line text), spread over
all its text fields; each field is fenced by a marker so a lost field shows at once.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

import pypdf
import pytest
from helpers import ROOT, csrf_token, docx_text, load_data, pdf_text
from hostile_support import (
    TODAY,
    get,
    hostile_payload,
    put,
    visible,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from lxml import etree
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from toolbox.documents.render import Renderer
from toolbox.documents.sanitize import sanitize_text
from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.submissions.models import Job, Submission
from toolbox.submissions.tasks import render_job

# --- reading the documents back --------------------------------------------------------------


def letters(text: str) -> str:
    """What pdftotext reliably gives back: letters, digits, punctuation and symbols in
    compatibility form; no spacing, no marks, and no hyphens (it drops those at line ends)."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if unicodedata.category(c)[0] in "LNPS" and c != "-")


def drawn(expected: str, pdf_letters: str) -> str:
    """The characters a font could draw: one without any (a rare CJK extension, some
    emoji) is a box in the PDF, with no text behind it."""
    present = set(pdf_letters)
    return "".join(c for c in expected if c in present)


def pieces(expected: str, found: str, shortest: int = 3) -> int:
    """In how many pieces `expected` occurs in `found`, in order of the text. A table row
    that breaks across pages is read back cell part by cell part, so a value in a cell
    may come back in one piece per page; a lost character shows as a piece too short to
    be found (then the count is huge)."""
    count, rest = 0, expected
    while rest:
        size = len(rest)
        while size >= shortest and rest[:size] not in found:
            size -= 1
        if size < min(shortest, len(rest)) or rest[:size] not in found:
            return 10**6
        rest, count = rest[size:], count + 1
    return count


def without_page_footers(text: str) -> str:
    """Text that runs over a page break is read back with the footer in between."""
    return re.sub(r"Erstellt am \d+\. \w+ \d{4}|Seite \d+ von \d+", "", text)


def assert_readable_docx(content: bytes) -> None:
    """Every XML part parses strictly (docxtpl itself parses with recover=True, which
    would hide a broken part)."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(z.read(name), etree.XMLParser(recover=False))


def assert_readable_pdf(content: bytes) -> None:
    assert content.startswith(b"%PDF-")
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) >= 1


def html_text(renderer, slug: str, payload: dict) -> str:
    """The HTML WeasyPrint turns into the PDF."""
    instrument = get_instrument(slug)
    return visible(
        renderer.pdf.render_html(f"{slug}.html", renderer.context(instrument, payload, TODAY))
    )


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def post_form(client, slug: str, data: dict):
    formdata, errors = json_to_formdata(get_instrument(slug), data)
    assert not errors
    url = f"/instrumente/{slug}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    pairs = [*formdata.items(multi=True), ("csrf_token", token), ("action", "submit")]
    return client.post(url, data=MultiDict(pairs))


@pytest.mark.parametrize("slug", list(INSTRUMENTS))
def test_every_text_field_reproduces_hostile_text(app, client, renderer, slug):
    payload, contents, rtl = hostile_payload(slug)

    response = client.post("/api/v1/submissions", json={"instrument": slug, "data": payload})
    assert response.status_code == 202, response.get_json()
    token = response.get_json()["token"]
    browser = post_form(client, slug, payload)
    assert browser.status_code == 303, browser.get_data(as_text=True)[:2000]
    with app.app_context():
        stored = Submission.query.filter_by(token=token).one().payload
        from_form = Submission.query.filter_by(token=browser.location.rsplit("/", 1)[1]).one()
        assert from_form.payload == stored  # the browser and the API store the same
        render_job.run(Submission.query.filter_by(token=token).one().job.id)

    body = client.get(f"/api/v1/submissions/{token}").get_json()
    assert body["state"] == "done", body.get("error")
    docs = {d["format"]: client.get(d["url"]) for d in body["documents"]}
    assert all(r.status_code == 200 for r in docs.values())
    docx, pdf = docs["docx"].data, docs["pdf"].data
    assert_readable_docx(docx)
    assert_readable_pdf(pdf)
    docx_t, pdf_l = docx_text(docx), letters(without_page_footers(pdf_text(pdf)))
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    html = html_text(renderer, slug, stored)

    for path, strings in contents.items():
        assert sanitize_text(get(payload, path)).strip("\n ") == get(stored, path)
        for s in strings:
            expected = sanitize_text(s)
            # line by line: some long texts become one list item per line, stripped
            for line in expected.split("\n"):
                assert line.strip() in docx_t, (path, s)
                assert visible(escape(line.strip())) in html, (path, line)
            if path != rtl:
                # a string crosses a page break or two; the long word many
                most = pages if len(expected) > 1000 else 3
                assert pieces(drawn(letters(expected), pdf_l), pdf_l) <= most, (path, s)
    if "ics" in docs:  # the place of a meeting is typed text, too
        typed = [get(stored, path) for path in contents]
        for event in Calendar.from_ical(docs["ics"].data).walk("VEVENT"):
            place = str(event["location"])
            assert place in typed or any(place == f"{a}, {b}" for a in typed for b in typed)


def test_control_characters_go_line_ends_normalise(app, client):
    data = load_data("kooperationsvereinbarung")
    data["kosten"] = "A\x00B\x07C\x0bD\x0cE\x1bF\r\nG\rH\x85I\u2028J\u2029K\tL\x7fM"
    data["ort"] = "Mün\x08chen\x00"
    response = client.post(
        "/api/v1/submissions", json={"instrument": "kooperationsvereinbarung", "data": data}
    )
    assert response.status_code == 202
    with app.app_context():
        stored = Submission.query.one().payload
        render_job.run(Job.query.one().id)
        assert Job.query.one().state == "done"
    assert stored["kosten"] == "ABCDEF\nG\nH\nI\nJ\nK\tL\x7fM"
    assert stored["ort"] == "München"


@pytest.mark.parametrize(
    ("slug", "field", "path"),
    [
        ("kooperationsvereinbarung", "ort", ("ort",)),  # text
        ("kooperationsvereinbarung", "praeambel", ("praeambel",)),  # textarea
        ("kooperationsvereinbarung", "parteien-1-name", ("parteien", 1, "name")),  # row
    ],
)
def test_lone_surrogates_are_field_errors(app, client, slug, field, path):
    data = load_data(slug)
    put(data, path, "Gruppe \ud83d ohne Partner")
    response = client.post("/api/v1/submissions", json={"instrument": slug, "data": data})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {field: ["Der Text enthält ein ungültiges Zeichen."]}
    with app.app_context():
        assert Submission.query.count() == 0


def test_undecodable_form_bytes_are_not_an_error(client):
    """A browser cannot send a lone surrogate; broken UTF-8 becomes U+FFFD, never a 500."""
    url = "/instrumente/erstgespraech"
    token = csrf_token(client.get(url).get_data(as_text=True))
    body = f"csrf_token={token}&action=submit&thema=%ED%A0%80%FF%FE&stichworte=%C3".encode()
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (303, 422)


# --- properties -------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)


@settings(
    max_examples=15,  # each example renders a whole agreement (DOCX and PDF)
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(short=ANY_TEXT, long=ANY_TEXT)
def test_renderers_reproduce_arbitrary_text(renderer, short, long):
    instrument = get_instrument("kooperationsvereinbarung")
    payload = load_data("kooperationsvereinbarung")
    payload["parteien"][0]["name"] = f"ZQaZQ{short}ZQaZQ"
    payload["praeambel"] = f"ZQbZQ{long}ZQbZQ"
    docs = {d.format: d.content for d in renderer.render(instrument, payload, today=TODAY)}
    assert_readable_docx(docs["docx"])
    assert_readable_pdf(docs["pdf"])
    text = docx_text(docs["docx"])
    html = html_text(renderer, "kooperationsvereinbarung", payload)
    for value in (payload["parteien"][0]["name"], payload["praeambel"]):
        assert sanitize_text(value) in text
        for line in sanitize_text(value).split("\n"):
            assert visible(escape(line)) in html
    pdf = pdf_text(docs["pdf"])
    assert pdf.count("ZQaZQ") >= 2 and pdf.count("ZQbZQ") >= 2


@pytest.fixture
def fuzz_app(make_app):
    """One app for all examples of a property (Hypothesis runs them in one test call)."""
    return make_app(TOOLBOX_SUBMIT_RATE_LIMIT="100000 per minute")


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(st.characters(exclude_categories=[]), max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_api_answers_any_json_without_server_error(fuzz_app, data):
    slug = data.draw(st.sampled_from(list(INSTRUMENTS)))
    payload = load_data(slug)
    names = [f.name for f in get_instrument(slug).fields] + ["unbekannt"]
    changes = data.draw(st.dictionaries(st.sampled_from(names), JSON_VALUES, max_size=4))
    body = {"instrument": slug, "data": {**payload, **changes}}
    if data.draw(st.booleans()):
        body["email"] = data.draw(JSON_VALUES)
    response = fuzz_app.test_client().post("/api/v1/submissions", json=body)
    assert response.status_code in (202, 400), response.get_data()[:500]
