"""Form data as WTForms reads it: API JSON flattened into it, list rows dropped or removed.

Names follow WTForms' FieldList convention: ``<list>-<index>-<field>``.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from toolbox.instruments.base import Instrument


def drop_empty_rows(instrument: Instrument, formdata: MultiDict) -> MultiDict:
    """Remove list rows in which nothing was entered, so blank spare rows are not errors,
    and number the remaining rows 0, 1, 2 … so that the row a cross-field rule names
    (``termine-1-datum``) is the row the form shows."""
    out = MultiDict(formdata)
    for f in instrument.fields:
        if not f.kind.is_list:
            continue
        kept = 0
        for index in row_indices(formdata, f.name):
            prefix = f"{f.name}-{index}-"
            keys = [k for k in formdata if k.startswith(prefix)]
            values = {k: out.poplist(k) for k in keys}
            if all(not v.strip() for vs in values.values() for v in vs):
                continue
            for key, vs in values.items():
                out.setlist(f"{f.name}-{kept}-{key[len(prefix) :]}", vs)
            kept += 1
    return out


def row_indices(formdata: MultiDict, list_name: str) -> list[int]:
    prefix = f"{list_name}-"
    found = set()
    for key in formdata:
        if key.startswith(prefix):
            head = key[len(prefix) :].split("-", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def remove_row(formdata: MultiDict, list_name: str, index: int) -> MultiDict:
    """Form data without one row; later rows move up so the numbering stays contiguous."""
    out = MultiDict()
    prefix = f"{list_name}-"
    for key, value in formdata.items(multi=True):
        if key.startswith(prefix):
            head, _, rest = key[len(prefix) :].partition("-")
            if head.isdigit():
                i = int(head)
                if i == index:
                    continue
                if i > index:
                    key = f"{prefix}{i - 1}-{rest}"
        out.add(key, value)
    return out


def json_to_formdata(instrument: Instrument, data: dict) -> tuple[MultiDict, dict]:
    """Flatten an API body into form data names; unknown or malformed keys become errors."""
    md = MultiDict()
    errors: dict[str, list[str]] = {}
    known = {f.name: f for f in instrument.fields}
    for key, value in data.items():
        f = known.get(key)
        if f is None:
            errors[key] = ["Unbekanntes Feld."]
        else:
            f.kind.add_json(md, key, f, value, errors)
    return md, errors


def payload_to_formdata(instrument: Instrument, payload: dict) -> MultiDict:
    """Form data that shows a stored payload again, every field and row ("Korrigieren").
    Keys the instrument no longer has, and values it would refuse, are left out."""
    known = {f.name for f in instrument.fields}
    formdata, _errors = json_to_formdata(
        instrument, {k: v for k, v in payload.items() if k in known}
    )
    return formdata
