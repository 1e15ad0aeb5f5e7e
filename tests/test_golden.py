"""Golden tests for every instrument: realistic German data (tests/data/<slug>.json, from
the scenarios) → every entered value appears in the DOCX and the PDF; the blank form has
every label; the .ics parses; and the template checker finds nothing."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from conftest import ROOT, load_data
from helpers import docx_text, loose, pdf_text, squash

from toolbox.documents.checks import check_instrument
from toolbox.documents.render import Renderer
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.instruments.values import display_value

TODAY = dt.date(2026, 11, 22)
SLUGS = sorted(INSTRUMENTS)


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def shown_values(instrument, payload) -> list[str]:
    """What a person expects to find in the document: every value as it is displayed."""
    out = []
    for f in instrument.fields:
        value = display_value(f, payload.get(f.name))
        rows = value if f.type == "list" else [{f.name: value}]
        for row in rows:
            for v in row.values():
                out.extend(v if isinstance(v, list) else [v])
    # Long text may be laid out line by line (e.g. one goal per numbered item).
    return [line for v in out if isinstance(v, str) for line in v.split("\n") if line.strip()]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_value_appears_in_docx_and_pdf(app, renderer, slug):
    instrument = INSTRUMENTS[slug]
    with app.app_context():
        form, errors = validated_form(instrument, load_data(slug))
    assert not errors, errors
    payload = to_payload(form)
    docs = {d.format: d for d in renderer.render(instrument, payload, today=TODAY)}
    assert {"docx", "pdf"} <= set(docs)
    docx_t = squash(docx_text(docs["docx"].content))
    pdf_t = loose(pdf_text(docs["pdf"].content))
    for value in shown_values(instrument, payload):
        assert squash(value) in docx_t, f"DOCX lacks {value!r}"
        # A narrow column may break a long address without a hyphen (issue 19): compare
        # without the line breaks.
        assert "".join(loose(value).split()) in "".join(pdf_t.split()), f"PDF lacks {value!r}"
    assert instrument.document_title in pdf_t and "Seite 1 von" in pdf_t
    for doc in docs.values():
        assert doc.filename.startswith("2026-11-22_")
    if "ics" in docs:
        calendar = icalendar.Calendar.from_ical(docs["ics"].content)
        assert calendar.walk("VEVENT")


@pytest.mark.parametrize("slug", SLUGS)
def test_blank_form_has_every_label(renderer, slug):
    instrument = INSTRUMENTS[slug]
    docs = {d.format: d for d in renderer.render(instrument, {}, today=TODAY, blank=True)}
    texts = {
        "DOCX": squash(docx_text(docs["docx"].content)),
        "PDF": loose(pdf_text(docs["pdf"].content)),
    }
    labels = [f.label for f in instrument.fields]
    labels += [s.label for f in instrument.fields for s in f.fields]
    for kind, text in texts.items():
        for label in labels:
            expected = loose(label) if kind == "PDF" else squash(label)
            assert expected in text, f"{kind} blank lacks {label!r}"


@pytest.mark.parametrize("slug", SLUGS)
def test_templates_use_exactly_the_declared_fields(slug):
    assert check_instrument(INSTRUMENTS[slug], ROOT / "toolbox" / "documents" / "templates") == []
