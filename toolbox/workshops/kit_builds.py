"""The life of a workshop's kit: requested (queued), claimed (running, with progress),
done or failed — and what goes into it, read from the database.

Like jobs, every state change is a guarded UPDATE, so a task delivered twice cannot build
twice. The database is the source of truth: a kit whose message was lost or whose worker
died is found by the sweeper (`recover_kits`, the same rules as for document jobs) and
re-queued or failed honestly.

Blank forms are cached in the database (table `blank_render`) under a checksum of their
templates, stylesheet, blank.py and the instrument's fields, so every worker and the
`toolbox kit` command share the cache and a kit does not re-render unchanged templates.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from toolbox.contacts.service import directory_payload, search
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.states import JobState
from toolbox.documents.blank import blank_cache_key
from toolbox.documents.render import Renderer, get_renderer
from toolbox.instruments.base import Instrument
from toolbox.jobs import lifecycle
from toolbox.jobs.queue import BUILD_KIT, enqueue
from toolbox.jobs.recovery import QUEUED_GRACE, running_timeout
from toolbox.submissions.models import Document, Job, Submission
from toolbox.workshops.kit_content import (
    BlankDocument,
    BuiltKit,
    KitSource,
    SourceDocument,
    build_kit,
)
from toolbox.workshops.models import BlankRender, Kit, Workshop
from toolbox.workshops.service import participant_url

log = logging.getLogger(__name__)

# A kit renders many documents: it gets its own time limits, below the Redis visibility
# timeout (jobs.HARD_TIME_LIMIT × 10), or a long build would be handed to a second worker.
KIT_SOFT_TIME_LIMIT = 300
KIT_HARD_TIME_LIMIT = 360
RUNNING_TIMEOUT = running_timeout(KIT_HARD_TIME_LIMIT)  # running longer: its worker is gone

# What a kit holds: (digest of its submissions and their job states, oldest submission).
Contents = tuple[str, datetime | None]


def request_kit(workshop: Workshop) -> bool:
    """New kit, or rebuild a finished/failed one; False if one is being built already."""
    kit = workshop.kit
    if kit is None:
        kit = Kit(workshop_id=workshop.id)
        db.session.add(kit)
        try:
            db.session.commit()
        except IntegrityError:  # someone else asked at the same moment
            db.session.rollback()
            return False
    else:
        won = db.session.execute(
            update(Kit)
            .where(Kit.id == kit.id, Kit.state.in_((JobState.DONE, JobState.FAILED)))
            .values(
                state=JobState.QUEUED,
                progress=0,
                step="",
                error=None,
                attempts=0,
                requested_at=utcnow(),
                started_at=None,
            )
        ).rowcount
        db.session.commit()
        if not won:
            return False
    enqueue_kit(kit.id)
    return True


def enqueue_kit(kit_id: int) -> bool:
    return enqueue(BUILD_KIT, kit_id)


def claim_kit(kit_id: int) -> bool:
    won = lifecycle.claim(Kit, kit_id, progress=0, step="Wird vorbereitet")
    db.session.commit()
    return won


def record_progress(kit_id: int, percent: int, step: str) -> None:
    db.session.execute(
        update(Kit)
        .where(Kit.id == kit_id, Kit.state == JobState.RUNNING)
        .values(progress=max(0, min(percent, 99)), step=step[:200])
    )
    db.session.commit()


def finish_kit(kit_id: int, built: BuiltKit, contents: Contents) -> bool:
    key, oldest = contents
    won = lifecycle.finish(
        Kit,
        kit_id,
        progress=100,
        step="Fertig",
        content=built.content,
        size=len(built.content),
        sha256=built.sha256,
        built_at=utcnow(),
        contents_key=key,
        oldest_submission_at=oldest,
    )
    db.session.commit()
    return won


def fail_kit(kit_id: int, error: str) -> None:
    lifecycle.fail(Kit, kit_id, error, step="Fehlgeschlagen")
    db.session.commit()


def recover_kits(now: datetime) -> int:
    """Called by the sweeper only: a kit left queued (lost message) is enqueued again; one
    left running (worker gone) is queued again, or failed after MAX_ATTEMPTS. Returns how
    many kits were touched."""
    count = 0
    lost = db.session.execute(
        select(Kit.id, Kit.requested_at).where(
            Kit.state == JobState.QUEUED, Kit.requested_at < now - QUEUED_GRACE
        )
    ).all()
    for kit_id, requested_at in lost:
        guard = (Kit.id == kit_id, Kit.state == JobState.QUEUED, Kit.requested_at == requested_at)
        won = db.session.execute(update(Kit).where(*guard).values(requested_at=now)).rowcount
        db.session.commit()
        if won:
            enqueue_kit(kit_id)
            count += 1
    for row in lifecycle.stuck(Kit, now, RUNNING_TIMEOUT):
        won = lifecycle.recover_stuck(
            Kit, row, queued={"requested_at": now}, failed={"step": "Fehlgeschlagen"}
        )
        db.session.commit()
        if won:
            count += 1
            if won[0] == "recovered":
                enqueue_kit(row.id)
    return count


# --- what is in a kit ------------------------------------------------------------------------


def _digest(rows) -> str:
    text = "\n".join(f"{sid}:{state}" for sid, state in sorted(rows))
    return hashlib.sha256(text.encode()).hexdigest()


def current_contents(workshop_id: int) -> Contents:
    """(key, oldest submission time) of the workshop's submissions right now."""
    rows = db.session.execute(
        select(Submission.id, Job.state, Submission.created_at)
        .join(Submission.job)
        .where(Submission.workshop_id == workshop_id)
    ).all()
    oldest = min((r[2] for r in rows), default=None)
    return _digest([(r[0], r[1]) for r in rows]), oldest


def is_outdated(kit: Kit | None) -> bool:
    """Submissions were added, deleted or (re)rendered since the kit was built."""
    if kit is None or not kit.ready:
        return False
    return current_contents(kit.workshop_id)[0] != kit.contents_key


def kit_source(workshop: Workshop) -> tuple[KitSource, Contents]:
    """Everything the kit needs, as plain values, and the contents key it was read at."""
    submissions = db.session.execute(
        select(Submission.id, Submission.instrument, Job.state, Submission.created_at)
        .join(Submission.job)
        .where(Submission.workshop_id == workshop.id)
    ).all()
    documents = db.session.execute(
        select(
            Submission.instrument,
            Document.submission_id,
            Document.format,
            Document.filename,
            Document.content,
            Document.created_at,
        )
        .join(Document.submission)
        .where(Submission.workshop_id == workshop.id)
        .order_by(Submission.created_at, Document.id)
    ).all()
    with_documents = {d.submission_id for d in documents}
    counts: dict[str, int] = {}
    missing: dict[str, int] = {}
    for s in submissions:
        counts[s.instrument] = counts.get(s.instrument, 0) + 1
        if s.id not in with_documents:
            missing[s.instrument] = missing.get(s.instrument, 0) + 1
    source = KitSource(
        title=workshop.title,
        date=workshop.date,
        place=workshop.place,
        instruments=tuple(workshop.instruments),
        participant_url=participant_url(workshop),
        submissions=counts,
        without_documents=missing,
        documents=tuple(
            SourceDocument(d.instrument, d.format, d.filename, d.content, d.created_at)
            for d in documents
        ),
        contacts_payload=directory_payload(search()),
        generated=utcnow(),
    )
    key = _digest([(s.id, s.state) for s in submissions])
    oldest = min((s.created_at for s in submissions), default=None)
    return source, (key, oldest)


def cached_blanks(renderer: Renderer, templates_dir: Path):
    """An instrument's blank DOCX and PDF: from the cache, or rendered and cached."""

    def blanks(instrument: Instrument) -> list[BlankDocument]:
        key = blank_cache_key(instrument, templates_dir)
        rows = BlankRender.query.filter_by(cache_key=key).all()
        if {r.format for r in rows} >= {"docx", "pdf"}:
            return [BlankDocument(r.format, r.content, r.created_at) for r in rows]
        now = utcnow()
        docs = renderer.render(instrument, {}, blank=True)
        BlankRender.query.filter_by(cache_key=key).delete()
        for d in docs:
            db.session.add(BlankRender(cache_key=key, format=d.format, content=d.content))
        try:
            db.session.commit()
        except IntegrityError:  # another worker cached it at the same moment: fine
            db.session.rollback()
        return [BlankDocument(d.format, d.content, now) for d in docs]

    return blanks


def build_workshop_kit(
    workshop: Workshop, progress=lambda percent, step: None
) -> tuple[BuiltKit, Contents]:
    templates_dir = Path(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    renderer = get_renderer(str(templates_dir))
    source, contents = kit_source(workshop)
    built = build_kit(source, renderer, cached_blanks(renderer, templates_dir), progress)
    return built, contents
