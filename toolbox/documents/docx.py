"""DOCX from a Word template (docxtpl): the editable version of a document."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from docxtpl import DocxTemplate

from toolbox.documents.templating import document_environment

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@lru_cache(maxsize=64)
def _template_bytes(path: Path, mtime: float) -> bytes:
    return path.read_bytes()


def render_docx(template: Path, context: dict, title: str) -> bytes:
    """Render `template` with `context` (already sanitised plain values)."""
    source = _template_bytes(template, template.stat().st_mtime)
    doc = DocxTemplate(io.BytesIO(source))
    # Not strict: the template checker (`toolbox check-templates`) is what guarantees that
    # a DOCX template uses only known variables.
    doc.render(context, jinja_env=document_environment(strict=False), autoescape=True)
    props = doc.docx.core_properties
    props.title = title
    props.language = "de-DE"
    props.author = "toolbox"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
