"""Conformance with the standards' own rules (issue 15)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile

import pytest
import vobject
from helpers import ROOT, load_data
from lxml import etree
from werkzeug.exceptions import MethodNotAllowed

from toolbox.documents.docx import render_docx
from toolbox.documents.ics import render_ics
from toolbox.documents.render import Renderer
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import get_instrument

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<{arg}>", "x").replace(f"<string:{arg}>", "x")
            yield url


def test_every_api_405_carries_allow_header(app, client):
    """RFC 9110 15.5.6: a 405 response MUST carry ``Allow``."""
    adapter = app.url_map.bind("localhost")
    checked = 0
    for url in _api_routes(app):
        assert "<" not in url, url
        allowed = set()
        for method in METHODS:
            try:
                adapter.match(url, method=method)
            except MethodNotAllowed:
                continue
            allowed.add(method)
        wrong = [m for m in METHODS if m not in allowed]
        assert wrong, url
        for method in wrong:
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url, response.status_code)
            assert "Allow" in response.headers, (method, url)
            listed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allowed <= listed, (method, url, listed)
            assert response.get_json()["error"]
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("path", ["/healthz", "/login"])
def test_405_outside_api_carries_allow_header(client, path):
    response = client.open(path, method="DELETE")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def payload_of(app, slug: str, data: dict) -> dict:
    with app.app_context():
        form, errors = validated_form(get_instrument(slug), data)
        assert not errors, errors
        return to_payload(form)


def calendar_of(app, slug: str, data: dict):
    """The .ics of API-style data, read back by vobject (a parser independent of the
    icalendar library that writes it), with vobject's own validation."""
    instrument = get_instrument(slug)
    payload = payload_of(app, slug, data)
    content = render_ics(instrument.calendar(payload), "Test", uid_seed=slug)
    calendar = vobject.readOne(content.decode("utf-8"), validate=True)
    for event in calendar.vevent_list:
        assert event.validate(raiseException=True)
    return calendar


def test_annual_plan_events_carry_status_from_the_plan(app):
    """RFC 5545 3.8.1.11: a cancelled date must not come out as a normal event."""
    data = copy.deepcopy(load_data("jahresplanung"))
    statuses = ["abgesagt", "bestaetigt", "geplant", "durchgefuehrt", "vorbereitet"]
    for row, status in zip(data["termine"], statuses, strict=True):
        row["status"] = status
    data["termine"].append({"datum": "2027-11-03", "art": "sonstiges"})  # no status
    calendar = calendar_of(app, "jahresplanung", data)
    got = {event.dtstart.value.isoformat(): event.status.value for event in calendar.vevent_list}
    assert got == {
        "2027-02-02": "CANCELLED",
        "2027-03-06": "CONFIRMED",
        "2027-07-14": "TENTATIVE",
        "2027-10-20": "CONFIRMED",
        "2027-12-15": "TENTATIVE",
        "2027-11-03": "TENTATIVE",
    }


def test_every_calendar_event_has_a_status(app):
    for slug in ("raumnutzung", "gruendungsplanung"):
        calendar = calendar_of(app, slug, load_data(slug))
        assert {e.status.value for e in calendar.vevent_list} == {"CONFIRMED"}, slug


def test_open_ended_series_keeps_berlin_time_past_2037(app):
    """The embedded VTIMEZONE must cover every occurrence of an open-ended series, across
    the DST changes, also after 2037 (where a transition list from zoneinfo stops)."""
    data = load_data("raumnutzung")
    assert not data.get("gueltig_bis")
    calendar = calendar_of(app, "raumnutzung", data)
    assert calendar.vtimezone.tzid.value == "Europe/Berlin"
    (event,) = calendar.vevent_list
    occurrences = event.getrruleset()
    checked = 0
    for year in (2028, 2037, 2038, 2045, 2060):
        for month, offset in ((1, 1), (7, 2), (12, 1)):
            day = occurrences.after(dt.datetime(year, month, 1, tzinfo=dt.UTC))
            assert day.month == month and day.weekday() == 1  # first Tuesday
            assert (day.hour, day.minute) == (17, 0), day
            assert day.utcoffset() == dt.timedelta(hours=offset), day
            checked += 1
    assert checked == 15


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {
    "w": W[1:-1],
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
DOCX_TEMPLATES = sorted((ROOT / "toolbox" / "documents" / "templates" / "docx").glob("*.docx"))


def check_german_docx(content: bytes) -> etree._Element:
    """The DOCX's default language is German everywhere; returns its core properties."""
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        names = set(docx.namelist())
        styles = etree.fromstring(docx.read("word/styles.xml"))
        settings = etree.fromstring(docx.read("word/settings.xml"))
        core = etree.fromstring(docx.read("docProps/core.xml"))
        assert not any("thumbnail" in name for name in names), names
        assert b"Macintosh" not in docx.read("docProps/app.xml")
        for name in ("word/styles.xml", "word/settings.xml", "word/stylesWithEffects.xml"):
            if name in names:
                assert b"en-US" not in docx.read(name), name
    (lang,) = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang", namespaces=NS)
    assert lang.get(W + "val") == "de-DE"
    assert lang.get(W + "eastAsia") == "de-DE"
    (theme_lang,) = settings.xpath("w:themeFontLang", namespaces=NS)
    assert theme_lang.get(W + "val") == "de-DE"
    assert core.findtext("dc:language", namespaces=NS) == "de-DE"
    assert "python-docx" not in (core.findtext("dc:description", namespaces=NS) or "")
    assert not core.findtext("dcterms:created", namespaces=NS).startswith("2013")
    return core


@pytest.mark.parametrize("template", DOCX_TEMPLATES, ids=lambda p: p.stem)
def test_docx_template_is_german(template):
    assert len(DOCX_TEMPLATES) >= 10
    check_german_docx(template.read_bytes())


def test_rendered_docx_is_german_and_says_what_it_is(app):
    slug = "raumnutzung"
    instrument = get_instrument(slug)
    renderer = Renderer(ROOT / "toolbox" / "documents" / "templates")
    context = renderer.context(instrument, payload_of(app, slug, load_data(slug)), dt.date.today())
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    content = render_docx(
        ROOT / "toolbox" / "documents" / "templates" / "docx" / f"{slug}.docx", context, "Titel X"
    )
    core = check_german_docx(content)
    assert core.findtext("dc:title", namespaces=NS) == "Titel X"
    for name in ("dcterms:created", "dcterms:modified"):
        stamp = dt.datetime.fromisoformat(core.findtext(name, namespaces=NS))
        assert before <= stamp <= dt.datetime.now(dt.UTC), name
