"""Time as people read it: timestamps are stored as naive UTC, shown and typed in
German local time (Europe/Berlin) — dates in documents and file names, times on pages and
in emails."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


def berlin_today() -> dt.date:
    """Today in Germany (not the server's time zone)."""
    return dt.datetime.now(BERLIN).date()


def to_local(value: dt.datetime) -> dt.datetime:
    """Stored naive UTC → aware German local time."""
    return value.replace(tzinfo=dt.UTC).astimezone(BERLIN)


def to_utc(local: dt.datetime) -> dt.datetime:
    """A naive German local time (typed, or a day's start) → naive UTC, as stored."""
    return local.replace(tzinfo=BERLIN).astimezone(dt.UTC).replace(tzinfo=None)


def local_time(value: dt.datetime | None, fmt: str = "%d.%m.%Y, %H:%M") -> str:
    """Stored naive UTC → German local time as text ("" for none)."""
    if value is None:
        return ""
    return to_local(value).strftime(fmt)


def html_datetime(value: dt.datetime) -> str:
    """Stored naive UTC → a valid HTML global date and time string for `<time datetime>`:
    at most three fractional digits (HTML allows no more), "Z" for UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="milliseconds") + "Z"
