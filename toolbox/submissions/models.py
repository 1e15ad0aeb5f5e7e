"""Database rows: what was submitted, the work to do on it, and what came out.

The database is the source of truth for every state a person sees; the broker only carries
job ids and may lose them (the sweeper re-enqueues).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from datetime import UTC, datetime

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from toolbox.extensions import db


def utcnow() -> datetime:
    # Naive UTC: SQLite drops time zones, so store every timestamp the same way everywhere.
    return datetime.now(UTC).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(32)


class JobState:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class EmailState:
    NONE = "none"
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


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

    job: Mapped[Job] = relationship(
        back_populates="submission", uselist=False, cascade="all, delete-orphan"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="Document.id"
    )
    events: Mapped[list[Event]] = relationship(cascade="all, delete-orphan", order_by="Event.id")
    workshop: Mapped[Workshop | None] = relationship(back_populates="submissions")

    @property
    def payload(self) -> dict:
        return json.loads(self.payload_json)


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


class User(db.Model):
    """A facilitator or admin account (dashboard)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class Deletion(db.Model):
    """What remains of a deleted submission (GDPR request): no personal data."""

    __tablename__ = "deletion"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int]
    instrument: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Contact(db.Model):
    """An entry of the contact directory (instrument `ansprechpersonen`): business
    contacts in self-help support, maintained by facilitators."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Text columns: the instrument's fields set the limits (base.TEXT_MAX_CHARS), the
    # database must not refuse what the form accepted.
    organisation: Mapped[str] = mapped_column(Text)
    typ: Mapped[str] = mapped_column(String(32))
    funktion: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    telefon: Mapped[str] = mapped_column(Text, default="")
    anschrift: Mapped[str] = mapped_column(Text, default="")
    zustaendigkeit: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


workshop_facilitator = Table(
    "workshop_facilitator",
    db.metadata,
    Column("workshop_id", ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class Workshop(db.Model):
    """A workshop run by facilitators: its participant link (`/w/<token>`) offers the
    chosen instruments, prefilled with the shared data; its kit bundles what came in."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date]
    place: Mapped[str] = mapped_column(String(200), default="")
    instruments_json: Mapped[str] = mapped_column(Text, default="[]")  # slugs, in order
    # The participant link takes no new submissions from this moment on (naive UTC).
    closes_at: Mapped[datetime | None]
    shared_json: Mapped[str] = mapped_column(Text, default="{}")  # {concept: value}
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship()
    co_facilitators: Mapped[list[User]] = relationship(
        secondary=workshop_facilitator, order_by="User.email"
    )
    submissions: Mapped[list[Submission]] = relationship(
        back_populates="workshop", passive_deletes=True
    )
    kit: Mapped[Kit | None] = relationship(
        back_populates="workshop", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def instruments(self) -> list[str]:
        return json.loads(self.instruments_json)

    @property
    def shared(self) -> dict[str, str]:
        return json.loads(self.shared_json)

    def is_closed(self, now: datetime | None = None) -> bool:
        return self.closes_at is not None and (now or utcnow()) >= self.closes_at


class Kit(db.Model):
    """The downloadable ZIP of a workshop, built in the background; one per workshop,
    rebuilt in place. Progress lives here, not in the queue."""

    __tablename__ = "kit"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    step: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    # The last finished ZIP stays downloadable while a rebuild runs. Deferred: pages and
    # the progress polling read the state, only the download reads the bytes.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    built_at: Mapped[datetime | None] = mapped_column(index=True)
    # What the ZIP holds: a digest of the workshop's submissions and their job states at
    # build time. Any new, deleted or newly rendered submission changes it → "veraltet".
    contents_key: Mapped[str | None] = mapped_column(String(64))
    # The oldest submission inside: the kit expires with it (retention).
    oldest_submission_at: Mapped[datetime | None] = mapped_column(index=True)

    workshop: Mapped[Workshop] = relationship(back_populates="kit")

    @property
    def ready(self) -> bool:
        """A finished ZIP is stored (content, size and checksum are set together)."""
        return self.sha256 is not None


class BlankRender(db.Model):
    """Cache of blank forms (01_Vorlagen in kits), keyed by a checksum of everything the
    blank is made from (templates, stylesheet, blank.py, the instrument's fields)."""

    __tablename__ = "blank_render"
    __table_args__ = (UniqueConstraint("cache_key", "format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(8))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
