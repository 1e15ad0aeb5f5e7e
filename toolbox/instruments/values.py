"""From a stored payload to the plain values document templates print.

Templates get ready-to-print German strings (dates, times, amounts, choice labels), the raw
payload under ``raw`` for conditions, and whatever the instrument adds. Only plain Python
values: never database objects, never anything a template could call back into.
"""

from __future__ import annotations

import datetime as dt

from toolbox.documents.formatting import german_date
from toolbox.instruments.base import Field, Instrument


def display_value(f: Field, value):
    """The stored value as documents print it (see the field's type object)."""
    return f.kind.display(f, value)


def display_context(instrument: Instrument, payload: dict, today: dt.date) -> dict:
    ctx = {f.name: display_value(f, payload.get(f.name)) for f in instrument.fields}
    ctx["raw"] = payload
    ctx["document_title"] = instrument.document_title
    ctx["generated"] = german_date(today)
    ctx["ersetzt"] = ""  # a correction: when the version it replaces was made (footer)
    ctx["short_name"] = instrument.short_name(payload)
    ctx["fill_in"] = False  # True only on the blank form to fill in by hand (documents/blank.py)
    if instrument.extend_context is not None:
        ctx.update(instrument.extend_context(ctx, payload))
    return ctx
