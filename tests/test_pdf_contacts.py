"""E-mail addresses, URLs, phone numbers and IBANs in PDFs are never hyphenated nor broken
at one of their hyphens, wherever they stand (issue 19, item 2): such values in every text
field of every instrument, read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from itertools import cycle

import pypdf
import pytest
from helpers import ROOT, load_data

from toolbox.documents.pdf import prepare_value
from toolbox.documents.render import Renderer
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS

CONTACTS = [
    "selbsthilfe@klinikum-westpark.de",
    "https://www.shg-muenchen.de/gruppen/diabetes-west",
    "+49 89 1234-5678",
    "DE89 3704 0044 0532 0130 00",
    "diabetes-west@shg-muenchen.de",
]
SLUGS = sorted(INSTRUMENTS)


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def with_contacts(fields, data: dict, values) -> dict:
    """The data with a contact in every text field (all of them in long texts)."""
    out = dict(data)
    for f in fields:
        if f.type == "list":
            out[f.name] = [with_contacts(f.fields, row, values) for row in data.get(f.name, [])]
        elif f.type == "text":
            out[f.name] = f"Kontakt {next(values)} Ende"
        elif f.type == "textarea":
            out[f.name] = "Erreichbar unter " + ", ".join(CONTACTS) + " und persönlich."
        elif f.type == "email":
            out[f.name] = CONTACTS[0]
    return out


def pdftotext(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_contacts_in_every_text_field_stay_whole(app, renderer, slug):
    instrument = INSTRUMENTS[slug]
    data = with_contacts(instrument.fields, load_data(slug), cycle(CONTACTS))
    with app.app_context():
        form, errors = validated_form(instrument, data)
    assert not errors, errors
    docs = renderer.render(instrument, to_payload(form), today=dt.date(2026, 11, 22))
    content = next(d.content for d in docs if d.format == "pdf")
    text = pdftotext(content)
    title = pypdf.PdfReader(io.BytesIO(content)).metadata.title
    assert "<" not in title and "class=" not in title, title  # no markup in the title
    # Never hyphenated: no line ends in a soft hyphen (a layout hyphen) after a piece of
    # a contact.
    for line in text.splitlines():
        if line.endswith("\u00ad"):
            last = line.split()[-1].rstrip("\u00ad")
            pieces = [token for value in CONTACTS for token in value.split()]
            assert len(last) < 3 or not any(p.startswith(last) for p in pieces), (slug, line)
    # Never broken at one of its hyphens (pdftotext drops a hyphen at a line end, so the
    # value would lose it): complete once the line breaks are taken out, where a narrow
    # column had to break it at a space, a slash or between two letters.
    joined = "".join(text.split())
    for value in CONTACTS:
        assert "".join(value.split()) in joined, (slug, value)


@pytest.mark.parametrize(
    "text",
    [
        "Mail selbsthilfe@klinikum-westpark.de.",
        "Siehe www.shg-muenchen.de/gruppen, dann",
        "Tel. (089) 1234-5678 oder 0171/1234567",
        "IBAN DE89370400440532013000",
    ],
)
def test_contacts_are_marked_in_free_text(text):
    assert 'class="contact"' in prepare_value(text)


@pytest.mark.parametrize("text", ["am 01.12.2026 um 18:00", "Raum 012 – 2 Personen", "5-10 Leute"])
def test_other_text_is_left_alone(text):
    assert prepare_value(text) == text
