"""Values several instruments share, declared once: "Als Vorlage verwenden" starts a new
submission of any instrument prefilled with what the earlier one already said.

An instrument takes part by marking fields with ``Field(..., shares=CONCEPT)``, and may
export more values from its payload with ``Instrument(exports=...)``.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from toolbox.instruments.base import Instrument

CONCEPTS = {
    "gruppe": "Name der Selbsthilfegruppe",
    "einrichtung": "Name der Einrichtung",
    "kontaktstelle": "Name der Selbsthilfekontaktstelle",
    "ort": "Ort",
    "raum": "Raum",
}


def shared_values(instrument: Instrument, payload: dict) -> dict[str, str]:
    values = {}
    if instrument.exports is not None:
        values.update(instrument.exports(payload))
    for f in instrument.fields:
        if f.shares and isinstance(payload.get(f.name), str) and payload[f.name]:
            values[f.shares] = payload[f.name]
    return {k: v for k, v in values.items() if k in CONCEPTS and v}


def prefill(target: Instrument, values: dict[str, str]) -> MultiDict:
    """Form data for `target` with every field whose concept has a value. Form data
    replaces a form's defaults, so the defaults (a checkbox ticked by default, a preset
    choice) are written into it too; empty when there is nothing to carry over."""
    data = MultiDict(
        {f.name: values[f.shares] for f in target.fields if f.shares and f.shares in values}
    )
    if target.imports is not None:
        data.update(target.imports(values))
    if not data:
        return data
    for f in target.fields:
        if f.name in data or not f.default:
            continue
        f.kind.prefill_default(f, data)
    return data
