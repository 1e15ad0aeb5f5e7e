"""Helpers for database rows of every area: timestamps, tokens, the range of ids."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Row ids are 64-bit signed integers in SQLite and PostgreSQL (BIGINT); a larger number in
# a query overflows the driver instead of finding nothing.
MAX_ID = 2**63 - 1


def utcnow() -> datetime:
    # Naive UTC: SQLite drops time zones, so store every timestamp the same way everywhere.
    return datetime.now(UTC).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def register_sqlite_pragmas() -> None:
    """Set SQLite's connection pragmas on every new connection (idempotent; called by
    create_app, not at import time)."""
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets the web read while a worker writes; the busy timeout makes writers wait
    instead of failing with "database is locked"."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted submissions (GDPR requests, retention) leave no bytes in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
