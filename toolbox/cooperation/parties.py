"""Who signs an agreement, as the agreement itself lists them, and what changed from one
version to the next (German, field by field). Pure: no Flask, no database."""

from __future__ import annotations

from toolbox.instruments.base import Field, Instrument
from toolbox.instruments.values import display_value

# Instruments whose parties are single fields rather than a list "parteien".
PARTY_FIELDS = {"raumnutzung": ("raumgeber", "gruppe")}


def parties_of(instrument: Instrument, payload: dict) -> list[str]:
    """The organisations that sign, in the order the document lists them."""
    if instrument.slug in PARTY_FIELDS:
        return [str(payload.get(name) or "").strip() for name in PARTY_FIELDS[instrument.slug]]
    rows = payload.get("parteien") or []
    return [str(row.get("name") or "").strip() for row in rows]


def _shown(f: Field, value) -> str:
    shown = display_value(f, value)
    if isinstance(shown, list | tuple):
        return ", ".join(str(v) for v in shown)
    return str(shown or "")


def _quote(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return f"„{text[:limit]}{'…' if len(text) > limit else ''}“"


def _value_change(label: str, old: str, new: str) -> str:
    if not old:
        return f"{label}: ergänzt {_quote(new)}"
    if not new:
        return f"{label}: gestrichen (bisher {_quote(old)})"
    return f"{label}: geändert von {_quote(old)} in {_quote(new)}"


def changes(instrument: Instrument, old: dict, new: dict) -> list[str]:
    """What changed from `old` to `new`, one German line per change, e.g.
    "Leistungen der Selbsthilfe: hinzugefügt „Infostand“"."""
    lines: list[str] = []
    for f in instrument.fields:
        before, after = old.get(f.name), new.get(f.name)
        if (before in (None, "", [])) and (after in (None, "", [])) or before == after:
            continue
        if f.kind.is_list:
            lines += _row_changes(f, before or [], after or [])
        elif f.kind.shape == "items":
            gone = [v for v in before or [] if v not in (after or [])]
            came = [v for v in after or [] if v not in (before or [])]
            for value in came:
                lines.append(f"{f.label}: hinzugefügt {_quote(f.choice_label(value))}")
            for value in gone:
                lines.append(f"{f.label}: entfernt {_quote(f.choice_label(value))}")
        else:
            old_text, new_text = _shown(f, before), _shown(f, after)
            if old_text != new_text:
                lines.append(_value_change(f.label, old_text, new_text))
    return lines


def _row_changes(f: Field, before: list, after: list) -> list[str]:
    lines = []
    label = f.row_label or "Zeile"
    for index in range(max(len(before), len(after))):
        where = f"{f.label}, {label} {index + 1}"
        if index >= len(before):
            lines.append(f"{where}: hinzugefügt")
            continue
        if index >= len(after):
            lines.append(f"{where}: entfernt")
            continue
        for sub in f.fields:
            old_text = _shown(sub, before[index].get(sub.name))
            new_text = _shown(sub, after[index].get(sub.name))
            if old_text != new_text:
                lines.append(_value_change(f"{where}, {sub.label}", old_text, new_text))
    return lines
