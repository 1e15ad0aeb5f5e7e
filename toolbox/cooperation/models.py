"""Database rows of a circulation: the agreement's versions, one invitation per party,
the answers given (append-only), the mails to send, the history and the final documents.

Everything hangs off the submission the circulation started from (ondelete CASCADE), so
the retention purge and a deletion on request remove it whole.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from toolbox.core.db import new_token, utcnow
from toolbox.core.extensions import db


class CirculationState:
    OPEN = "open"  # the parties review the current version
    COMPLETING = "completing"  # all agreed: the final documents are being made
    COMPLETED = "completed"  # final documents made and sent; nothing changes any more


class InvitationState:
    INVITED = "invited"
    OPENED = "opened"
    AGREED = "agreed"
    CHANGE_REQUESTED = "change_requested"


ANSWERABLE = (InvitationState.INVITED, InvitationState.OPENED, InvitationState.CHANGE_REQUESTED)


class MailKind:
    INVITATION = "invitation"
    CHANGES = "changes"  # a new version, with the field-by-field summary
    REMINDER = "reminder"
    FINAL = "final"


class MailState:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Circulation(db.Model):
    __tablename__ = "circulation"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), unique=True
    )
    instrument: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=CirculationState.OPEN, index=True)
    version: Mapped[int] = mapped_column(default=1)  # the current version's number
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    final_claimed_at: Mapped[datetime | None]
    final_error: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]

    versions: Mapped[list[CirculationVersion]] = relationship(
        back_populates="circulation",
        cascade="all, delete-orphan",
        order_by="CirculationVersion.number",
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="circulation", cascade="all, delete-orphan", order_by="Invitation.position"
    )
    events: Mapped[list[CirculationEvent]] = relationship(
        cascade="all, delete-orphan", order_by="CirculationEvent.id"
    )
    documents: Mapped[list[FinalDocument]] = relationship(
        cascade="all, delete-orphan", order_by="FinalDocument.id"
    )

    @property
    def current(self) -> CirculationVersion:
        return next(v for v in self.versions if v.number == self.version)

    def version_numbered(self, number: int) -> CirculationVersion | None:
        return next((v for v in self.versions if v.number == number), None)

    @property
    def series_key(self) -> str:
        """Stable and not personal: the same for every version (the .ics UID's seed)."""
        return f"circulation-{self.id}"


class CirculationVersion(db.Model):
    """One version of the agreement: the submission holding its answers and documents
    (version 1: the circulated one; later ones: its corrections, "Korrigieren")."""

    __tablename__ = "circulation_version"
    __table_args__ = (UniqueConstraint("circulation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circulation_id: Mapped[int] = mapped_column(
        ForeignKey("circulation.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    payload_json: Mapped[str] = mapped_column(Text)
    changes_json: Mapped[str] = mapped_column(Text, default="[]")  # German lines vs. n−1
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    circulation: Mapped[Circulation] = relationship(back_populates="versions")

    @property
    def payload(self) -> dict:
        return json.loads(self.payload_json)

    @property
    def changes(self) -> list[str]:
        return json.loads(self.changes_json)


class Invitation(db.Model):
    """One party's private link and where it stands on the current version."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    circulation_id: Mapped[int] = mapped_column(
        ForeignKey("circulation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]  # the party's row in the agreement (0, 1, …)
    party: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(320))
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    state: Mapped[str] = mapped_column(String(24), default=InvitationState.INVITED)
    version: Mapped[int] = mapped_column(default=1)  # the version the state refers to
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    circulation: Mapped[Circulation] = relationship(back_populates="invitations")
    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan", order_by="Answer.id")

    @property
    def page_path(self) -> str:
        return f"/z/{self.token}"


class Answer(db.Model):
    """A party's answer to one version, as given (append-only): a consent (name,
    function) or a change request (text). A consent counts only for its version."""

    __tablename__ = "circulation_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))  # InvitationState.AGREED / CHANGE_REQUESTED
    name: Mapped[str | None] = mapped_column(String(200))
    function: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CirculationMail(db.Model):
    """A message to one party, stored with the change that causes it and sent after the
    commit by a task that must claim it first (at most one send per row)."""

    __tablename__ = "circulation_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    version: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default=MailState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    transport: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    invitation: Mapped[Invitation] = relationship()


class CirculationEvent(db.Model):
    """The append-only history: circulated, opened, agreed, change requested, revised,
    completed, reminded, re-sent."""

    __tablename__ = "circulation_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    circulation_id: Mapped[int] = mapped_column(
        ForeignKey("circulation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    version: Mapped[int]
    party: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class FinalDocument(db.Model):
    __tablename__ = "circulation_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    circulation_id: Mapped[int] = mapped_column(
        ForeignKey("circulation.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
