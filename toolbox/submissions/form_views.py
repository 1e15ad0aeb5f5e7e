"""Public pages: the start page and one form per instrument.

Repeating rows are added and removed by submit buttons (`action=add:<list>` /
`action=remove:<list>:<index>`), so everything works without JavaScript; form.js does the
same in place when JavaScript is available.
"""

from __future__ import annotations

from pathlib import Path

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
from flask_babel import gettext as _

from toolbox.core.extensions import csrf, limiter
from toolbox.core.i18n import ui
from toolbox.core.time import to_local
from toolbox.documents.render import MEDIA_TYPES, blank_filename, get_renderer
from toolbox.instruments.formdata import drop_empty_rows, payload_to_formdata, remove_row
from toolbox.instruments.forms import (
    flat_errors,
    form_class,
    to_payload,
    with_spare_rows,
)
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.instruments.shared import prefill, shared_values, taken_over
from toolbox.submissions.drafts import discard_draft, draft_formdata, save_draft
from toolbox.submissions.form_page import refused_form
from toolbox.submissions.models import Draft, Submission
from toolbox.submissions.preview import form_with_preview
from toolbox.submissions.service import create_submission
from toolbox.workshops.kit_builds import cached_blanks
from toolbox.workshops.participants import WORKSHOP_FIELD, closed_page
from toolbox.workshops.service import offers, workshop_by_token, workshop_prefill

bp = Blueprint("instruments", __name__)

# The hidden form field naming the submission a correction replaces (GET: ?korrektur=).
REPLACES_FIELD = "ersetzt"


@bp.get("/")
def index():
    return render_template("index.html", instruments=INSTRUMENTS.values())


def submit_limit() -> str:
    """Every POST counts, row buttons without JavaScript too: telling them apart would
    mean parsing the body before the size limits are checked."""
    return current_app.config["TOOLBOX_SUBMIT_RATE_LIMIT"]


# CSRF is checked by the form itself (not globally), so an expired token re-shows the
# form with everything typed kept instead of an error page.
@bp.route("/instrumente/<slug>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(submit_limit, methods=["POST"])
def form(slug: str):
    instrument = get_instrument(slug)
    if instrument is None:
        abort(404)
    form_cls = form_class(instrument)
    workshop, refusal = _workshop(instrument, request.values.get(WORKSHOP_FIELD))
    if refusal is not None:
        return refusal
    if request.method == "GET":
        replaces = reuse = None
        if request.args.get("korrektur"):
            replaces = _correction_or_404(instrument, request.args["korrektur"])
            formdata = payload_to_formdata(instrument, replaces.payload)
        elif request.args.get("vorlage"):
            formdata, reuse = _prefill(instrument, request.args["vorlage"])
        else:
            formdata = None
        if workshop is not None and formdata is None:
            formdata = workshop_prefill(instrument, workshop)
        return render_template(
            "form.html",
            instrument=instrument,
            form=with_spare_rows(form_cls(formdata=formdata)),
            workshop=workshop,
            replaces=replaces,
            reuse=reuse,
        )

    action = request.form.get("action", "submit")
    if action.startswith("add:") or action.startswith("remove:"):
        return _change_rows(instrument, form_cls, action, workshop)
    if action == "preview":
        return form_with_preview(instrument, workshop)
    if action == "draft":
        form = form_cls(formdata=request.form)
        if "csrf_token" in form and not form.csrf_token.validate(form):
            return refused_form(instrument, form, workshop, errors={})
        draft = save_draft(instrument.slug, request.form, request.form.get("entwurf"))
        return redirect(url_for("instruments.draft", token=draft.token, gespeichert=1), code=303)

    form = form_cls(formdata=drop_empty_rows(instrument, request.form))
    if form.validate():
        submission = create_submission(
            instrument,
            to_payload(form),
            email=form.email.data or None,
            workshop=workshop,
            replaces=correction_of(instrument.slug, request.form.get(REPLACES_FIELD)),
        )
        discard_draft(request.form.get("entwurf"))
        return redirect(url_for("submissions.page", token=submission.token), code=303)
    errors = flat_errors(form)
    errors.pop("csrf_token", None)  # explained separately: the session expired
    return refused_form(instrument, form, workshop, errors)


def _workshop(instrument, token: str | None):
    """(workshop, refusal): the workshop whose participant link this form was opened
    from, checked on every request; a closed workshop's refusal page instead."""
    if not token:
        return None, None
    workshop = workshop_by_token(token)
    if workshop is None or not offers(workshop, instrument.slug):
        abort(404)
    if workshop.is_closed():
        return workshop, closed_page(workshop)
    return workshop, None


def _prefill(instrument, token: str):
    """(form data, what was taken over) from the shared values of an earlier submission
    (Als Vorlage verwenden); (None, None) when it shares nothing with this instrument."""
    source = Submission.query.filter_by(token=token).one_or_none()
    if source is None or get_instrument(source.instrument) is None:
        abort(404)
    values = shared_values(get_instrument(source.instrument), source.payload)
    formdata = prefill(instrument, values)
    if not formdata:
        return None, None
    return formdata, {"source": source, "labels": taken_over(instrument, values)}


def _correction_or_404(instrument, token: str) -> Submission:
    replaces = correction_of(instrument.slug, token)
    if replaces is None:
        abort(404)
    return replaces


@bp.app_template_global()
def correction_of(slug: str, token: str | None) -> Submission | None:
    """The submission of this instrument a correction replaces, named by its token; None
    when there is none (any more: a deleted one makes the correction a new submission)."""
    if not token:
        return None
    return Submission.query.filter_by(token=token, instrument=slug).one_or_none()


@bp.get("/entwurf/<token>")
def draft(token: str):
    draft = Draft.query.filter_by(token=token).one_or_none()
    instrument = get_instrument(draft.instrument) if draft else None
    if instrument is None:
        abort(404)
    formdata = draft_formdata(draft)
    form = with_spare_rows(form_class(instrument)(formdata=formdata))
    return render_template(
        "form.html",
        instrument=instrument,
        form=form,
        draft=draft,
        draft_saved=bool(request.args.get("gespeichert")),
        workshop=workshop_by_token(formdata.get(WORKSHOP_FIELD)),
        replaces=correction_of(instrument.slug, formdata.get(REPLACES_FIELD)),
    )


@bp.get("/instrumente/<slug>/vorlage.<fmt>")
def blank(slug: str, fmt: str):
    """The empty form to print, as PDF or DOCX. Rendered once per template version and
    kept in the database (table `blank_render`, shared with the kits), so no request
    after the first one of all processes waits for WeasyPrint."""
    instrument = get_instrument(slug)
    if instrument is None or fmt not in ("pdf", "docx"):
        abort(404)
    templates_dir = Path(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    renderer = get_renderer(str(templates_dir))
    documents = {d.format: d for d in cached_blanks(renderer, templates_dir)(instrument)}
    document = documents[fmt]
    # Named for the day it was made, the day its footer shows.
    filename = blank_filename(instrument, to_local(document.created).date(), fmt)
    response = Response(document.content, mimetype=MEDIA_TYPES[fmt])
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


@bp.app_template_filter("instrument_title")
def instrument_title(slug: str) -> str:
    instrument = get_instrument(slug)
    return instrument.title if instrument else slug


def _change_rows(instrument, form_cls, action: str, workshop=None):
    parts = action.split(":")
    name = parts[1]
    try:
        field = instrument.field(name)
    except KeyError:
        abort(400)
    if not field.kind.is_list:
        abort(400)
    notice = None
    if parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit():
        form = form_cls(formdata=remove_row(request.form, name, int(parts[2])))
        notice = (name, _("%(label)s entfernt.", label=ui(field.row_label) or _("Zeile")))
    else:
        form = form_cls(formdata=request.form)
        if len(form[name].entries) >= field.max_entries:
            notice = (name, _("Höchstens %(max)s Zeilen sind möglich.", max=field.max_entries))
        else:
            form[name].append_entry()
            notice = (name, _("%(label)s hinzugefügt.", label=ui(field.row_label) or _("Zeile")))
    return render_template(
        "form.html",
        instrument=instrument,
        form=with_spare_rows(form),
        notice=notice,
        draft_token=request.form.get("entwurf"),
        workshop=workshop,
    )
