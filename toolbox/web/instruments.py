"""Public pages: the start page and one form per instrument.

Repeating rows are added and removed by submit buttons (`action=add:<list>` /
`action=remove:<list>:<index>`), so everything works without JavaScript; form.js does the
same in place when JavaScript is available.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from toolbox.extensions import csrf
from toolbox.instruments import INSTRUMENTS, get_instrument
from toolbox.instruments.formdata import drop_empty_rows, remove_row
from toolbox.instruments.forms import flat_errors, form_class, to_payload
from toolbox.submissions import create_submission

bp = Blueprint("instruments", __name__)


@bp.get("/")
def index():
    return render_template("index.html", instruments=INSTRUMENTS.values())


# CSRF is checked by the form itself (not globally), so an expired token re-shows the
# form with everything typed kept instead of an error page.
@bp.route("/instrumente/<slug>", methods=["GET", "POST"])
@csrf.exempt
def form(slug: str):
    instrument = get_instrument(slug)
    if instrument is None:
        abort(404)
    form_cls = form_class(instrument)
    if request.method == "GET":
        return render_template("form.html", instrument=instrument, form=form_cls(formdata=None))

    action = request.form.get("action", "submit")
    if action.startswith("add:") or action.startswith("remove:"):
        return _change_rows(instrument, form_cls, action)

    form = form_cls(formdata=drop_empty_rows(instrument, request.form))
    if form.validate():
        submission = create_submission(instrument, to_payload(form), email=form.email.data or None)
        return redirect(url_for("submissions.page", token=submission.token), code=303)
    errors = flat_errors(form)
    errors.pop("csrf_token", None)  # explained separately: the session expired
    return render_template(
        "form.html",
        instrument=instrument,
        form=form,
        show_errors=True,
        errors=errors,
        labels={name: error_label(instrument, name) for name in errors},
    ), 422


def error_label(instrument, name: str) -> str:
    """ "parteien-1-name" → "Partei 2: Name", for the error summary."""
    head, _, rest = name.partition("-")
    try:
        field = instrument.field(head)
    except KeyError:
        return name
    if not rest:
        return field.label
    index, _, sub = rest.partition("-")
    sub_label = next((s.label for s in field.fields if s.name == sub), sub)
    return f"{field.row_label or field.label} {int(index) + 1}: {sub_label}"


@bp.app_template_filter("instrument_title")
def instrument_title(slug: str) -> str:
    instrument = get_instrument(slug)
    return instrument.title if instrument else slug


def _change_rows(instrument, form_cls, action: str):
    parts = action.split(":")
    name = parts[1]
    try:
        field = instrument.field(name)
    except KeyError:
        abort(400)
    if field.type != "list":
        abort(400)
    notice = None
    if parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit():
        form = form_cls(formdata=remove_row(request.form, name, int(parts[2])))
        notice = (name, f"{field.row_label or 'Zeile'} entfernt.")
    else:
        form = form_cls(formdata=request.form)
        if len(form[name].entries) >= field.max_entries:
            notice = (name, f"Höchstens {field.max_entries} Zeilen sind möglich.")
        else:
            form[name].append_entry()
            notice = (name, f"{field.row_label or 'Zeile'} hinzugefügt.")
    return render_template("form.html", instrument=instrument, form=form, notice=notice)
