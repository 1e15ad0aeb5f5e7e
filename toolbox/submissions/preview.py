"""The live preview beside every form: the document as it will read, from the same
template and context as the PDF, with what is not (yet) valid as the blank form's lines.

`POST /instrumente/<slug>/vorschau` answers preview.js with the HTML of the document alone;
without JavaScript the form's "Vorschau anzeigen" button shows the same on the form page.
Nothing is stored and nothing typed is logged: the form data lives for one request.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from toolbox.core.extensions import limiter
from toolbox.core.time import berlin_today
from toolbox.documents.html_view import get_html_view
from toolbox.documents.render import document_context
from toolbox.instruments.base import Instrument
from toolbox.instruments.formdata import drop_empty_rows
from toolbox.instruments.forms import flat_errors, form_class, to_payload, with_spare_rows
from toolbox.instruments.registry import get_instrument
from toolbox.submissions.form_page import refused_form

bp = Blueprint("preview", __name__)


def preview_limit() -> str:
    return current_app.config["TOOLBOX_PREVIEW_RATE_LIMIT"]


# CSRF: checked by the app-wide CSRFProtect (the token comes with the form data).
@bp.post("/instrumente/<slug>/vorschau")
@limiter.limit(preview_limit)
def preview(slug: str):
    instrument = get_instrument(slug)
    if instrument is None:
        abort(404)
    response = Response(render_preview(instrument, request.form), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def preview_payload(instrument: Instrument, formdata: MultiDict) -> dict:
    """The payload a submission would store, with every value that is not valid yet (a
    half-typed date, a missing required answer, a broken cross-field rule) left out."""
    form = form_class(instrument)(
        formdata=drop_empty_rows(instrument, formdata), meta={"csrf": False}
    )
    form.validate()
    payload = to_payload(form)
    for name in flat_errors(form):
        _forget(instrument, payload, name)
    return payload


def _forget(instrument: Instrument, payload: dict, name: str) -> None:
    head, _, rest = name.partition("-")
    try:
        field = instrument.field(head)
    except KeyError:
        return
    if not field.kind.is_list:
        payload[head] = None
        return
    index, _, sub = rest.partition("-")  # a message about the whole list keeps its rows
    rows = payload.get(head) or []
    if sub and index.isdigit() and int(index) < len(rows):
        rows[int(index)][sub] = None


def preview_context(instrument: Instrument, formdata: MultiDict, today: dt.date) -> dict:
    return document_context(instrument, preview_payload(instrument, formdata), today)


def render_preview(instrument: Instrument, formdata: MultiDict, heading_level: int = 3) -> Markup:
    view = get_html_view(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    ctx = preview_context(instrument, formdata, berlin_today())
    return Markup(view.preview(instrument, ctx, heading_level))  # noqa: S704 (escaped by Jinja)


def form_with_preview(instrument: Instrument, workshop=None):
    """The no-JavaScript path: the form page again, input kept, with the preview shown."""
    form = form_class(instrument)(formdata=request.form)
    if "csrf_token" in form and not form.csrf_token.validate(form):
        return refused_form(instrument, form, workshop, errors={})
    return render_template(
        "form.html",
        instrument=instrument,
        form=with_spare_rows(form),
        draft_token=request.form.get("entwurf"),
        workshop=workshop,
        preview=render_preview(instrument, request.form),
    )
