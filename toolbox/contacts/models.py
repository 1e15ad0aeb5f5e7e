"""Database rows of the contact directory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from toolbox.core.db import utcnow
from toolbox.core.extensions import db


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
