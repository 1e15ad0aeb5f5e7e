"""The form page shown again after a refusal (HTTP 422): every value kept, the reasons
beside the fields and in the error summary, in the order and with the labels the form shows.
Shared by the form's own views and the preview's no-JavaScript path."""

from __future__ import annotations

from flask import render_template, request

from toolbox.core.i18n import ui
from toolbox.instruments.forms import InstrumentForm, with_spare_rows


def refused_form(instrument, form, workshop, errors: dict[str, list[str]]):
    """The form again with `errors` ({} when only the CSRF check failed: the page says
    that the session expired)."""
    return render_template(
        "form.html",
        instrument=instrument,
        form=with_spare_rows(form),
        show_errors=True,
        draft_token=request.form.get("entwurf"),
        errors=in_form_order(instrument, errors),
        labels={name: error_label(instrument, name) for name in errors},
        workshop=workshop,
    ), 422


def in_form_order(instrument, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The error summary lists the fields as the form shows them: the instrument's fields
    (a list's own errors before its rows, rows and their fields in order), then the email
    address at the end of the form."""
    names = [f.name for f in instrument.fields]

    def position(name: str) -> tuple[int, int, int]:
        head, _, rest = name.partition("-")
        if head not in names:
            return (len(names) + (0 if head == "email" else 1), 0, 0)
        if not rest:
            return (names.index(head), -1, -1)
        index, _, sub = rest.partition("-")
        subs = [s.name for s in instrument.field(head).fields]
        row = int(index) if index.isdigit() else 0
        return (names.index(head), row, subs.index(sub) if sub in subs else len(subs))

    return {name: errors[name] for name in sorted(errors, key=position)}


def error_label(instrument, name: str) -> str:
    """ "parteien-1-name" → "Partei 2: Name", for the error summary."""
    if name == "email":
        return str(InstrumentForm.email_spec.label)
    head, _, rest = name.partition("-")
    try:
        field = instrument.field(head)
    except KeyError:
        return name
    if not rest:
        return ui(field.label)
    index, _, sub = rest.partition("-")
    sub_label = next((ui(s.label) for s in field.fields if s.name == sub), sub)
    return f"{ui(field.row_label or field.label)} {int(index) + 1}: {sub_label}"
