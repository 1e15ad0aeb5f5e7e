"""Database rows of accounts: facilitators and admins of the dashboard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from toolbox.core.db import utcnow
from toolbox.core.extensions import db


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
    # Carried by every session of the account; raising it ends them all (accounts.service).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
