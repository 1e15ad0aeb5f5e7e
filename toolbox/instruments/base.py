"""How an instrument is declared: its fields once, and everything else derived from them.

The form (WTForms), the API description, the stored payload and the document context are
all built from the same `Field` declarations, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from toolbox.instruments.limits import (  # noqa: F401 (the limits, where fields are)
    LIST_MAX_ROWS,
    TEXT_MAX_CHARS,
    TEXTAREA_MAX_CHARS,
    TEXTAREA_MAX_LINES,
)
from toolbox.instruments.types import NON_BLANK, TYPES, FieldType  # noqa: F401 (for rules)

FIELD_TYPES = tuple(TYPES)

# The plausible range of a date field unless it declares its own (issue 15: "ab 9.
# Dezember 443" is a typo, not an agreement).
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


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
    # Date fields: the plausible range (see DATE_MIN/DATE_MAX).
    min_date: dt.date = DATE_MIN
    max_date: dt.date = DATE_MAX
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
        if self.kind.is_list != bool(self.fields):
            raise ValueError(f"Feld {self.name}: nur Listen haben Zeilenfelder")

    @property
    def kind(self) -> FieldType:
        """The type object: what this field's type means for form, API and documents."""
        return TYPES[self.type]

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
        if self.kind.is_list:
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


class Message(str):
    """A rule message with run-time values: reads as the German text, and keeps its
    message id and values so the form can show it in the UI language."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params) -> Message:
        obj = super().__new__(cls, msgid % params if params else msgid)
        obj.msgid, obj.params = msgid, params
        return obj


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
    # The document is a text with clauses (an agreement): its blank form is that text
    # with lines to fill in, not a questionnaire (see documents/blank.py).
    blank_document: bool = False
    # Shared values found elsewhere than in a `shares` field (e.g. the group's name in
    # the agreement's list of parties): payload → {concept: value}.
    exports: Callable[[dict], dict[str, str]] | None = None
    # The reverse, for values that land in list rows: {concept: value} → form data.
    imports: Callable[[dict[str, str]], dict[str, str]] | None = None
    # The cross-field rules as the API description states them: JSON Schema where it can
    # say them (if/then, dependentRequired, ...), the rest in words. Field pairs that must
    # be in order are declared as (earlier, later, strictly_later[, enough_days]), where
    # enough_days is a gap that satisfies every other rule on the pair; rows of a list as
    # "<list>[].<field>".
    rule_schemas: tuple[dict, ...] = field(default=(), hash=False, compare=False)
    rule_notes: tuple[str, ...] = ()
    order: tuple[tuple, ...] = ()
    # (integer year field, date field): the date lies in that year.
    in_year: tuple[tuple[str, str], ...] = ()

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


def required_if(name: str, value, then: str, then_schema: dict | None = None) -> dict:
    """JSON Schema of "when `name` is `value` (a list: one of them; a dict: a schema),
    `then` must be given" (with `then_schema`, e.g. NON_BLANK for text)."""
    if isinstance(value, dict):
        condition = value
    elif isinstance(value, list):
        condition = {"enum": value}
    else:
        condition = {"const": value}
    rule: dict[str, Any] = {
        "if": {"required": [name], "properties": {name: condition}},
        "then": {"required": [then]},
    }
    if then_schema:
        rule["then"]["properties"] = {then: then_schema}
    return rule


def parse_date(value: str | None) -> dt.date | None:
    """A date field's payload value (ISO text, or empty) as a date."""
    return dt.date.fromisoformat(value) if value else None


def parse_time(value: str | None) -> dt.time | None:
    """A time field's payload value (ISO text, or empty) as a time."""
    return dt.time.fromisoformat(value) if value else None
