"""DOCX from a Word template (docxtpl): the editable version of a document."""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path

from docxtpl import DocxTemplate
from markupsafe import Markup, escape

from toolbox.documents.templating import document_environment

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@lru_cache(maxsize=64)
def _template_bytes(path: Path, mtime: float) -> bytes:
    return path.read_bytes()


def keep_docxtpl_escapes(value):
    """docxtpl turns "{_{", "}_}", "{_%" and "%_}" anywhere in its output into Jinja
    delimiters, typed text included. An underscore written as a character reference
    is the same character to Word and does not match."""
    if isinstance(value, str) and not isinstance(value, Markup) and "_" in value:
        return Markup(str(escape(value)).replace("_", "&#95;"))  # noqa: S704 - escaped here
    return value


def render_docx(template: Path, context: dict, title: str) -> bytes:
    """Render `template` with `context` (already sanitised plain values)."""
    source = _template_bytes(template, template.stat().st_mtime)
    doc = DocxTemplate(io.BytesIO(source))
    # Not strict: the template checker (`toolbox check-templates`) is what guarantees that
    # a DOCX template uses only known variables.
    env = document_environment(strict=False, finalize=keep_docxtpl_escapes)
    doc.render(context, jinja_env=env, autoescape=True)
    props = doc.docx.core_properties
    props.title = title[:255]  # Word's limit; the title holds a short name of any length
    props.language = "de-DE"
    props.author = "toolbox"
    props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
