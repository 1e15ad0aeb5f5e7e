"""Final documents of a circulated agreement (issue 16, steps 5 and 6): the
Zustimmungsnachweis in PDF and DOCX with the recomputable SHA-256, "Endfassung, Version n"
in the footer, PDF/UA-1 kept; the .ics series (stable UID, SEQUENCE per version); review
and reminder dates."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import docx
import pytest
import vobject
from helpers import ROOT, docx_text, load_data, own_findings, pdf_text, pdfua_findings, squash
from icalendar import Calendar
from lxml import etree

from toolbox.core.time import BERLIN
from toolbox.documents.consent import (
    ELECTRONIC_CONSENT,
    Consent,
    ConsentRecord,
    agreed_content_sha256,
)
from toolbox.documents.render import Renderer
from toolbox.documents.review_dates import reminder_date, review_date
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS

TODAY = dt.date(2026, 12, 3)
KV = INSTRUMENTS["kooperationsvereinbarung"]
ROOM = INSTRUMENTS["raumnutzung"]


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def payload_of(app, instrument) -> dict:
    with app.app_context():
        form, errors = validated_form(instrument, load_data(instrument.slug))
    assert not errors, errors
    return to_payload(form)


def consents() -> list[Consent]:
    return [
        Consent(
            "Klinikum am Westpark",
            "Dr. Erika Mustermann",
            "Chefärztin",
            dt.datetime(2026, 12, 1, 9, 5, tzinfo=dt.UTC),
        ),
        Consent(
            "Selbsthilfegruppe Herzenssache",
            "Jürgen Weiß",
            "Gruppensprecher",
            dt.datetime(2026, 7, 14, 16, 30, tzinfo=dt.UTC),
        ),
        Consent(
            "Selbsthilfekontaktstelle Mitte",
            "Ayşe Demir",
            "Leitung",
            dt.datetime(2026, 12, 2, 23, 15, tzinfo=dt.UTC),
            "auf Papier unterschrieben, eingescannt",
        ),
    ]


# Berlin time of the consents above: winter (UTC+1), summer (UTC+2), and one whose
# Berlin date is the next day.
LOCAL_TIMES = (
    "01.12.2026, 10:05 Uhr (MEZ)",
    "14.07.2026, 18:30 Uhr (MESZ)",
    "03.12.2026, 00:15 Uhr (MEZ)",
)


def final_documents(renderer, instrument, payload, version=2, **options):
    record = ConsentRecord.of(instrument.slug, payload, version, consents())
    docs = renderer.render(instrument, payload, today=TODAY, consent=record, **options)
    return record, {d.format: d.content for d in docs}


def test_hash_is_sha256_of_the_documented_canonical_json():
    payload = {"b": [1, {"ü": "ß"}], "a": "x"}
    text = (
        '{"instrument":"kooperationsvereinbarung",'
        '"payload":{"a":"x","b":[1,{"ü":"ß"}]},"version":3}'
    )
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert agreed_content_sha256("kooperationsvereinbarung", payload, 3) == expected
    # Key order does not matter; version, instrument and every value do.
    assert (
        agreed_content_sha256("kooperationsvereinbarung", {"a": "x", "b": [1, {"ü": "ß"}]}, 3)
        == expected
    )
    assert agreed_content_sha256("kooperationsvereinbarung", payload, 2) != expected
    assert agreed_content_sha256("raumnutzung", payload, 3) != expected
    assert agreed_content_sha256("kooperationsvereinbarung", {**payload, "a": "y"}, 3) != expected


def test_consent_needs_an_aware_time_and_a_real_hash():
    with pytest.raises(ValueError):
        Consent("A", "B", "C", dt.datetime(2026, 12, 1, 9, 5))
    with pytest.raises(ValueError):
        ConsentRecord(1, "abc", ())
    with pytest.raises(ValueError):
        ConsentRecord(0, "0" * 64, ())
    assert (
        Consent("A", "B", "C", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)).method == ELECTRONIC_CONSENT
    )


def test_final_pdf_has_the_consent_page_and_the_recomputable_hash(app, renderer):
    payload = payload_of(app, KV)
    record, docs = final_documents(renderer, KV, payload)
    text = pdf_text(docs["pdf"])
    pages = text.split("\f")
    last = [p for p in pages if p.strip()][-1]
    assert "Zustimmungsnachweis" in last
    assert "Zustimmungsnachweis" not in "".join(pages[:-2])  # a page of its own, the last
    assert "Endfassung, Version 2" in squash(last)
    # The hash, printed over two lines of hex digits, recomputed from the payload.
    printed = "".join(re.findall(r"\b[0-9a-f]{32}\b", last))
    recomputed = hashlib.sha256(
        json.dumps(
            {"instrument": KV.slug, "payload": payload, "version": 2},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
    ).hexdigest()
    assert printed == recomputed == record.sha256
    flat = squash(last)
    for heading in ("Partei/Organisation", "Name", "Funktion", "Datum und Uhrzeit", "Art der"):
        assert heading in flat
    for consent, local in zip(consents(), LOCAL_TIMES, strict=True):
        for value in (consent.party, consent.name, consent.function):
            assert value in flat
        assert local in flat
    assert "einfache elektronische Signatur" in flat
    assert "auf Papier unterschrieben, eingescannt" in flat
    # The footer of every page says which version this is.
    for page in pages:
        if page.strip():
            assert "Endfassung, Version 2" in squash(page)


def test_final_pdf_stays_pdf_ua(app, renderer, tmp_path):
    for instrument in (KV, ROOM):
        _, docs = final_documents(renderer, instrument, payload_of(app, instrument))
        assert pdfua_findings(tmp_path, instrument.slug, docs["pdf"]) == []
        assert own_findings(docs["pdf"]) == []


def test_without_consent_nothing_changes(app, renderer):
    payload = payload_of(app, KV)
    pdf = next(d.content for d in renderer.render(KV, payload, today=TODAY) if d.format == "pdf")
    text = pdf_text(pdf)
    assert "Zustimmungsnachweis" not in text
    assert "Version" not in text


def test_draft_version_footer(app, renderer):
    payload = payload_of(app, KV)
    docs = renderer.render(KV, payload, today=TODAY, version=3)
    pdf = next(d.content for d in docs if d.format == "pdf")
    assert "Entwurf, Version 3" in squash(pdf_text(pdf))
    assert "Zustimmungsnachweis" not in pdf_text(pdf)
    record = ConsentRecord.of(KV.slug, payload, 2, [])
    with pytest.raises(ValueError):
        renderer.render(KV, payload, today=TODAY, consent=record, version=3)


def test_final_docx_has_the_same_section(app, renderer, tmp_path):
    payload = payload_of(app, KV)
    record, docs = final_documents(renderer, KV, payload)
    content = docs["docx"]
    document = docx.Document(io.BytesIO(content))  # opens again
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-1] == "Zustimmungsnachweis"
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "Partei/Organisation",
        "Name",
        "Funktion",
        "Datum und Uhrzeit",
        "Art der Zustimmung",
    ]
    expected = [
        [c.party, c.name, c.function, local, c.method]
        for c, local in zip(consents(), LOCAL_TIMES, strict=True)
    ]
    assert rows[1:] == expected
    text = docx_text(content)
    assert record.sha256 == "".join(re.findall(r"\b[0-9a-f]{32}\b", text))
    assert "Endfassung, Version 2" in text
    footers = " ".join(p.text for s in document.sections for p in s.footer.paragraphs)
    assert "Endfassung, Version 2" in footers
    # Every XML part is well-formed, and the header row repeats on a new page.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(archive.read(name))
        body = archive.read("word/document.xml").decode()
    assert body.count("<w:tblHeader") >= 1
    assert "{{" not in text and "{%" not in text


def ics_events(content: bytes):
    calendar = vobject.readOne(content.decode("utf-8"), validate=True)
    parsed = sorted(
        (str(e.uid.value), int(e.sequence.value), e.summary.value) for e in calendar.vevent_list
    )
    again = Calendar.from_ical(content)
    assert (
        sorted((str(e["uid"]), int(e["sequence"]), str(e["summary"])) for e in again.walk("VEVENT"))
        == parsed
    )
    return parsed


def test_ics_uid_stable_and_sequence_counts_the_versions(app, renderer):
    payload = {**payload_of(app, ROOM), "gueltig_bis": "2027-06-30"}
    first = {
        d.format: d.content
        for d in renderer.render(ROOM, payload, today=TODAY, version=1, series_key="abc123")
    }
    changed = {**payload, "raum": "Raum 2.14", "gueltig_bis": "2027-11-30"}
    _, second = final_documents(renderer, ROOM, changed, version=2, series_key="abc123")
    one, two = ics_events(first["ics"]), ics_events(second["ics"])
    assert len(one) == 2  # the meetings and the end of the agreement
    assert {uid for uid, _, _ in one} == {uid for uid, _, _ in two}
    assert {seq for _, seq, _ in one} == {0} and {seq for _, seq, _ in two} == {1}
    summaries = {summary for _, _, summary in two}
    assert "Raumnutzungsvereinbarung läuft aus: Verlängerung klären" in summaries
    # Another series has other UIDs; without a series key the old per-payload UIDs stay.
    _, other = final_documents(renderer, ROOM, changed, version=2, series_key="xyz")
    assert not {u for u, _, _ in ics_events(other["ics"])} & {u for u, _, _ in one}
    plain = next(
        d.content for d in renderer.render(ROOM, payload, today=TODAY) if d.format == "ics"
    )
    assert b"SEQUENCE" not in plain


def test_kooperationsvereinbarung_in_a_series_gets_its_review_date_as_ics(app, renderer):
    payload = payload_of(app, KV)
    assert "ics" not in {d.format for d in renderer.render(KV, payload, today=TODAY)}
    _, one = final_documents(renderer, KV, payload, version=1, series_key="k")
    later = {**payload, "naechste_ueberpruefung": "2028-03-01"}
    _, two = final_documents(renderer, KV, later, version=2, series_key="k")
    [(uid1, seq1, summary)], [(uid2, seq2, _)] = ics_events(one["ics"]), ics_events(two["ics"])
    assert summary == "Überprüfung der Kooperationsvereinbarung"
    assert uid1 == uid2 and (seq1, seq2) == (0, 1)
    event = Calendar.from_ical(two["ics"]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.date(2028, 3, 1)


def test_review_and_reminder_dates(app):
    kv, room = payload_of(app, KV), payload_of(app, ROOM)
    review = dt.date.fromisoformat(kv["naechste_ueberpruefung"])
    assert review_date(KV, kv) == review
    assert reminder_date(KV, kv) == review - dt.timedelta(days=30)
    assert reminder_date(KV, kv, days=7) == review - dt.timedelta(days=7)
    room = {**room, "gueltig_bis": "2027-06-30"}
    assert review_date(ROOM, room) == dt.date(2027, 6, 30)
    assert reminder_date(ROOM, room) == dt.date(2027, 5, 31)
    assert review_date(ROOM, {**room, "gueltig_bis": None}) is None
    assert reminder_date(ROOM, {**room, "gueltig_bis": ""}) is None
    assert review_date(INSTRUMENTS["reflexion"], kv) is None
    with pytest.raises(ValueError):
        reminder_date(KV, kv, days=-1)


def test_local_time_uses_berlin():
    consent = Consent("A", "B", "C", dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC))
    assert consent.local_time == "29.03.2026, 03:30 Uhr (MESZ)"
    assert consent.agreed_at.astimezone(BERLIN).hour == 3


def test_typed_consent_texts_are_data_in_both_documents(app, renderer):
    """What a party types (name, function) is printed as it is: markup, template code,
    control characters and a very long word neither break nor change the documents."""
    payload = payload_of(app, KV)
    long_word = "A" * 300
    hostile = [
        Consent(
            "Klinikum <b>am</b> Westpark",
            "{{ 7*7 }} {%p if x %}\x07Jürgen",
            long_word,
            dt.datetime(2026, 12, 1, 9, 5, tzinfo=dt.UTC),
        ),
        Consent("Gruppe & Co", "Anna\x00 Schmidt", "Sprecherin", dt.datetime.now(dt.UTC)),
    ]
    record = ConsentRecord.of(KV.slug, payload, 1, hostile)
    docs = {d.format: d.content for d in renderer.render(KV, payload, consent=record)}
    pdf = squash(pdf_text(docs["pdf"]))
    assert "Klinikum <b>am</b> Westpark" in pdf
    assert "{{ 7*7 }} {%p if x %}Jürgen" in pdf
    assert "Gruppe & Co" in pdf and "Anna Schmidt" in pdf
    assert re.sub(r"[\s\u00ad\u200b-]", "", pdf).count(long_word) == 1
    table = docx.Document(io.BytesIO(docs["docx"])).tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[1][:3] == ["Klinikum <b>am</b> Westpark", "{{ 7*7 }} {%p if x %}Jürgen", long_word]
    assert rows[2][:2] == ["Gruppe & Co", "Anna Schmidt"]
