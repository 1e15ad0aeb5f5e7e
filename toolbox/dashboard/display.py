"""What the detail page shows: the timeline of a submission and its data, read-only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import InvalidOperation

from flask_babel import lazy_gettext as _l

from toolbox.instruments.base import Field, Instrument
from toolbox.instruments.values import display_value
from toolbox.submissions.models import Event

EVENT_LABELS = {
    ("job", "queued"): _l("In Warteschlange"),
    ("job", "running"): _l("Erstellung begonnen"),
    ("job", "done"): _l("Dokumente fertig"),
    ("job", "failed"): _l("Erstellung fehlgeschlagen"),
    ("email", "pending"): _l("E-Mail ausstehend"),
    ("email", "sent"): _l("E-Mail gesendet"),
    ("email", "failed"): _l("E-Mail fehlgeschlagen"),
}
TRANSPORTS = {
    "smtp": _l("über den Mailserver"),
    "outbox": _l("im Postausgang abgelegt (kein Mailserver eingerichtet)"),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: object
    kind: str
    state: str
    label: str
    detail: str


def timeline(events: list[Event]) -> list[TimelineEntry]:
    out = []
    for e in events:
        detail = e.detail or ""
        if e.kind == "email" and e.state == "sent":
            detail = TRANSPORTS.get(detail, detail)
        label = EVENT_LABELS.get((e.kind, e.state), f"{e.kind}: {e.state}")
        out.append(TimelineEntry(e.at, e.kind, e.state, label, detail))
    return out


@dataclass(frozen=True)
class DataRow:
    """One submitted field: `text` for single values, `items` for choices, `rows` for
    repeating groups (each a list of (label, text))."""

    label: str
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[tuple[str, str], ...], ...] = ()
    row_label: str = ""
    unreadable: bool = False


def _text(value) -> str:
    if isinstance(value, bool):
        return "Ja" if value else "Nein"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _row(f: Field, value) -> DataRow:
    try:
        shown = display_value(f, value)
    except (ValueError, TypeError, KeyError, AttributeError, InvalidOperation):
        # Stored data the instrument cannot read (e.g. from an older version): show it
        # as stored, so people can see why rendering failed.
        return DataRow(f.label, text=json.dumps(value, ensure_ascii=False), unreadable=True)
    if f.kind.is_list:
        rows = tuple(tuple((s.label, _text(row.get(s.name))) for s in f.fields) for row in shown)
        return DataRow(f.label, rows=rows, row_label=f.row_label or "Zeile")
    if f.kind.shape == "items":
        return DataRow(f.label, items=tuple(shown))
    return DataRow(f.label, text=_text(shown))


def data_rows(instrument: Instrument | None, payload: dict) -> list[DataRow]:
    """The payload with the instrument's labels; keys it does not declare come last."""
    known = instrument.fields if instrument else ()
    out = [_row(f, payload.get(f.name)) for f in known]
    names = {f.name for f in known}
    for key, value in payload.items():
        if key not in names:
            out.append(DataRow(key, text=json.dumps(value, ensure_ascii=False), unreadable=True))
    return out
