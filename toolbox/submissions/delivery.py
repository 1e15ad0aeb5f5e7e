"""The life of a documents email: none → pending → sent | failed (failed can be re-sent).

Sending at most once per request: a task must *claim* the email (a guarded UPDATE) before
it talks to the server, and only one claim can be live at a time. "sent" is recorded only
after the server accepted the message.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import or_, select, update

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.mail import new_message, send, sender_address
from toolbox.core.states import EmailState, JobState
from toolbox.core.urls import external_url
from toolbox.documents.render import MEDIA_TYPES
from toolbox.instruments.registry import get_instrument
from toolbox.jobs.queue import SEND_DOCUMENTS, enqueue
from toolbox.submissions.mail_limits import ADDED_DETAIL, RESEND_DETAIL, check_resend_allowed
from toolbox.submissions.models import Job, Submission
from toolbox.submissions.service import outbox_key, record_event

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=5)


def enqueue_email(submission_id: int) -> None:
    """Send the documents in the background; while the broker is down the email stays
    pending and the sweeper sends it later."""
    enqueue(SEND_DOCUMENTS, submission_id)


def _sent_again() -> dict:
    """The columns of a send requested anew (re-send or address added to the submission):
    pending again, as a new message (the next generation gets a new Message-ID)."""
    return {
        "email_state": EmailState.PENDING,
        "email_generation": Submission.email_generation + 1,
        "email_error": None,
        "email_claimed_at": None,
        "email_sent_at": None,
        "email_requested_at": utcnow(),
    }


def request_resend(submission: Submission) -> bool:
    """failed/sent → pending, as a new message (new Message-ID). Raises ResendRefused
    past the per-submission limits (toolbox.submissions.mail_limits)."""
    if not submission.email or submission.email_state not in (EmailState.FAILED, EmailState.SENT):
        return False
    check_resend_allowed(submission.id)
    won = db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.email_state == submission.email_state)
        .values(**_sent_again())
    ).rowcount
    if won:
        record_event(submission.id, "email", EmailState.PENDING, RESEND_DETAIL)
    db.session.commit()
    if won:
        enqueue_email(submission.id)
    return bool(won)


def request_email(submission: Submission, address: str) -> bool:
    """none → pending with an address given after the fact (validated by the caller, see
    forms.AddressForm); False when the submission has an address already. The documents
    go out once they are done (render_job sends them if they are not yet). Raises
    ResendRefused past the same per-submission limits as re-sending."""
    if submission.email or submission.email_state != EmailState.NONE:
        return False
    check_resend_allowed(submission.id)
    won = db.session.execute(
        update(Submission)
        .where(
            Submission.id == submission.id,
            Submission.email.is_(None),
            Submission.email_state == EmailState.NONE,
        )
        .values(email=address, **_sent_again())
    ).rowcount
    if won:
        record_event(submission.id, "email", EmailState.PENDING, ADDED_DETAIL)
    db.session.commit()
    # Read after the commit: a job finishing meanwhile either saw the address (and sends)
    # or finished before, and then it is done here; claim_email stops a second send.
    job_state = db.session.scalar(select(Job.state).where(Job.submission_id == submission.id))
    if won and job_state == JobState.DONE:
        enqueue_email(submission.id)
    return bool(won)


def claim_email(submission_id: int) -> bool:
    now = utcnow()
    won = db.session.execute(
        update(Submission)
        .where(
            Submission.id == submission_id,
            Submission.email_state == EmailState.PENDING,
            Submission.email_sent_at.is_(None),
            or_(
                Submission.email_claimed_at.is_(None),
                Submission.email_claimed_at < now - CLAIM_TIMEOUT,
            ),
        )
        .values(email_claimed_at=now, email_attempts=Submission.email_attempts + 1)
    ).rowcount
    db.session.commit()
    return bool(won)


def message_id(submission: Submission) -> str:
    """Deterministic per submission and send request: a task that runs twice builds the
    same message, so a receiving server (and we) can recognise a duplicate."""
    digest = hashlib.sha256(f"{submission.token}:{submission.email_generation}".encode())
    return f"<{digest.hexdigest()[:40]}@toolbox>"


def build_message(
    submission: Submission, title: str, page_url: str, sender: str, max_attachment_bytes: int
) -> EmailMessage:
    documents = list(submission.documents)
    total = sum(d.size for d in documents)
    attach = total <= max_attachment_bytes
    context = {
        "title": title,
        "short_name": submission.short_name,
        "page_url": page_url,
        "documents": documents,
        "attached": attach,
        "limit_mb": max_attachment_bytes // (1024 * 1024),
    }
    subject = f"Ihre Dokumente: {title}"
    if submission.short_name:
        subject += f" – {submission.short_name}"
    msg = new_message(subject, sender, submission.email, message_id(submission))
    msg.set_content(render_template("mail/documents.txt", **context))
    msg.add_alternative(render_template("mail/documents.html", **context), subtype="html")
    if attach:
        for doc in documents:
            maintype, subtype = MEDIA_TYPES[doc.format].split("/")
            msg.add_attachment(
                doc.content, maintype=maintype, subtype=subtype, filename=doc.filename
            )
    return msg


def deliver(submission: Submission) -> str:
    """Send the message (SMTP or outbox); returns the transport used. Raises MailError."""
    config = current_app.config
    instrument = get_instrument(submission.instrument)
    msg = build_message(
        submission,
        title=instrument.document_title if instrument else submission.instrument,
        page_url=external_url(submission.page_path),
        sender=sender_address(config.get("TOOLBOX_MAIL_FROM")),
        max_attachment_bytes=config["TOOLBOX_MAIL_MAX_ATTACHMENT_BYTES"],
    )
    return send(msg, outbox_key=outbox_key(submission.id))


def mark_sent(submission_id: int, transport: str) -> None:
    db.session.execute(
        update(Submission)
        .where(Submission.id == submission_id)
        .values(
            email_state=EmailState.SENT,
            email_sent_at=utcnow(),
            email_transport=transport,
            email_error=None,
            email_claimed_at=None,
        )
    )
    record_event(submission_id, "email", EmailState.SENT, transport)
    db.session.commit()


def release_claim(submission_id: int, error: str, final: bool) -> None:
    """Record a failed attempt; `final` gives up (failed), otherwise a retry will claim again."""
    values = {"email_error": error[:2000], "email_claimed_at": None}
    if final:
        values["email_state"] = EmailState.FAILED
    db.session.execute(update(Submission).where(Submission.id == submission_id).values(**values))
    record_event(
        submission_id, "email", EmailState.FAILED if final else EmailState.PENDING, error[:2000]
    )
    db.session.commit()
