"""Rate-limit counters that hold for the whole deployment, not per process.

With Redis configured the limiter counts there. On the embedded default (no Redis) it
counts in a small SQLite file in the data directory (`toolbox+sqlite:///<path>`), shared by
every gunicorn worker on the machine; in memory each worker would count on its own, so a
limit of 30 per minute became 30 per worker.

Fixed windows, one row per key; each increment is one atomic UPSERT.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import Storage

SCHEME = "toolbox+sqlite"


def sqlite_storage_url(path: Path) -> str:
    return f"{SCHEME}:///{path}"


class SQLiteStorage(Storage):
    """A limits storage in one SQLite file (WAL, short busy timeout)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path((uri or "").split("://", 1)[1])
        self._local = threading.local()
        self._conn().execute(
            "CREATE TABLE IF NOT EXISTS counter "
            "(key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)"
        )

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _conn(self) -> sqlite3.Connection:
        # One connection per thread and process (gunicorn forks, threads serve requests).
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))  # owner-only
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        conn = self._conn()
        (value,) = conn.execute(
            "INSERT INTO counter (key, value, expires) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (key) DO UPDATE SET "
            "value = CASE WHEN counter.expires <= ?4 THEN excluded.value "
            "ELSE counter.value + excluded.value END, "
            "expires = CASE WHEN counter.expires <= ?4 THEN excluded.expires "
            "ELSE counter.expires END "
            "RETURNING value",
            (key, amount, now + expiry, now),
        ).fetchone()
        if value == amount and random.randrange(50) == 0:  # noqa: S311 - now and then: forget old windows
            conn.execute("DELETE FROM counter WHERE expires <= ?", (now,))
        return value

    def get(self, key: str) -> int:
        row = (
            self._conn()
            .execute("SELECT value FROM counter WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._conn().execute("SELECT expires FROM counter WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] > time.time() else time.time()

    def check(self) -> bool:
        try:
            self._conn().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._conn().execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        self._conn().execute("DELETE FROM counter WHERE key = ?", (key,))
