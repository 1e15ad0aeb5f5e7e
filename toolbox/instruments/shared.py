"""Values several instruments share, declared once: "Als Vorlage verwenden" starts a new
submission of any instrument prefilled with what the earlier one already said.

An instrument takes part by marking fields with ``Field(..., shares=CONCEPT)``, and may
export more values from its payload with ``Instrument(exports=...)`` and read them into
other fields (list rows) with ``Instrument(imports=...)``. Each concept is declared once,
here, with the label the form uses to say what was taken over.
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
# Content carried only from one submission to another (a workshop does not preset it):
# the agreement's goals are what the Reflexion reviews, one line (or row) per goal.
CONTENT_CONCEPTS = {
    "ziele": "Ziele der Zusammenarbeit",
    "beginn": "Beginn der Zusammenarbeit",
}
ALL_CONCEPTS = {**CONCEPTS, **CONTENT_CONCEPTS}


def shared_values(instrument: Instrument, payload: dict) -> dict[str, str]:
    values = {}
    if instrument.exports is not None:
        values.update(instrument.exports(payload))
    for f in instrument.fields:
        if f.shares and isinstance(payload.get(f.name), str) and payload[f.name]:
            values[f.shares] = payload[f.name]
    return {k: v for k, v in values.items() if k in ALL_CONCEPTS and v}


def taken_over(target: Instrument, values: dict[str, str]) -> list[str]:
    """The labels of the concepts `prefill` fills into `target`, in declaration order,
    for the form to say what it took over."""
    return [
        label
        for concept, label in ALL_CONCEPTS.items()
        if concept in values and _fills(target, {concept: values[concept]})
    ]


def _fills(target: Instrument, values: dict[str, str]) -> bool:
    if any(f.shares in values for f in target.fields if f.shares):
        return True
    return target.imports is not None and bool(target.imports(values))


def goal_lines(text: str) -> list[str]:
    """The goals of a text written "one line per goal", without list marks ("- ", "1.")."""
    goals = []
    for line in text.splitlines():
        goal = line.strip().lstrip("-–•*·").strip()
        head, dot, rest = goal.partition(".")
        if dot and head.isdigit() and rest.strip():
            goal = rest.strip()
        if goal:
            goals.append(goal)
    return goals


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
