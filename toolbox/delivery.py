"""The life of a documents email: none → pending → sent | failed (failed can be re-sent).

Sending at most once per request: a task must *claim* the email (a guarded UPDATE) before
it talks to the server, and only one claim can be live at a time. "sent" is recorded only
after the server accepted the message.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from toolbox.extensions import db
from toolbox.instruments.registry import get_instrument
from toolbox.mail import (
    SmtpSettings,
    build_message,
    send_smtp,
    sender_address,
    write_outbox,
)
from toolbox.mail_limits import RESEND_DETAIL, check_resend_allowed
from toolbox.models import EmailState, Submission, utcnow
from toolbox.submissions import record_event

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=5)


def enqueue_email(submission_id: int) -> None:
    from toolbox.jobs.tasks import send_documents

    try:
        send_documents.apply_async((submission_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 - broker down: the sweeper re-sends pending mail
        log.warning(
            "broker unavailable, email of submission %s stays pending: %s", submission_id, exc
        )


def request_resend(submission: Submission) -> bool:
    """failed/sent → pending, as a new message (new Message-ID). Raises ResendRefused
    past the per-submission limits (toolbox.mail_limits)."""
    if not submission.email or submission.email_state not in (EmailState.FAILED, EmailState.SENT):
        return False
    check_resend_allowed(submission.id)
    won = db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id, Submission.email_state == submission.email_state)
        .values(
            email_state=EmailState.PENDING,
            email_generation=Submission.email_generation + 1,
            email_error=None,
            email_claimed_at=None,
            email_sent_at=None,
            email_requested_at=utcnow(),
        )
    ).rowcount
    if won:
        record_event(submission.id, "email", EmailState.PENDING, RESEND_DETAIL)
    db.session.commit()
    if won:
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


def deliver(submission: Submission) -> str:
    """Send the message (SMTP or outbox); returns the transport used. Raises MailError."""
    config = current_app.config
    instrument = get_instrument(submission.instrument)
    base = config["TOOLBOX_BASE_URL"].rstrip("/")
    # No request in a worker: build the path from the URL map, the host from the config.
    path = current_app.url_map.bind("toolbox").build(
        "submissions.page", {"token": submission.token}
    )
    page_url = base + path
    msg = build_message(
        submission,
        title=instrument.document_title if instrument else submission.instrument,
        page_url=page_url,
        sender=sender_address(config.get("TOOLBOX_MAIL_FROM")),
        max_attachment_bytes=config["TOOLBOX_MAIL_MAX_ATTACHMENT_BYTES"],
    )
    smtp_url = config.get("TOOLBOX_SMTP_URL")
    if not smtp_url:
        write_outbox(msg, config["TOOLBOX_OUTBOX_DIR"])
        return "outbox"
    send_smtp(msg, SmtpSettings.from_url(smtp_url))
    return "smtp"


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
