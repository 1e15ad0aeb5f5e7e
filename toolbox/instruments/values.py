"""From a stored payload to the plain values document templates print.

Templates get ready-to-print German strings (dates, times, amounts, choice labels), the raw
payload under ``raw`` for conditions, and whatever the instrument adds. Only plain Python
values: never database objects, never anything a template could call back into.
"""

from __future__ import annotations

import datetime as dt

from toolbox.documents.formatting import euro, german_date, german_number, german_time
from toolbox.instruments.base import Field, Instrument


def display_value(f: Field, value):
    if f.type == "list":
        return [
            {s.name: display_value(s, row.get(s.name)) for s in f.fields} for row in value or []
        ]
    if f.type == "multichoice":
        return [f.choice_label(v) for v in value or []]
    if f.type == "boolean":
        return bool(value)
    if value is None or value == "":
        return ""
    if f.type == "date":
        return german_date(value)
    if f.type == "time":
        return german_time(value)
    if f.type == "choice":
        return f.choice_label(value)
    if f.type == "decimal":
        return euro(value) if f.unit == "€" else german_number(value)
    if f.type == "integer":
        return str(value)
    return value


def display_context(instrument: Instrument, payload: dict, today: dt.date) -> dict:
    ctx = {f.name: display_value(f, payload.get(f.name)) for f in instrument.fields}
    ctx["raw"] = payload
    ctx["document_title"] = instrument.document_title
    ctx["generated"] = german_date(today)
    ctx["ersetzt"] = ""  # a correction: when the version it replaces was made (footer)
    ctx["short_name"] = instrument.short_name(payload)
    if instrument.extend_context is not None:
        ctx.update(instrument.extend_context(ctx, payload))
    return ctx
