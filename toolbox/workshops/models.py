"""Database rows of workshops: the workshop, its facilitators and its kit."""

from __future__ import annotations

import datetime as dt
import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from toolbox.core.db import new_token, utcnow
from toolbox.core.extensions import db
from toolbox.core.states import JobState

if TYPE_CHECKING:
    from toolbox.accounts.models import User
    from toolbox.submissions.models import Submission


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

    @property
    def participant_path(self) -> str:
        """The participant link (route `participants.workshop`), built without a request."""
        return f"/w/{self.token}"

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
