"""Database rows of submissions: what was submitted, the work to do on it, and what came out.

The database is the source of truth for every state a person sees; the broker only carries
job ids and may lose them (the sweeper re-enqueues).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from toolbox.core.db import new_token, utcnow
from toolbox.core.extensions import db
from toolbox.core.states import EmailState, JobState
from toolbox.core.time import local_time

if TYPE_CHECKING:
    from toolbox.workshops.models import Workshop


class Submission(db.Model):
    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    instrument: Mapped[str] = mapped_column(String(64), index=True)
    payload_json: Mapped[str] = mapped_column(Text)
    short_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    # Email delivery of the documents (optional). The address is personal data: it lives
    # only here and goes with the submission when it is deleted.
    email: Mapped[str | None] = mapped_column(String(320))
    email_state: Mapped[str] = mapped_column(String(16), default=EmailState.NONE)
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_error: Mapped[str | None] = mapped_column(Text)
    email_transport: Mapped[str | None] = mapped_column(String(16))
    email_generation: Mapped[int] = mapped_column(default=0)
    email_claimed_at: Mapped[datetime | None]
    email_requested_at: Mapped[datetime | None]
    email_sent_at: Mapped[datetime | None]
    # Made through a workshop's participant link (the facilitators of it see it).
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="SET NULL"), index=True
    )
    # "Korrigieren": this submission is a corrected version of that earlier one, whose
    # documents stay until the retention period ends.
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL"), index=True
    )

    job: Mapped[Job] = relationship(
        back_populates="submission", uselist=False, cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="Document.id"
    )
    events: Mapped[list[Event]] = relationship(cascade="all, delete-orphan", order_by="Event.id")
    workshop: Mapped[Workshop | None] = relationship(back_populates="submissions")
    replaces: Mapped[Submission | None] = relationship(
        remote_side="Submission.id", back_populates="replaced_by"
    )
    replaced_by: Mapped[list[Submission]] = relationship(
        back_populates="replaces", order_by="Submission.id"
    )

    @property
    def payload(self) -> dict:
        return json.loads(self.payload_json)

    @property
    def replaces_label(self) -> str:
        """When the version this one corrects was made ("03.12.2026, 17:20 Uhr"), for
        the documents' footer; empty for a first version."""
        if self.replaces is None:
            return ""
        return local_time(self.replaces.created_at, "%d.%m.%Y, %H:%M Uhr")

    @property
    def page_path(self) -> str:
        """The private page (route `submissions.page`), for links built without a request."""
        return f"/s/{self.token}"


class Job(db.Model):
    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    submission: Mapped[Submission] = relationship(back_populates="job")

    @property
    def queue_wait(self) -> float | None:
        if self.started_at is None:
            return None
        return (self.started_at - self.queued_at).total_seconds()

    @property
    def render_time(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Document(db.Model):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="documents")


class Event(db.Model):
    """One state transition of a submission's job or email, for the dashboard timeline."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # "job" or "email"
    state: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Draft(db.Model):
    """A half-filled form, saved without validation and resumed by its private link."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    instrument: Mapped[str] = mapped_column(String(64))
    formdata_json: Mapped[str] = mapped_column(Text)  # [[name, value], …] as posted
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Deletion(db.Model):
    """What remains of a deleted submission (GDPR request): no personal data."""

    __tablename__ = "deletion"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int]
    instrument: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
