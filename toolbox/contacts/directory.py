"""The directory as a document (DOCX/PDF), pre-rendered by a worker, never by the web.

A render is cached in the `blank_render` table (the blank forms' cache) under a digest
of the directory's content and the templates, with format `dir-pdf` / `dir-docx`. The
web serves the newest cached render (while a rebuild runs, the previous one) and asks
for a rebuild when the digest changed; the task renders only if nothing is cached under
the current digest. The sweeper asks too, so a missing or stale render gets rebuilt.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import IntegrityError

from toolbox.contacts.service import directory_payload, search
from toolbox.core.extensions import db
from toolbox.documents.render import get_renderer
from toolbox.instruments.ansprechpersonen import INSTRUMENT
from toolbox.jobs.queue import BUILD_DIRECTORY, enqueue
from toolbox.workshops.models import BlankRender

FORMATS = ("pdf", "docx")
PREFIX = "dir-"


@cache
def template_version(templates_dir: str) -> str:
    """Checksum of the document templates (a new version means a new render)."""
    digest = hashlib.sha256()
    for path in sorted(Path(templates_dir).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(templates_dir)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def current_payload() -> dict:
    return directory_payload(search())


def digest_of(payload: dict) -> str:
    digest = hashlib.sha256(
        template_version(str(current_app.config["TOOLBOX_TEMPLATES_DIR"])).encode()
    )
    digest.update(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def latest(fmt: str) -> BlankRender | None:
    """The newest cached render of the directory in `fmt`, current or not."""
    return (
        BlankRender.query.filter_by(format=PREFIX + fmt)
        .order_by(BlankRender.created_at.desc(), BlankRender.id.desc())
        .first()
    )


def current_digest() -> str:
    """The digest the directory's renders must carry to be current."""
    return digest_of(current_payload())


def is_current(row: BlankRender | None, digest: str | None = None) -> bool:
    """Whether `row` renders today's directory (`digest`: current_digest(), if known)."""
    return row is not None and row.cache_key == (digest or current_digest())


def request_rebuild() -> bool:
    """Ask a worker to (re)build the directory documents; call after the commit."""
    return enqueue(BUILD_DIRECTORY, 0)


def ensure_current() -> bool:
    """For the sweeper: ask for a rebuild if the cached render is missing or stale."""
    digest = current_digest()
    if all(is_current(latest(fmt), digest) for fmt in FORMATS):
        return False
    request_rebuild()
    return True


def rebuild() -> bool:
    """Worker side: render and cache the directory unless cached for its digest; older
    renders are dropped once the new one is stored. True when it rendered."""
    payload = current_payload()
    key = digest_of(payload)
    stored = BlankRender.query.filter(
        BlankRender.cache_key == key, BlankRender.format.in_([PREFIX + f for f in FORMATS])
    ).count()
    if stored == len(FORMATS):
        return False
    renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    documents = renderer.render(INSTRUMENT, payload)
    BlankRender.query.filter(BlankRender.format.in_([PREFIX + f for f in FORMATS])).delete(
        synchronize_session=False
    )
    for document in documents:
        if document.format in FORMATS:
            db.session.add(
                BlankRender(
                    cache_key=key, format=PREFIX + document.format, content=document.content
                )
            )
    try:
        db.session.commit()
    except IntegrityError:  # another worker stored the same render at the same moment
        db.session.rollback()
        return False
    return True
