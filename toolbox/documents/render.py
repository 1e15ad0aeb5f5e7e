"""Everything one submission becomes: DOCX and PDF (and later .ics), as bytes.

Pure: no Flask, no database. The worker, the `toolbox render` command and the benchmark
all call `Renderer.render`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolbox.documents.docx import DOCX_MEDIA_TYPE, render_docx
from toolbox.documents.formatting import document_filename
from toolbox.documents.pdf import PDF_MEDIA_TYPE, PdfRenderer
from toolbox.documents.sanitize import sanitize_value
from toolbox.instruments.base import Instrument
from toolbox.instruments.values import display_context

MEDIA_TYPES = {"docx": DOCX_MEDIA_TYPE, "pdf": PDF_MEDIA_TYPE}


@dataclass(frozen=True)
class RenderedDocument:
    format: str
    filename: str
    content: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


class Renderer:
    def __init__(self, templates_dir: Path):
        self.docx_dir = templates_dir / "docx"
        self.pdf = PdfRenderer(templates_dir / "html")

    def context(
        self, instrument: Instrument, payload: dict, today: dt.date, blank: bool = False
    ) -> dict:
        return display_context(instrument, sanitize_value(payload), today, blank=blank)

    def render(
        self,
        instrument: Instrument,
        payload: dict,
        today: dt.date | None = None,
        blank: bool = False,
    ) -> list[RenderedDocument]:
        """All documents of one submission, or the blank form to fill in by hand."""
        today = today or dt.date.today()
        ctx = self.context(instrument, payload, today, blank=blank)
        short_name = "Vorlage" if blank else ctx["short_name"]
        title = f"{instrument.document_title} – {short_name}".rstrip(" –")
        out = []
        for fmt in instrument.formats:
            if fmt == "docx":
                content = render_docx(self.docx_dir / f"{instrument.slug}.docx", ctx, title)
            elif fmt == "pdf":
                content = self.pdf.render_pdf(f"{instrument.slug}.html", ctx)
            else:
                raise ValueError(f"{instrument.slug}: unbekanntes Format {fmt}")
            name = document_filename(today, instrument.document_title, short_name, fmt)
            out.append(RenderedDocument(fmt, name, content))
        return out


@lru_cache(maxsize=4)
def get_renderer(templates_dir: str) -> Renderer:
    """One renderer per process: fonts and CSS are loaded once (warm workers)."""
    return Renderer(Path(templates_dir))
