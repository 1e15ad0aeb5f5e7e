"""The emails of a circulation: the invitation, the summary of a new version, the
reminder and the final documents. A row of `circulation_mail` is claimed (guarded
UPDATE) before the server is talked to, and marked sent only once it accepted.
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage

from flask import current_app, render_template
from sqlalchemy import or_, update

from toolbox.cooperation.models import (
    Circulation,
    CirculationMail,
    Invitation,
    MailKind,
    MailState,
)
from toolbox.cooperation.service import MAIL_CLAIM_TIMEOUT
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.mail import new_message, send, sender_address
from toolbox.core.time import local_time
from toolbox.core.urls import external_url
from toolbox.documents.render import MEDIA_TYPES
from toolbox.instruments.registry import get_instrument

MAIL_MAX_ATTEMPTS = 8

SUBJECTS = {
    MailKind.INVITATION: "Bitte um Zustimmung: {title}",
    MailKind.CHANGES: "Neue Version {version} zur Zustimmung: {title}",
    MailKind.REMINDER: "Erinnerung – Ihre Zustimmung fehlt noch: {title}",
    MailKind.FINAL: "Endfassung: {title}",
}


def outbox_key(circulation: Circulation) -> str:
    """The outbox files of a circulation go with the submission it belongs to."""
    return f"submission-{circulation.submission_id}"


def claim_mail(mail_id: int) -> bool:
    now = utcnow()
    won = db.session.execute(
        update(CirculationMail)
        .where(
            CirculationMail.id == mail_id,
            CirculationMail.state == MailState.PENDING,
            CirculationMail.sent_at.is_(None),
            or_(
                CirculationMail.claimed_at.is_(None),
                CirculationMail.claimed_at < now - MAIL_CLAIM_TIMEOUT,
            ),
        )
        .values(claimed_at=now, attempts=CirculationMail.attempts + 1)
    ).rowcount
    db.session.commit()
    return bool(won)


def title_of(circulation: Circulation) -> str:
    instrument = get_instrument(circulation.instrument)
    base = instrument.document_title if instrument else circulation.instrument
    short = instrument.short_name(circulation.current.payload) if instrument else ""
    return f"{base} – {short}" if short else base


def build_message(mail: CirculationMail) -> EmailMessage:
    invitation: Invitation = mail.invitation
    circulation = invitation.circulation
    title = title_of(circulation)
    version = circulation.version_numbered(mail.version) or circulation.current
    others = [i.party for i in circulation.invitations if i.id != invitation.id]
    context = {
        "kind": mail.kind,
        "title": title,
        "party": invitation.party,
        "others": others,
        "version": mail.version,
        "changes": version.changes,
        "page_url": external_url(invitation.page_path),
        "invited_at": local_time(invitation.invited_at),
        "documents": list(circulation.documents) if mail.kind == MailKind.FINAL else [],
    }
    digest = hashlib.sha256(f"{invitation.token}:{mail.id}".encode()).hexdigest()[:40]
    msg = new_message(
        SUBJECTS[mail.kind].format(title=title, version=mail.version),
        sender_address(current_app.config.get("TOOLBOX_MAIL_FROM")),
        invitation.email,
        f"<{digest}@toolbox>",
    )
    msg.set_content(render_template("mail/circulation.txt", **context))
    limit = current_app.config["TOOLBOX_MAIL_MAX_ATTACHMENT_BYTES"]
    if context["documents"] and sum(d.size for d in context["documents"]) <= limit:
        for doc in context["documents"]:
            maintype, subtype = MEDIA_TYPES[doc.format].split("/")
            msg.add_attachment(
                doc.content, maintype=maintype, subtype=subtype, filename=doc.filename
            )
    return msg


def deliver(mail: CirculationMail) -> str:
    """Send (SMTP or outbox); the transport used. Raises MailError."""
    return send(build_message(mail), outbox_key=outbox_key(mail.invitation.circulation))


def mark_sent(mail_id: int, transport: str) -> None:
    db.session.execute(
        update(CirculationMail)
        .where(CirculationMail.id == mail_id)
        .values(
            state=MailState.SENT, sent_at=utcnow(), transport=transport, error=None, claimed_at=None
        )
    )
    db.session.commit()


def release_claim(mail_id: int, error: str, final: bool) -> None:
    values = {"error": error[:2000], "claimed_at": None}
    if final:
        values["state"] = MailState.FAILED
    db.session.execute(
        update(CirculationMail).where(CirculationMail.id == mail_id).values(**values)
    )
    db.session.commit()
