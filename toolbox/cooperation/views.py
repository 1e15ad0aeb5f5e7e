"""Circulating a signed agreement: the author's part on the private page (`/s/<token>`)
and each party's private page (`/z/<token>`), both reachable only by token."""

from __future__ import annotations

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
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from toolbox.cooperation.models import (
    Circulation,
    CirculationState,
    FinalDocument,
    Invitation,
    InvitationState,
)
from toolbox.cooperation.service import (
    NAME_MAX,
    TEXT_MAX,
    CooperationRefused,
    add_version,
    agree,
    candidate_for,
    change_errors,
    consent_errors,
    invitation_by_token,
    is_circulable,
    latest_answer,
    mark_opened,
    parties_for,
    request_change,
    resend_invitation,
    start_circulation,
    version_of,
)
from toolbox.core.extensions import db, limiter
from toolbox.documents.html_view import get_html_view, shift_headings
from toolbox.documents.render import MEDIA_TYPES, document_context
from toolbox.instruments.forms import AddressForm
from toolbox.instruments.registry import get_instrument
from toolbox.submissions.mail_limits import resend_rate_limit
from toolbox.submissions.models import Document, Submission

bp = Blueprint("cooperation", __name__, template_folder="templates")

STATE_LABELS = {
    InvitationState.INVITED: _l("eingeladen"),
    InvitationState.OPENED: _l("geöffnet"),
    InvitationState.AGREED: _l("zugestimmt"),
    InvitationState.CHANGE_REQUESTED: _l("Änderung vorgeschlagen"),
}
CIRCULATION_LABELS = {
    CirculationState.OPEN: _l("In Abstimmung"),
    CirculationState.COMPLETING: _l("Alle haben zugestimmt – die Endfassung wird erstellt"),
    CirculationState.COMPLETED: _l("Abgeschlossen: Endfassung erstellt und verschickt"),
}


@bp.app_template_global()
def cooperation_of(submission: Submission) -> dict | None:
    """What the private page shows about circulating this submission (None: nothing)."""
    if not is_circulable(submission):
        return None
    version = version_of(submission)
    if version is not None:
        return {"circulation": version.circulation, "version": version, "candidate": None}
    return {"circulation": None, "version": None, "candidate": candidate_for(submission)}


EVENT_LABELS = {
    "circulated": _l("zur Abstimmung gesendet"),
    "opened": _l("geöffnet"),
    "agreed": _l("zugestimmt"),
    "change_requested": _l("Änderung vorgeschlagen"),
    "revised": _l("neue Version gesendet"),
    "completed": _l("abgeschlossen"),
    "reminded": _l("erinnert"),
    "resent": _l("Einladung erneut gesendet"),
}


@bp.app_template_global()
def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


@bp.app_template_global()
def invitation_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


@bp.app_template_global()
def circulation_label(state: str) -> str:
    return str(CIRCULATION_LABELS.get(state, state))


def submission_or_404(token: str) -> Submission:
    """The submission of a private link (as on its page, toolbox.submissions.views)."""
    submission = db.session.scalars(select(Submission).where(Submission.token == token)).first()
    if submission is None:
        abort(404)
    return submission


# --- the author ----------------------------------------------------------------------------


def _circulate_page(submission: Submission, errors=None, values=None, refusal="", status=200):
    parties = parties_for(submission)
    return (
        render_template(
            "cooperation/circulate.html",
            submission=submission,
            parties=parties,
            errors=errors or {},
            values=values or {},
            refusal=refusal,
        ),
        status,
    )


@bp.get("/s/<token>/abstimmung")
def circulate_form(token: str):
    submission = submission_or_404(token)
    if not is_circulable(submission):
        abort(404)
    version = version_of(submission)
    if version is not None:
        return redirect(url_for("submissions.page", token=token, _anchor="cooperation-title"))
    return _circulate_page(submission)


@bp.post("/s/<token>/abstimmung")
@limiter.limit(resend_rate_limit)
def circulate(token: str):
    submission = submission_or_404(token)
    if not is_circulable(submission):
        abort(404)
    parties = parties_for(submission)
    values = {i: request.form.get(f"email-{i}", "").strip() for i in range(len(parties))}
    errors = {}
    for index, value in values.items():
        form = AddressForm(formdata=MultiDict({"email": value}), meta={"csrf": False})
        if not form.validate():
            errors[index] = " ".join(str(e) for e in form.email.errors)
    if errors:
        return _circulate_page(submission, errors, values, status=422)
    try:
        start_circulation(submission, [values[i] for i in range(len(parties))])
    except CooperationRefused as refusal:
        return _circulate_page(submission, values=values, refusal=str(refusal), status=409)
    return redirect(
        url_for(
            "submissions.page", token=token, abstimmung="gesendet", _anchor="circulation-state"
        ),
        code=303,
    )


@bp.post("/s/<token>/abstimmung/version")
@limiter.limit(resend_rate_limit)
def new_version(token: str):
    """This correction becomes the next version of the circulation it corrects."""
    submission = submission_or_404(token)
    circulation = candidate_for(submission)
    if circulation is None:
        version = version_of(submission)
        if version is None:
            abort(404)
        circulation = version.circulation
    try:
        add_version(circulation, submission)
    except CooperationRefused as refusal:
        return render_template(
            "cooperation/refused.html", message=str(refusal), submission=submission
        ), 409
    return redirect(
        url_for(
            "submissions.page", token=token, abstimmung="gesendet", _anchor="circulation-state"
        ),
        code=303,
    )


def _author_circulation(token: str) -> Circulation:
    version = version_of(submission_or_404(token))
    if version is None:
        abort(404)
    return version.circulation


@bp.post("/s/<token>/abstimmung/erneut")
@limiter.limit(resend_rate_limit)
def resend(token: str):
    """The invitation of the party in row `partei` (0, 1, …) again."""
    circulation = _author_circulation(token)
    position = _number(request.form.get("partei"))
    invitation = next((i for i in circulation.invitations if i.position == position), None)
    if invitation is None:
        abort(404)
    try:
        resend_invitation(invitation)
    except CooperationRefused as refusal:
        submission = submission_or_404(token)
        return render_template(
            "cooperation/refused.html", message=str(refusal), submission=submission
        ), 429
    return redirect(url_for("submissions.page", token=token, _anchor="cooperation-title"), code=303)


@bp.get("/s/<token>/abstimmung/endfassung/<fmt>")
def author_final(token: str, fmt: str):
    return _final_download(_author_circulation(token), fmt)


def _final_download(circulation: Circulation, fmt: str):
    document = (
        db.session.query(FinalDocument).filter_by(circulation_id=circulation.id, format=fmt).first()
    )
    if document is None or fmt not in MEDIA_TYPES:
        abort(404)
    response = Response(document.content, mimetype=MEDIA_TYPES[fmt])
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    return response


# --- the parties ---------------------------------------------------------------------------


def invitation_or_404(token: str) -> Invitation:
    invitation = invitation_by_token(token)
    if invitation is None:
        abort(404)
    return invitation


def document_html(circulation: Circulation, number: int) -> Markup:
    """The version as accessible HTML: the same template and context as its PDF."""
    version = circulation.version_numbered(number)
    instrument = get_instrument(circulation.instrument)
    ctx = document_context(instrument, version.payload, version.created_at.date())
    ctx["fassung"] = f"Entwurf, Version {number}"
    view = get_html_view(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    return Markup(shift_headings(view.render(instrument, ctx), 1))  # noqa: S704 (escaped by Jinja)


def _party_page(invitation: Invitation, errors=None, values=None, refusal="", status=200):
    circulation = invitation.circulation
    current = circulation.current
    has_pdf = (
        db.session.query(Document)
        .filter_by(submission_id=current.submission_id, format="pdf")
        .first()
        is not None
    )
    return (
        render_template(
            "cooperation/party.html",
            invitation=invitation,
            circulation=circulation,
            version=current,
            document=document_html(circulation, current.number)
            if circulation.state == CirculationState.OPEN
            else None,
            has_pdf=has_pdf,
            answer=latest_answer(invitation),
            answered=request.args.get("antwort", "") if status == 200 else "",
            errors=errors or {},
            values=values or {},
            refusal=refusal,
            name_max=NAME_MAX,
            text_max=TEXT_MAX,
        ),
        status,
    )


@bp.get("/z/<token>")
def party(token: str):
    invitation = invitation_or_404(token)
    if invitation.circulation.state == CirculationState.OPEN:
        mark_opened(invitation)
    return _party_page(invitation)


def _number(value: str | None) -> int | None:
    """A small number typed into a form or query (None if it is none)."""
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else None


def _posted_version() -> int | None:
    return _number(request.form.get("version"))


@bp.post("/z/<token>/zustimmen")
def consent(token: str):
    invitation = invitation_or_404(token)
    values = {
        "name": request.form.get("name", "").strip(),
        "function": request.form.get("function", "").strip(),
        "authorised": request.form.get("authorised") == "ja",
    }
    errors = consent_errors(values["name"], values["function"], values["authorised"], invitation)
    version = _posted_version()
    if version is None:
        errors["version"] = _("Die Version fehlt. Bitte laden Sie die Seite neu.")
    if errors:
        return _party_page(invitation, errors, values, status=400)
    try:
        agree(invitation, version, values["name"], values["function"])
    except CooperationRefused as refusal:
        return _party_page(invitation, values=values, refusal=str(refusal), status=409)
    return redirect(
        url_for("cooperation.party", token=token, antwort="zustimmung", _anchor="answer-note"),
        code=303,
    )


@bp.post("/z/<token>/aenderung")
def change(token: str):
    invitation = invitation_or_404(token)
    values = {"text": request.form.get("text", "").strip()}
    errors = change_errors(values["text"])
    version = _posted_version()
    if version is None:
        errors["version"] = _("Die Version fehlt. Bitte laden Sie die Seite neu.")
    if errors:
        return _party_page(invitation, errors, values, status=400)
    try:
        request_change(invitation, version, values["text"])
    except CooperationRefused as refusal:
        return _party_page(invitation, values=values, refusal=str(refusal), status=409)
    return redirect(
        url_for("cooperation.party", token=token, antwort="aenderung", _anchor="answer-note"),
        code=303,
    )


@bp.get("/z/<token>/dokumente/<fmt>")
def party_download(token: str, fmt: str):
    """The current version's documents (a draft; after completion: the final ones)."""
    circulation = invitation_or_404(token).circulation
    if circulation.state == CirculationState.COMPLETED:
        return _final_download(circulation, fmt)
    document = (
        db.session.query(Document)
        .filter_by(submission_id=circulation.current.submission_id, format=fmt)
        .first()
    )
    if document is None or fmt not in MEDIA_TYPES:
        abort(404)
    response = Response(document.content, mimetype=MEDIA_TYPES[fmt])
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    return response


@bp.get("/z/<token>/version")
def party_version(token: str):
    """Any version (`?nr=1`), as it was circulated (the old ones stay readable)."""
    invitation = invitation_or_404(token)
    circulation = invitation.circulation
    number = _number(request.args.get("nr"))
    version = circulation.version_numbered(number) if number is not None else None
    if version is None:
        abort(404)
    return render_template(
        "cooperation/version.html",
        invitation=invitation,
        circulation=circulation,
        version=version,
        document=document_html(circulation, number),
    )
