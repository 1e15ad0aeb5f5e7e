"""The life of a submission: stored, queued, claimed, rendered, done or failed.

Every state change is a guarded UPDATE (compare-and-set), so a task delivered twice, or
two workers racing for one job, cannot both win.
"""

from __future__ import annotations

import hashlib
import json
import logging

from flask import current_app
from sqlalchemy import select, text

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.mail import delete_outbox
from toolbox.core.states import EmailState, JobState
from toolbox.documents.render import RenderedDocument
from toolbox.instruments.base import Instrument
from toolbox.instruments.forms import is_large
from toolbox.instruments.registry import get_instrument
from toolbox.jobs import RENDER_LARGE_QUEUE, RENDER_QUEUE, lifecycle
from toolbox.jobs.queue import RENDER_JOB
from toolbox.jobs.queue import enqueue as enqueue_task
from toolbox.submissions.models import Deletion, Document, Event, Job, Submission
from toolbox.workshops.models import Kit, Workshop

log = logging.getLogger(__name__)


def create_submission(
    instrument: Instrument,
    payload: dict,
    email: str | None = None,
    workshop: Workshop | None = None,
    replaces: Submission | None = None,
) -> Submission:
    """Store the submission and its job in one transaction, then enqueue the job id.
    `workshop`: made through that workshop's participant link. `replaces`: the earlier
    submission this one corrects (its documents stay); a correction goes to the same
    workshop as the submission it corrects."""
    if replaces is not None and workshop is None:
        workshop = replaces.workshop
    submission = Submission(
        instrument=instrument.slug,
        payload_json=json.dumps(payload, ensure_ascii=False),
        short_name=instrument.short_name(payload)[:200],
        job=Job(),
        workshop_id=workshop.id if workshop else None,
        replaces_id=replaces.id if replaces else None,
    )
    submission.events.append(Event(kind="job", state=JobState.QUEUED))
    if email:
        submission.email = email
        submission.email_state = EmailState.PENDING
        submission.email_requested_at = utcnow()
        submission.events.append(Event(kind="email", state=EmailState.PENDING))
    db.session.add(submission)
    db.session.commit()
    _enqueue_render(submission)
    return submission


def render_queue(submission: Submission) -> str:
    """The render queue of a submission: large ones have their own (instruments.limits)."""
    large = is_large(get_instrument(submission.instrument), submission.payload)
    return RENDER_LARGE_QUEUE if large else RENDER_QUEUE


def enqueue(job_id: int) -> bool:
    """Put the job id on the broker, on its render queue. A broker outage loses nothing:
    the row stays `queued` and the sweeper enqueues it again later."""
    submission = db.session.scalars(
        select(Submission).join(Job).where(Job.id == job_id)
    ).one_or_none()
    if submission is None:  # deleted meanwhile: nothing to render
        return False
    return _enqueue_render(submission)


def _enqueue_render(submission: Submission) -> bool:
    return enqueue_task(RENDER_JOB, submission.job.id, queue=render_queue(submission))


def record_event(submission_id: int, kind: str, state: str, detail: str | None = None) -> None:
    """Add a timeline entry to the current transaction (the caller commits)."""
    db.session.add(Event(submission_id=submission_id, kind=kind, state=state, detail=detail))


def claim_job(job_id: int) -> bool:
    """queued → running, only if nobody else got there first."""
    won = lifecycle.claim(Job, job_id)
    if won:
        record_event(_submission_of(job_id), "job", JobState.RUNNING)
    db.session.commit()
    return won


def _submission_of(job_id: int) -> int:
    return db.session.scalar(select(Job.submission_id).where(Job.id == job_id))


def finish_job(job: Job, documents: list[RenderedDocument]) -> bool:
    """Store the documents and mark the job done, in one transaction; replaces any
    documents an earlier run left behind."""
    if not lifecycle.finish(Job, job.id, finished_at=utcnow()):
        db.session.rollback()
        return False
    record_event(job.submission_id, "job", JobState.DONE)
    Document.query.filter_by(submission_id=job.submission_id).delete()
    for doc in documents:
        db.session.add(
            Document(
                submission_id=job.submission_id,
                format=doc.format,
                filename=doc.filename,
                content=doc.content,
                size=len(doc.content),
                sha256=hashlib.sha256(doc.content).hexdigest(),
            )
        )
    db.session.commit()
    return True


def fail_job(job_id: int, error: str) -> None:
    if lifecycle.fail(Job, job_id, error, finished_at=utcnow()):
        record_event(_submission_of(job_id), "job", JobState.FAILED, error[: lifecycle.ERROR_CHARS])
    db.session.commit()


def retry_job(job_id: int) -> bool:
    """failed → queued (a person asked for it), then enqueue."""
    won = lifecycle.transition(
        Job,
        job_id,
        JobState.FAILED,
        JobState.QUEUED,
        queued_at=utcnow(),
        started_at=None,
        finished_at=None,
    )
    if won:
        record_event(_submission_of(job_id), "job", JobState.QUEUED, "erneut angestoßen")
    db.session.commit()
    if won:
        enqueue(job_id)
    return bool(won)


def delete_submission(submission: Submission, deleted_by: int | None) -> None:
    """Delete a submission with its documents, events and data (GDPR request). What stays
    is a Deletion row with the id, the instrument, the time and who deleted it."""
    db.session.add(
        Deletion(
            submission_id=submission.id, instrument=submission.instrument, deleted_by=deleted_by
        )
    )
    if submission.workshop_id is not None:
        # The workshop's kit holds copies of the documents: it goes too (can be rebuilt).
        Kit.query.filter_by(workshop_id=submission.workshop_id).delete()
    submission_id = submission.id
    db.session.delete(submission)
    db.session.commit()
    delete_outbox_files([submission_id])
    scrub_deleted_data()


def outbox_key(submission_id: int) -> str:
    """Names the outbox files (.eml, no SMTP configured) of a submission: not secret."""
    return f"submission-{submission_id}"


def delete_outbox_files(submission_ids: list[int]) -> None:
    """The outbox holds copies of the documents email: it goes with the submission."""
    outbox = current_app.config["TOOLBOX_OUTBOX_DIR"]
    for submission_id in submission_ids:
        delete_outbox(outbox, outbox_key(submission_id))


def scrub_deleted_data() -> None:
    """Deleted personal data must not linger on disk. SQLite keeps deleted bytes in the
    write-ahead log until a checkpoint: fold it into the database file (whose freed pages
    `secure_delete` zeroes) and empty it. (PostgreSQL frees rows at VACUUM, which
    autovacuum runs; see docs/DEPLOYMENT.md.)"""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
