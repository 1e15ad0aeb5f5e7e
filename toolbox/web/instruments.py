"""Public pages: the start page and one form per instrument.

Repeating rows are added and removed by submit buttons (`action=add:<list>` /
`action=remove:<list>:<index>`), so everything works without JavaScript; form.js does the
same in place when JavaScript is available.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from toolbox.documents.render import get_renderer
from toolbox.drafts import discard_draft, draft_formdata, save_draft
from toolbox.extensions import csrf
from toolbox.instruments.formdata import drop_empty_rows, remove_row
from toolbox.instruments.forms import flat_errors, form_class, to_payload, with_spare_rows
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.instruments.shared import prefill, shared_values
from toolbox.models import Draft, Submission
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
        source = request.args.get("vorlage")
        formdata = _prefill(instrument, source) if source else None
        return render_template(
            "form.html", instrument=instrument, form=with_spare_rows(form_cls(formdata=formdata))
        )

    action = request.form.get("action", "submit")
    if action.startswith("add:") or action.startswith("remove:"):
        return _change_rows(instrument, form_cls, action)
    if action == "draft":
        draft = save_draft(instrument.slug, request.form, request.form.get("entwurf"))
        return redirect(url_for("instruments.draft", token=draft.token, gespeichert=1), code=303)

    form = form_cls(formdata=drop_empty_rows(instrument, request.form))
    if form.validate():
        submission = create_submission(instrument, to_payload(form), email=form.email.data or None)
        discard_draft(request.form.get("entwurf"))
        return redirect(url_for("submissions.page", token=submission.token), code=303)
    errors = flat_errors(form)
    errors.pop("csrf_token", None)  # explained separately: the session expired
    return render_template(
        "form.html",
        instrument=instrument,
        form=with_spare_rows(form),
        show_errors=True,
        draft_token=request.form.get("entwurf"),
        errors=errors,
        labels={name: error_label(instrument, name) for name in errors},
    ), 422


def _prefill(instrument, token: str):
    """Form data from the shared values of an earlier submission (Als Vorlage verwenden)."""
    source = Submission.query.filter_by(token=token).one_or_none()
    if source is None or get_instrument(source.instrument) is None:
        abort(404)
    values = shared_values(get_instrument(source.instrument), source.payload)
    return prefill(instrument, values)


@bp.get("/entwurf/<token>")
def draft(token: str):
    draft = Draft.query.filter_by(token=token).one_or_none()
    instrument = get_instrument(draft.instrument) if draft else None
    if instrument is None:
        abort(404)
    form = with_spare_rows(form_class(instrument)(formdata=draft_formdata(draft)))
    return render_template(
        "form.html",
        instrument=instrument,
        form=form,
        draft=draft,
        draft_saved=bool(request.args.get("gespeichert")),
    )


@bp.get("/instrumente/<slug>/vorlage.<fmt>")
def blank(slug: str, fmt: str):
    """The empty form to print, as PDF or DOCX."""
    instrument = get_instrument(slug)
    if instrument is None or fmt not in ("pdf", "docx"):
        abort(404)
    document = _blank_documents(slug, dt.date.today())[fmt]
    response = Response(document.content, mimetype=document.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    return response


@lru_cache(maxsize=32)
def _blank_documents(slug: str, day: dt.date) -> dict:
    renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    return {d.format: d for d in renderer.render(get_instrument(slug), {}, today=day, blank=True)}


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
    return render_template(
        "form.html",
        instrument=instrument,
        form=with_spare_rows(form),
        notice=notice,
        draft_token=request.form.get("entwurf"),
    )
