"""Recovery and retention, run on a schedule (celery beat) and by hand (`toolbox purge`).

The broker may lose messages (Redis restarted without persistence, broker down at submit
time) and worker processes may die mid-task. The database knows what is unfinished, so
the sweeper re-enqueues it; a job that keeps dying is given up after MAX_ATTEMPTS. It is the
one place that recovers: document jobs, emails and kits (nothing recovers in a page view).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from toolbox.contacts.directory import ensure_current as ensure_directory_current
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.states import EmailState, JobState
from toolbox.jobs import HARD_TIME_LIMIT, lifecycle
from toolbox.jobs.recovery import QUEUED_GRACE, running_timeout
from toolbox.submissions.delivery import enqueue_email
from toolbox.submissions.models import Draft, Event, Job, Submission
from toolbox.submissions.service import (
    delete_outbox_files,
    enqueue,
    record_event,
    scrub_deleted_data,
)
from toolbox.workshops.kit_builds import recover_kits
from toolbox.workshops.models import Kit

RUNNING_TIMEOUT = running_timeout(HARD_TIME_LIMIT)  # running longer: its worker is gone
EMAIL_QUIET = timedelta(minutes=10)  # longer than the longest retry backoff
SWEEP_DELAY = timedelta(seconds=30)  # celery beat runs the sweep this often (by default)
MAIL_MAX_ATTEMPTS = 10
REQUEUED = "nach Unterbrechung erneut eingereiht"  # the timeline's word for a recovered job


def sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    counts = {"requeued": 0, "recovered": 0, "given_up": 0, "emails": 0, "kits": 0}

    for job_id in db.session.scalars(
        select(Job.id).where(Job.state == JobState.QUEUED, Job.queued_at < now - QUEUED_GRACE)
    ).all():
        counts["requeued"] += enqueue(job_id)

    for row in lifecycle.stuck(Job, now, RUNNING_TIMEOUT):
        won = lifecycle.recover_stuck(
            Job, row, queued={"queued_at": now}, failed={"finished_at": now}
        )
        if won is None:
            db.session.rollback()
            continue
        outcome, error = won
        submission_id = db.session.scalar(select(Job.submission_id).where(Job.id == row.id))
        if outcome == "given_up":
            record_event(submission_id, "job", JobState.FAILED, error)
        else:
            record_event(submission_id, "job", JobState.QUEUED, REQUEUED)
        db.session.commit()
        counts[outcome] += 1
        if outcome == "recovered":
            enqueue(row.id)

    counts["emails"] = _sweep_emails(now)
    counts["kits"] = recover_kits(now)
    ensure_directory_current()  # a missing or stale directory render gets rebuilt
    return counts


def _sweep_emails(now: datetime) -> int:
    """Pending emails whose task message was lost: documents done, nobody sending, and
    nothing happened for a while."""
    last_event = (
        select(func.max(Event.at))
        .where(Event.submission_id == Submission.id, Event.kind == "email")
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Submission.id, Submission.email_attempts)
        .join(Job)
        .where(
            Submission.email_state == EmailState.PENDING,
            Job.state == JobState.DONE,
            Submission.email_claimed_at.is_(None),
            last_event < now - EMAIL_QUIET,
        )
    ).all()
    for submission_id, attempts in rows:
        if attempts >= MAIL_MAX_ATTEMPTS:
            db.session.execute(
                update(Submission)
                .where(Submission.id == submission_id)
                .values(email_state=EmailState.FAILED)
            )
            record_event(submission_id, "email", EmailState.FAILED, "zu viele Versuche")
            db.session.commit()
        else:
            enqueue_email(submission_id)
    return len(rows)


def purge(now: datetime | None = None) -> dict[str, int]:
    """Delete submissions (with documents and events) and drafts older than the
    retention period, and workshop kits built that long ago or holding such a submission
    (a kit keeps copies of the documents)."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["TOOLBOX_RETENTION_DAYS"])
    old = db.session.scalars(select(Submission).where(Submission.created_at < cutoff)).all()
    for submission in old:
        db.session.delete(submission)
    drafts = db.session.execute(delete(Draft).where(Draft.updated_at < cutoff)).rowcount
    kits = db.session.execute(
        delete(Kit).where(or_(Kit.built_at < cutoff, Kit.oldest_submission_at < cutoff))
    ).rowcount
    old_ids = [submission.id for submission in old]
    db.session.commit()
    delete_outbox_files(old_ids)
    scrub_deleted_data()
    return {"submissions": len(old), "drafts": drafts, "kits": kits}
