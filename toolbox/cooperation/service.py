"""The life of a circulation: circulated → the parties open, agree or ask for changes →
new versions → all agreed to the same version → final documents → completed.

Every state change is a guarded UPDATE (compare-and-set) committed before any email is
enqueued; the mails themselves are rows (CirculationMail) that a task claims and sends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update

from toolbox.cooperation.models import (
    ANSWERABLE,
    Answer,
    Circulation,
    CirculationEvent,
    CirculationMail,
    CirculationState,
    CirculationVersion,
    FinalDocument,
    Invitation,
    InvitationState,
    MailKind,
    MailState,
)
from toolbox.cooperation.parties import changes, parties_of
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.documents.consent import Consent, ConsentRecord
from toolbox.documents.render import RenderedDocument
from toolbox.instruments.base import Instrument
from toolbox.instruments.registry import get_instrument
from toolbox.jobs.queue import FINALIZE_CIRCULATION, SEND_CIRCULATION_MAIL, enqueue
from toolbox.submissions.models import Submission

log = logging.getLogger(__name__)

INVITATIONS_PER_HOUR = 3
INVITATIONS_TOTAL = 10
FINAL_CLAIM_TIMEOUT = timedelta(minutes=5)
MAIL_CLAIM_TIMEOUT = timedelta(minutes=5)
DEFAULT_REMINDER_DAYS = 7
NAME_MAX = 200
TEXT_MAX = 5000


def _changed_meanwhile() -> str:
    return _(
        "Ihre Antwort konnte nicht gespeichert werden: Die Abstimmung hat sich inzwischen "
        "geändert. Bitte laden Sie die Seite neu."
    )


class CooperationRefused(Exception):
    """The request cannot be carried out; `str()` is the German message for the person."""


# --- reading -------------------------------------------------------------------------------


def is_circulable(submission: Submission) -> bool:
    instrument = get_instrument(submission.instrument)
    return bool(instrument and instrument.signed)


def version_of(submission: Submission) -> CirculationVersion | None:
    """The circulation version this submission holds, if any."""
    return db.session.scalars(
        select(CirculationVersion).where(CirculationVersion.submission_id == submission.id)
    ).first()


def candidate_for(submission: Submission) -> Circulation | None:
    """The circulation this submission (a correction) could become the next version of:
    it corrects the circulation's current version."""
    if submission.replaces_id is None or version_of(submission) is not None:
        return None
    version = db.session.scalars(
        select(CirculationVersion).where(CirculationVersion.submission_id == submission.replaces_id)
    ).first()
    if version is None or version.number != version.circulation.version:
        return None
    return version.circulation


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalars(select(Invitation).where(Invitation.token == token)).first()


def record(circulation_id: int, kind: str, version: int, party=None, detail=None) -> None:
    db.session.add(
        CirculationEvent(
            circulation_id=circulation_id, kind=kind, version=version, party=party, detail=detail
        )
    )


# --- circulate -----------------------------------------------------------------------------


def parties_for(submission: Submission) -> list[str]:
    return parties_of(get_instrument(submission.instrument), submission.payload)


def start_circulation(submission: Submission, emails: list[str]) -> Circulation:
    """Version 1 = the submission's answers; one invitation (and email) per party."""
    if not is_circulable(submission):
        raise CooperationRefused(_("Diese Einreichung hat keine Unterschriften der Parteien."))
    if version_of(submission) is not None:
        raise CooperationRefused(_("Diese Fassung ist bereits in Abstimmung."))
    parties = parties_for(submission)
    if len(emails) != len(parties):
        raise CooperationRefused(_("Bitte für jede Partei eine E-Mail-Adresse angeben."))
    circulation = Circulation(submission_id=submission.id, instrument=submission.instrument)
    circulation.versions.append(
        CirculationVersion(
            number=1, submission_id=submission.id, payload_json=submission.payload_json
        )
    )
    for position, (party, email) in enumerate(zip(parties, emails, strict=True)):
        circulation.invitations.append(Invitation(position=position, party=party, email=email))
    db.session.add(circulation)
    db.session.flush()
    record(circulation.id, "circulated", 1, detail=f"{len(parties)} Parteien")
    mails = [_new_mail(inv, MailKind.INVITATION, 1) for inv in circulation.invitations]
    db.session.commit()
    _enqueue_mails(mails)
    return circulation


def _new_mail(invitation: Invitation, kind: str, version: int) -> CirculationMail:
    mail = CirculationMail(invitation=invitation, kind=kind, version=version)
    db.session.add(mail)
    return mail


def _enqueue_mails(mails: list[CirculationMail]) -> None:
    for mail in mails:
        enqueue(SEND_CIRCULATION_MAIL, mail.id)


def resend_invitation(invitation: Invitation) -> None:
    """The author sends a party its link again (limited per party)."""
    circulation = invitation.circulation
    if circulation.state != CirculationState.OPEN:
        raise CooperationRefused(_("Die Abstimmung ist abgeschlossen."))
    sent = select(func.count(CirculationMail.id)).where(
        CirculationMail.invitation_id == invitation.id,
        CirculationMail.kind.in_((MailKind.INVITATION, MailKind.CHANGES)),
    )
    if db.session.scalar(sent) >= INVITATIONS_TOTAL:
        raise CooperationRefused(
            _(
                "Die Einladung wurde schon %(count)s-mal gesendet; weitere Sendungen sind "
                "nicht möglich.",
                count=INVITATIONS_TOTAL,
            )
        )
    recent = db.session.scalar(
        sent.where(CirculationMail.created_at >= utcnow() - timedelta(hours=1))
    )
    if recent >= INVITATIONS_PER_HOUR:
        raise CooperationRefused(
            _(
                "Die Einladung wurde in der letzten Stunde schon %(count)s-mal gesendet. "
                "Bitte versuchen Sie es in einer Stunde noch einmal.",
                count=recent,
            )
        )
    mail = _new_mail(invitation, MailKind.INVITATION, circulation.version)
    record(circulation.id, "resent", circulation.version, invitation.party)
    db.session.commit()
    _enqueue_mails([mail])


def consent_errors(name: str, function: str, authorised: bool, invitation: Invitation) -> dict:
    """German messages per field for a consent as typed (empty: fine)."""
    errors = {}
    if not name:
        errors["name"] = _("Bitte geben Sie Ihren vollständigen Namen ein.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Der Name darf höchstens %(max)s Zeichen lang sein.", max=NAME_MAX)
    if not function:
        errors["function"] = _("Bitte geben Sie Ihre Funktion ein, z. B. Geschäftsführung.")
    elif len(function) > NAME_MAX:
        errors["function"] = _(
            "Die Funktion darf höchstens %(max)s Zeichen lang sein.", max=NAME_MAX
        )
    if not authorised:
        errors["authorised"] = _(
            "Bitte bestätigen Sie, dass Sie berechtigt sind, für %(party)s zu unterzeichnen.",
            party=invitation.party,
        )
    return errors


def change_errors(text: str) -> dict:
    if not text:
        return {"text": _("Bitte beschreiben Sie, was geändert werden soll.")}
    if len(text) > TEXT_MAX:
        return {"text": _("Der Vorschlag darf höchstens %(max)s Zeichen lang sein.", max=TEXT_MAX)}
    return {}


# --- the parties' answers --------------------------------------------------------------------


def mark_opened(invitation: Invitation) -> None:
    """invited → opened (first view of the current version)."""
    won = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.state == InvitationState.INVITED)
        .values(state=InvitationState.OPENED, opened_at=utcnow())
    ).rowcount
    if won:
        record(invitation.circulation_id, "opened", invitation.version, invitation.party)
    db.session.commit()


def _check_answerable(invitation: Invitation, version: int) -> Circulation:
    circulation = invitation.circulation
    if circulation.state != CirculationState.OPEN:
        raise CooperationRefused(
            _("Die Abstimmung ist abgeschlossen; Antworten sind nicht mehr möglich.")
        )
    if version != circulation.version:
        raise CooperationRefused(
            _(
                "Sie haben Version %(old)s beantwortet, sie ist überholt: Es gibt eine neue "
                "Version %(new)s. Bitte lesen Sie die neue Version und antworten Sie darauf.",
                old=version,
                new=circulation.version,
            )
        )
    if invitation.state == InvitationState.AGREED:
        raise CooperationRefused(_("Sie haben dieser Version bereits zugestimmt."))
    return circulation


def _answer(invitation: Invitation, version: int, state: str) -> bool:
    """The guarded UPDATE of an answer: only on the version it was given to, only once."""
    now = utcnow()
    return bool(
        db.session.execute(
            update(Invitation)
            .where(
                Invitation.id == invitation.id,
                Invitation.version == version,
                Invitation.state.in_(ANSWERABLE),
                Invitation.circulation_id.in_(
                    select(Circulation.id).where(
                        Circulation.state == CirculationState.OPEN, Circulation.version == version
                    )
                ),
            )
            .values(
                state=state, answered_at=now, opened_at=func.coalesce(Invitation.opened_at, now)
            )
        ).rowcount
    )


def agree(invitation: Invitation, version: int, name: str, function: str) -> bool:
    """The party consents to `version`; True when that completed the round (all parties
    agreed to it: the final documents are being made)."""
    circulation = _check_answerable(invitation, version)
    if not _answer(invitation, version, InvitationState.AGREED):
        db.session.rollback()
        raise CooperationRefused(_changed_meanwhile())
    db.session.add(
        Answer(
            invitation_id=invitation.id,
            version=version,
            kind=InvitationState.AGREED,
            name=name,
            function=function,
        )
    )
    record(circulation.id, "agreed", version, invitation.party, f"{name}, {function}")
    db.session.flush()
    agreed = db.session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.circulation_id == circulation.id,
            Invitation.state == InvitationState.AGREED,
            Invitation.version == version,
        )
    )
    total = db.session.scalar(
        select(func.count(Invitation.id)).where(Invitation.circulation_id == circulation.id)
    )
    complete = False
    if agreed == total:
        complete = bool(
            db.session.execute(
                update(Circulation)
                .where(
                    Circulation.id == circulation.id,
                    Circulation.state == CirculationState.OPEN,
                    Circulation.version == version,
                )
                .values(state=CirculationState.COMPLETING)
            ).rowcount
        )
    db.session.commit()
    if complete:
        enqueue(FINALIZE_CIRCULATION, circulation.id)
    return complete


def request_change(invitation: Invitation, version: int, text: str) -> None:
    circulation = _check_answerable(invitation, version)
    if not _answer(invitation, version, InvitationState.CHANGE_REQUESTED):
        db.session.rollback()
        raise CooperationRefused(_changed_meanwhile())
    db.session.add(
        Answer(
            invitation_id=invitation.id,
            version=version,
            kind=InvitationState.CHANGE_REQUESTED,
            text=text,
        )
    )
    record(circulation.id, "change_requested", version, invitation.party, text[:500])
    db.session.commit()


def answers_to(invitation: Invitation, version: int) -> list[Answer]:
    return [a for a in invitation.answers if a.version == version]


def latest_answer(invitation: Invitation) -> Answer | None:
    mine = answers_to(invitation, invitation.version)
    return mine[-1] if mine else None


# --- revise --------------------------------------------------------------------------------


def add_version(circulation: Circulation, submission: Submission) -> CirculationVersion:
    """The correction `submission` becomes version n+1: every consent to version n is
    void, each party gets the summary of changes and reviews again."""
    if circulation.state != CirculationState.OPEN:
        raise CooperationRefused(
            _(
                "Diese Vereinbarung ist abgeschlossen und kann nicht mehr geändert werden. "
                "Starten Sie mit dieser Fassung eine neue Abstimmung."
            )
        )
    current = circulation.current
    if submission.replaces_id != current.submission_id:
        raise CooperationRefused(_("Diese Fassung ist nicht die Korrektur der aktuellen Version."))
    instrument = get_instrument(circulation.instrument)
    parties = parties_of(instrument, submission.payload)
    if len(parties) != len(circulation.invitations):
        raise CooperationRefused(
            _(
                "In dieser Fassung hat sich die Zahl der Parteien geändert. Bitte starten Sie "
                "dafür eine neue Abstimmung."
            )
        )
    old, new = current.number, current.number + 1
    won = db.session.execute(
        update(Circulation)
        .where(
            Circulation.id == circulation.id,
            Circulation.state == CirculationState.OPEN,
            Circulation.version == old,
        )
        .values(version=new)
    ).rowcount
    if not won:
        db.session.rollback()
        raise CooperationRefused(
            _("Die Abstimmung hat sich inzwischen geändert. Bitte laden Sie die Seite neu.")
        )
    lines = changes(instrument, current.payload, submission.payload)
    version = CirculationVersion(
        circulation_id=circulation.id,
        number=new,
        submission_id=submission.id,
        payload_json=submission.payload_json,
        changes_json=json.dumps(lines, ensure_ascii=False),
    )
    db.session.add(version)
    mails = []
    for invitation, party in zip(circulation.invitations, parties, strict=True):
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id)
            .values(
                state=InvitationState.INVITED,
                version=new,
                party=party,
                opened_at=None,
                answered_at=None,
                reminded_at=None,
                invited_at=utcnow(),
            )
        )
        mails.append(_new_mail(invitation, MailKind.CHANGES, new))
    record(circulation.id, "revised", new, detail=f"{len(lines)} Änderungen")
    db.session.commit()
    db.session.refresh(circulation)
    _enqueue_mails(mails)
    return version


# --- complete ------------------------------------------------------------------------------


def consent_record(circulation: Circulation) -> ConsentRecord:
    """The consents to the current version, in the order of the parties."""
    version = circulation.current
    consents = []
    for invitation in circulation.invitations:
        agreed = [
            a for a in answers_to(invitation, version.number) if a.kind == InvitationState.AGREED
        ]
        answer = agreed[-1]
        consents.append(
            Consent(
                party=invitation.party,
                name=answer.name or "",
                function=answer.function or "",
                agreed_at=answer.at.replace(tzinfo=dt.UTC),
            )
        )
    return ConsentRecord.of(circulation.instrument, version.payload, version.number, consents)


def claim_final(circulation_id: int) -> bool:
    now = utcnow()
    won = db.session.execute(
        update(Circulation)
        .where(
            Circulation.id == circulation_id,
            Circulation.state == CirculationState.COMPLETING,
            or_(
                Circulation.final_claimed_at.is_(None),
                Circulation.final_claimed_at < now - FINAL_CLAIM_TIMEOUT,
            ),
        )
        .values(final_claimed_at=now)
    ).rowcount
    db.session.commit()
    return bool(won)


def render_final(renderer, circulation: Circulation) -> list[RenderedDocument]:
    instrument: Instrument = get_instrument(circulation.instrument)
    record_ = consent_record(circulation)
    return renderer.render(
        instrument,
        circulation.current.payload,
        consent=record_,
        series_key=circulation.series_key,
    )


def finish_final(circulation_id: int, documents: list[RenderedDocument]) -> bool:
    """completing → completed with the final documents; every party gets them by email."""
    won = db.session.execute(
        update(Circulation)
        .where(Circulation.id == circulation_id, Circulation.state == CirculationState.COMPLETING)
        .values(state=CirculationState.COMPLETED, completed_at=utcnow(), final_error=None)
    ).rowcount
    if not won:
        db.session.rollback()
        return False
    circulation = db.session.get(Circulation, circulation_id)
    for doc in documents:
        db.session.add(
            FinalDocument(
                circulation_id=circulation_id,
                format=doc.format,
                filename=doc.filename,
                content=doc.content,
                size=len(doc.content),
                sha256=hashlib.sha256(doc.content).hexdigest(),
            )
        )
    mails = [_new_mail(inv, MailKind.FINAL, circulation.version) for inv in circulation.invitations]
    record(circulation_id, "completed", circulation.version)
    db.session.commit()
    _enqueue_mails(mails)
    return True


def fail_final(circulation_id: int, error: str) -> None:
    """The render failed: recorded; the sweeper tries again after the claim timeout."""
    db.session.execute(
        update(Circulation).where(Circulation.id == circulation_id).values(final_error=error[:2000])
    )
    db.session.commit()


# --- reminders and recovery ----------------------------------------------------------------


def send_reminders(now: dt.datetime | None = None, days: int | None = None) -> int:
    """One reminder to each party that has not answered the current version `days`
    (TOOLBOX_COOPERATION_REMINDER_DAYS, default 7) after being invited to it."""
    now = now or utcnow()
    if days is None:
        days = current_app.config.get("TOOLBOX_COOPERATION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    due = db.session.scalars(
        select(Invitation)
        .join(Circulation)
        .where(
            Circulation.state == CirculationState.OPEN,
            Invitation.state.in_((InvitationState.INVITED, InvitationState.OPENED)),
            Invitation.reminded_at.is_(None),
            Invitation.invited_at <= now - timedelta(days=days),
        )
    ).all()
    mails = []
    for invitation in due:
        won = db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation.id, Invitation.reminded_at.is_(None))
            .values(reminded_at=now)
        ).rowcount
        if won:
            mails.append(_new_mail(invitation, MailKind.REMINDER, invitation.version))
            record(invitation.circulation_id, "reminded", invitation.version, invitation.party)
    db.session.commit()
    _enqueue_mails(mails)
    return len(mails)


def recover(now: dt.datetime | None = None) -> int:
    """Mails whose task was lost and final renders left unfinished are enqueued again."""
    now = now or utcnow()
    quiet = now - MAIL_CLAIM_TIMEOUT
    mails = db.session.scalars(
        select(CirculationMail.id).where(
            CirculationMail.state == MailState.PENDING,
            CirculationMail.created_at < quiet,
            or_(CirculationMail.claimed_at.is_(None), CirculationMail.claimed_at < quiet),
        )
    ).all()
    for mail_id in mails:
        enqueue(SEND_CIRCULATION_MAIL, mail_id)
    finals = db.session.scalars(
        select(Circulation.id).where(
            Circulation.state == CirculationState.COMPLETING,
            or_(
                Circulation.final_claimed_at.is_(None),
                and_(Circulation.final_claimed_at < now - FINAL_CLAIM_TIMEOUT),
            ),
        )
    ).all()
    for circulation_id in finals:
        enqueue(FINALIZE_CIRCULATION, circulation_id)
    return len(mails) + len(finals)
