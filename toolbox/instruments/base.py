"""How an instrument is declared: its fields once, and everything else derived from them.

The form (WTForms), the API description, the stored payload and the document context are
all built from the same `Field` declarations, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FIELD_TYPES = (
    "text",
    "textarea",
    "date",
    "time",
    "integer",
    "decimal",
    "choice",
    "multichoice",
    "boolean",
    "email",
    "list",
)

# Limits for free text (issue: hostile input). A short text may still hold one very long
# word (URLs, names in other scripts); long text is bounded by characters and lines.
# Issue 14: the limits and the renderer agree. The largest submission they allow (every
# list full, the whole text budget spent; tests/worst_case.py) renders each instrument's
# documents in under a third of the worker's soft time limit (tests/test_worst_case.py,
# numbers in docs/LIMITS.md). Raising a limit means measuring again.
TEXT_MAX_CHARS = 5000
TEXTAREA_MAX_CHARS = 20000
TEXTAREA_MAX_LINES = 500
LIST_MAX_ROWS = 50
# The text budget of one submission: all text fields together (list rows included), in
# characters, and the lines of all long texts (a long text of n line ends has n + 1).
SUBMISSION_MAX_CHARS = 40000
SUBMISSION_MAX_LINES = 1000


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    min_value: float | None = None
    max_value: float | None = None
    range_message: str = ""
    unit: str = ""
    min_entries: int = 0
    max_entries: int = LIST_MAX_ROWS
    fields: tuple[Field, ...] = ()
    row_label: str = ""
    # The shared concept this field holds (see instruments/shared.py), e.g. "gruppe":
    # "Als Vorlage verwenden" carries it over to every instrument with the same concept.
    shares: str = ""

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"Feld {self.name}: unbekannter Typ {self.type!r}")
        if (self.type == "list") != bool(self.fields):
            raise ValueError(f"Feld {self.name}: nur Listen haben Zeilenfelder")

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)

    def describe(self) -> dict:
        """The field as the JSON API describes it."""
        out: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "required": self.required,
        }
        if self.help:
            out["help"] = self.help
        if self.choices:
            out["choices"] = [{"value": v, "label": lbl} for v, lbl in self.choices]
        if self.min_value is not None:
            out["min"] = self.min_value
        if self.max_value is not None:
            out["max"] = self.max_value
        if self.type == "list":
            out["min_entries"] = self.min_entries
            out["max_entries"] = self.max_entries
            out["fields"] = [f.describe() for f in self.fields]
        return out


@dataclass(frozen=True)
class CalendarEvent:
    """One event of an instrument's .ics file. Times are local (Europe/Berlin); an event
    with a date only is an all-day event. `rrule` uses iCalendar names, e.g.
    ``{"FREQ": "WEEKLY", "INTERVAL": 2, "BYDAY": "TH", "UNTIL": until}``, where `until` is
    a date for all-day events and a UTC datetime for timed ones (RFC 5545). `status` is
    the iCalendar STATUS: CONFIRMED, TENTATIVE or CANCELLED."""

    summary: str
    start: dt.date | dt.datetime
    end: dt.datetime | None = None
    location: str = ""
    description: str = ""
    rrule: dict | None = None
    status: str = "CONFIRMED"


# A cross-field rule gets the cleaned payload and returns {field name: [messages]}.
Rule = Callable[[dict], dict[str, list[str]]]


@dataclass(frozen=True)
class Instrument:
    slug: str
    title: str
    description: str
    document_title: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    # Builds extra template values from the display values (see values.display_context).
    extend_context: Callable[[dict, dict], dict] | None = None
    # Picks the short name for file names and the dashboard from the payload.
    short_name: Callable[[dict], str] = field(default=lambda payload: "")
    # Events for the .ics document, if the instrument has one.
    calendar: Callable[[dict], list[CalendarEvent]] | None = None
    # Signed documents get signature lines, also on the blank form.
    signed: bool = False
    # Shared values found elsewhere than in a `shares` field (e.g. the group's name in
    # the agreement's list of parties): payload → {concept: value}.
    exports: Callable[[dict], dict[str, str]] | None = None
    # The reverse, for values that land in list rows: {concept: value} → form data.
    imports: Callable[[dict[str, str]], dict[str, str]] | None = None

    @property
    def formats(self) -> tuple[str, ...]:
        return ("docx", "pdf", "ics") if self.calendar else ("docx", "pdf")

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def describe(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "fields": [f.describe() for f in self.fields],
        }


def parse_date(value: str | None) -> dt.date | None:
    """A date field's payload value (ISO text, or empty) as a date."""
    return dt.date.fromisoformat(value) if value else None


def parse_time(value: str | None) -> dt.time | None:
    """A time field's payload value (ISO text, or empty) as a time."""
    return dt.time.fromisoformat(value) if value else None
