"""The largest legal submission of each instrument (issue 14): every list at its maximum
number of rows, and the text budget of a submission spent on its text fields.

Two ways of spending the budget are built, as neither is obviously the slower one:
``spread`` shares it out over every text field (many table cells, each with many lines),
``in_order`` fills the fields one after the other up to their own limits until the budget
is spent (few very long fields). Both pass the form's validation; tests/test_worst_case.py
renders them (docs/LIMITS.md has the numbers).
"""

from __future__ import annotations

import copy

from helpers import load_data

from toolbox.instruments.base import Instrument
from toolbox.instruments.limits import (
    SUBMISSION_MAX_CHARS,
    SUBMISSION_MAX_LINES,
    TEXT_MAX_CHARS,
    TEXTAREA_MAX_CHARS,
    TEXTAREA_MAX_LINES,
)

# German-looking words of mixed length: hyphenation and line breaking get real work.
WORDS = "Selbsthilfe Kontaktstelle und Gruppe trifft sich im Raum zur Beratung über Ziele "


def prose(chars: int, lines: int = 1) -> str:
    """Text of exactly ``chars`` characters in ``lines`` lines (``lines - 1`` line ends)."""
    if chars <= 0:
        return ""
    lines = max(1, min(lines, (chars + 1) // 2))
    body = chars - (lines - 1)
    out = []
    for i in range(lines):
        width = body // lines + (1 if i < body % lines else 0)
        text = (WORDS * (width // len(WORDS) + 1))[:width]
        out.append(text[:-1] + "x" if text.endswith(" ") else text)
    return "\n".join(out)


def _slots(instrument: Instrument, data: dict) -> list[tuple[dict, str, str]]:
    """(holder, key, type) of every text field of ``data``, list rows included."""
    slots = []
    for f in instrument.fields:
        if f.type in ("text", "textarea"):
            slots.append((data, f.name, f.type))
        elif f.type == "list":
            for row in data.get(f.name) or []:
                for s in f.fields:
                    if s.type in ("text", "textarea"):
                        slots.append((row, s.name, s.type))
    return slots


def _full_rows(instrument: Instrument, data: dict) -> dict:
    data = copy.deepcopy(data)
    for f in instrument.fields:
        if f.type == "list":
            rows = data.get(f.name) or []
            assert rows, f"{instrument.slug}: the example has no row of {f.name}"
            data[f.name] = [copy.deepcopy(rows[i % len(rows)]) for i in range(f.max_entries)]
    return data


def _cap(kind: str) -> tuple[int, int]:
    """(characters, lines) one field of this kind may hold."""
    if kind == "textarea":
        return TEXTAREA_MAX_CHARS, TEXTAREA_MAX_LINES
    return TEXT_MAX_CHARS, 1


def worst_case(instrument: Instrument, how: str = "spread") -> dict:
    """API-style data of the largest legal submission (see the module's docstring)."""
    data = _full_rows(instrument, load_data(instrument.slug))
    slots = _slots(instrument, data)
    chars_left, lines_left = SUBMISSION_MAX_CHARS, SUBMISSION_MAX_LINES
    if how == "spread":
        # water-filling: equal shares, what a field cannot take goes to the others
        plan = {}
        pending = list(range(len(slots)))
        while pending:
            share = chars_left // len(pending)
            capped = [i for i in pending if _cap(slots[i][2])[0] <= share]
            if not capped:
                break
            for i in capped:
                plan[i] = _cap(slots[i][2])[0]
                chars_left -= plan[i]
                pending.remove(i)
        for n, i in enumerate(pending):
            plan[i] = chars_left // len(pending) + (1 if n < chars_left % len(pending) else 0)
        areas = [i for i, s in enumerate(slots) if s[2] == "textarea"]
        for i, (holder, key, kind) in enumerate(slots):
            lines = 1
            if kind == "textarea":
                lines = min(TEXTAREA_MAX_LINES, SUBMISSION_MAX_LINES // len(areas))
            holder[key] = prose(plan[i], lines)
    else:
        # one character (and for long texts one line) each first, so that no required
        # field stays empty
        chars_left -= len(slots)
        lines_left -= sum(1 for *_, kind in slots if kind == "textarea")
        for holder, key, kind in slots:
            max_chars, max_lines = _cap(kind)
            chars = 1 + min(max_chars - 1, chars_left)
            lines = 1 + min(max_lines - 1, lines_left, chars - 1)
            holder[key] = prose(chars, lines)
            chars_left -= chars - 1
            if kind == "textarea":
                lines_left -= holder[key].count("\n")
    return data
