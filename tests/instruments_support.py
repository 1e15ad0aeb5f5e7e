"""What the tests of single instruments (tests/test_instrument_*.py) share: submitting
through the API, the field errors of a refused submission, and the rendered documents.

A test module binds the helpers to its instrument once::

    CASE = InstrumentCase(SLUG, today=dt.date(2027, 3, 1))

and imports ``renderer_fixture`` to get the module-wide ``renderer`` fixture."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import ROOT, docx_text, pdf_text, squash

from toolbox.documents.render import Renderer
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import get_instrument


@pytest.fixture(scope="module", name="renderer")
def renderer_fixture() -> Renderer:
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


class InstrumentCase:
    """The API and rendering helpers for one instrument; documents are dated ``today``."""

    def __init__(self, slug: str, today: dt.date):
        self.slug = slug
        self.instrument = get_instrument(slug)
        self.today = today

    def submit(self, client, data):
        return client.post("/api/v1/submissions", json={"instrument": self.slug, "data": data})

    def errors_of(self, client, data) -> dict:
        """The field errors of a submission the API refuses."""
        response = self.submit(client, data)
        assert response.status_code == 400
        return response.get_json()["errors"]

    def render(self, renderer, payload) -> dict:
        """The documents of a stored payload (not validated again), by format."""
        documents = renderer.render(self.instrument, payload, today=self.today)
        return {d.format: d for d in documents}

    def render_form(self, app, renderer, data) -> dict:
        """The documents of API-style data, validated and cleaned as a submission is."""
        with app.app_context():
            form, errors = validated_form(self.instrument, data)
            assert not errors, errors
            payload = to_payload(form)
        return self.render(renderer, payload)


def texts(docs) -> tuple[str, str]:
    """(DOCX text, PDF text) of rendered documents, whitespace-insensitive."""
    return squash(docx_text(docs["docx"].content)), squash(pdf_text(docs["pdf"].content))
