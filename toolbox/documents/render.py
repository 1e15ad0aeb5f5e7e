"""Everything one submission becomes: DOCX and PDF (and later .ics), as bytes.

Pure: no Flask, no database. The worker, the `toolbox render` command and the benchmark
all call `Renderer.render`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolbox.core.time import berlin_today
from toolbox.documents.blank import as_text, blank_context, fill_in_context, render_blank_docx
from toolbox.documents.consent import ConsentRecord
from toolbox.documents.docx import DOCX_MEDIA_TYPE, append_consent_proof, render_docx
from toolbox.documents.formatting import document_filename, german_date
from toolbox.documents.ics import ICS_MEDIA_TYPE, render_ics
from toolbox.documents.pdf import PDF_MEDIA_TYPE, PdfRenderer
from toolbox.documents.review_dates import review_event
from toolbox.documents.sanitize import sanitize_value
from toolbox.instruments.base import Instrument
from toolbox.instruments.values import display_context

MEDIA_TYPES = {"docx": DOCX_MEDIA_TYPE, "pdf": PDF_MEDIA_TYPE, "ics": ICS_MEDIA_TYPE}


@dataclass(frozen=True)
class RenderedDocument:
    format: str
    filename: str
    content: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def document_context(instrument: Instrument, payload: dict, today: dt.date) -> dict:
    """What every template of a document reads: the stored answers, cleaned and formatted
    for display (the PDF, the DOCX, the preview and the web page alike)."""
    return display_context(instrument, sanitize_value(payload), today)


class Renderer:
    def __init__(self, templates_dir: Path):
        self.docx_dir = templates_dir / "docx"
        self.pdf = PdfRenderer(templates_dir / "html")

    def context(self, instrument: Instrument, payload: dict, today: dt.date) -> dict:
        return document_context(instrument, payload, today)

    def render(
        self,
        instrument: Instrument,
        payload: dict,
        today: dt.date | None = None,
        blank: bool = False,
        replaces: str = "",
        consent: ConsentRecord | None = None,
        series_key: str = "",
        version: int | None = None,
    ) -> list[RenderedDocument]:
        """All documents of one submission, or (`blank`) the form to fill in by hand.
        `replaces`: when the version this one corrects was made, for the footer.

        For an agreement the parties circulate (issue 16):
        `consent`: the final version's `ConsentRecord`; the PDF gets a last page
        "Zustimmungsnachweis", the DOCX the same section, both footers say
        "Endfassung, Version n" (n = `consent.version`).
        `version`: the version number of a draft (footer "Entwurf, Version n"); with
        `consent` it may be left out and must otherwise equal `consent.version`.
        `series_key`: a stable, non-personal key of the whole series of versions (e.g. a
        hash of the first version's id): the .ics then has UIDs derived from it alone and
        SEQUENCE = version − 1, so a calendar updates its events from version to version;
        the review date ("Nächste Überprüfung", "gültig bis") becomes an event too, and
        every instrument with a review date then also gets an .ics."""
        today = today or berlin_today()
        if blank:
            return self.render_blank(instrument, today)
        if consent is not None:
            if version is not None and version != consent.version:
                raise ValueError("version und consent.version stimmen nicht überein.")
            version = consent.version
            consent = consent.cleaned()
        payload = sanitize_value(payload)
        ctx = display_context(instrument, payload, today)
        ctx["ersetzt"] = replaces
        ctx["zustimmungsnachweis"] = consent
        if consent is not None:
            ctx["fassung"] = f"Endfassung, Version {consent.version}"
        elif version is not None:
            ctx["fassung"] = f"Entwurf, Version {version}"
        else:
            ctx["fassung"] = ""
        # One line: it becomes the DOCX/PDF title and the calendar's name (no line breaks).
        title = " ".join(f"{instrument.document_title} – {ctx['short_name']}".split()).rstrip(" –")
        review = review_event(instrument, payload) if series_key else None
        formats = instrument.formats
        if review is not None and "ics" not in formats:
            formats = (*formats, "ics")
        out = []
        for fmt in formats:
            if fmt == "docx":
                content = render_docx(self.docx_dir / f"{instrument.slug}.docx", ctx, title)
                if consent is not None:
                    content = append_consent_proof(content, consent, ctx["fassung"])
            elif fmt == "pdf":
                content = self.pdf.render_pdf(f"{instrument.slug}.html", ctx)
            elif series_key:
                events = instrument.calendar(payload) if instrument.calendar else []
                keys = [str(index) for index in range(len(events))]
                if review is not None:
                    events, keys = [*events, review], [*keys, "review"]
                content = render_ics(
                    events,
                    title,
                    uid_seed=f"series:{series_key}",
                    sequence=(version or 1) - 1,
                    event_keys=keys,
                )
            else:
                events = instrument.calendar(payload)
                seed = instrument.slug + json.dumps(payload, sort_keys=True)
                content = render_ics(events, title, uid_seed=seed)
            name = document_filename(today, instrument.document_title, ctx["short_name"], fmt)
            out.append(RenderedDocument(fmt, name, content))
        return out

    def render_blank(self, instrument: Instrument, today: dt.date) -> list[RenderedDocument]:
        """The form to fill in by hand: the document itself with lines where values go
        (instruments with clauses), or a questionnaire from the declarations."""
        if instrument.blank_document:
            ctx = fill_in_context(instrument, today)
            title = f"{instrument.document_title} – {ctx['short_name']}"
            contents = (
                (
                    "docx",
                    render_docx(self.docx_dir / f"{instrument.slug}.docx", as_text(ctx), title),
                ),
                ("pdf", self.pdf.render_pdf(f"{instrument.slug}.html", ctx)),
            )
        else:
            ctx = blank_context(instrument, german_date(today))
            contents = (
                ("docx", render_blank_docx(ctx)),
                ("pdf", self.pdf.render_pdf("_blank.html", ctx)),
            )
        return [
            RenderedDocument(fmt, blank_filename(instrument, today, fmt), content)
            for fmt, content in contents
        ]


def blank_filename(instrument: Instrument, day: dt.date, fmt: str) -> str:
    return document_filename(day, instrument.document_title, "Vorlage", fmt)


def warm_up(renderer: Renderer, instruments) -> None:
    """Compile every template and render one document, so the first real job of a fresh
    worker process is not the one that pays for WeasyPrint's start (see PERFORMANCE.md)."""
    for instrument in instruments:
        renderer.pdf.env.get_template(f"{instrument.slug}.html")
    first = next(iter(instruments), None)
    if first is not None:
        renderer.render(first, {}, blank=True)


@lru_cache(maxsize=4)
def get_renderer(templates_dir: str) -> Renderer:
    """One renderer per process: fonts and CSS are loaded once (warm workers)."""
    return Renderer(Path(templates_dir))
