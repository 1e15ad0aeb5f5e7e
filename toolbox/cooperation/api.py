"""JSON API v1 of cooperation: start a circulation, read its state and history, a
party's answer by its link's token (described in /api/v1/openapi.json)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from toolbox.cooperation.models import Circulation, Invitation
from toolbox.cooperation.service import (
    CooperationRefused,
    agree,
    change_errors,
    consent_errors,
    invitation_by_token,
    is_circulable,
    mark_opened,
    parties_for,
    request_change,
    start_circulation,
    version_of,
)
from toolbox.core.extensions import db, limiter
from toolbox.instruments.forms import AddressForm
from toolbox.submissions.mail_limits import resend_rate_limit
from toolbox.submissions.models import Submission

bp = Blueprint("cooperation_api", __name__, url_prefix="/api/v1")


def _time(value) -> str | None:
    return value.isoformat() + "Z" if value else None


def _party(invitation: Invitation, with_email: bool) -> dict:
    out = {
        "position": invitation.position,
        "party": invitation.party,
        "state": invitation.state,
        "version": invitation.version,
        "invited_at": _time(invitation.invited_at),
    }
    for name in ("opened_at", "answered_at", "reminded_at"):
        if getattr(invitation, name):
            out[name] = _time(getattr(invitation, name))
    if with_email:
        out["email"] = invitation.email
    return out


def circulation_state(circulation: Circulation, you: Invitation | None = None) -> dict:
    """The state; for a party (`you`) without the other parties' addresses."""
    out = {
        "state": circulation.state,
        "version": circulation.version,
        "versions": [
            {"number": v.number, "created_at": _time(v.created_at), "changes": v.changes}
            for v in circulation.versions
        ],
        "parties": [_party(i, with_email=you is None) for i in circulation.invitations],
        "history": [
            {"kind": e.kind, "version": e.version, "party": e.party, "at": _time(e.at)}
            for e in circulation.events
        ],
        "documents": [
            {"format": d.format, "filename": d.filename, "size": d.size, "sha256": d.sha256}
            for d in circulation.documents
        ],
    }
    if you is not None:
        out["you"] = _party(you, with_email=False)
    return out


def _submission_or_404(token: str) -> Submission:
    submission = db.session.scalars(select(Submission).where(Submission.token == token)).first()
    if submission is None:
        abort(404)
    return submission


def _body() -> dict | None:
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
    return body if isinstance(body, dict) else None


def _bad(errors: dict):
    return jsonify({"errors": errors}), 400


@bp.get("/submissions/<token>/circulation")
def circulation(token: str):
    version = version_of(_submission_or_404(token))
    if version is None:
        abort(404)
    return jsonify(circulation_state(version.circulation))


@bp.post("/submissions/<token>/circulation")
@limiter.limit(resend_rate_limit)
def start(token: str):
    submission = _submission_or_404(token)
    body = _body()
    if body is None:
        return _bad({"_body": [_("Bitte ein JSON-Objekt senden.")]})
    unknown = set(body) - {"emails"}
    if unknown:
        return _bad({key: [_("Unbekanntes Feld.")] for key in sorted(unknown)})
    if not is_circulable(submission):
        return jsonify(
            {"error": _("Diese Einreichung hat keine Unterschriften der Parteien.")}
        ), 409
    emails = body.get("emails")
    parties = parties_for(submission)
    if not isinstance(emails, list) or len(emails) != len(parties):
        return _bad(
            {
                "emails": [
                    _("Bitte für jede Partei eine E-Mail-Adresse angeben (%(n)s).", n=len(parties))
                ]
            }
        )
    errors, cleaned = {}, []
    for index, value in enumerate(emails):
        form = AddressForm(
            formdata=MultiDict({"email": value if isinstance(value, str) else ""}),
            meta={"csrf": False},
        )
        if not form.validate():
            errors[f"emails-{index}"] = [str(e) for e in form.email.errors]
        cleaned.append(form.email.data)
    if errors:
        return _bad(errors)
    try:
        circulation_ = start_circulation(submission, cleaned)
    except CooperationRefused as refusal:
        return jsonify({"error": str(refusal)}), 409
    return jsonify(circulation_state(circulation_)), 202


def _invitation_or_404(token: str) -> Invitation:
    invitation = invitation_by_token(token)
    if invitation is None:
        abort(404)
    return invitation


@bp.get("/invitations/<token>")
def invitation(token: str):
    invitation_ = _invitation_or_404(token)
    if invitation_.circulation.state == "open":
        mark_opened(invitation_)
    return jsonify(circulation_state(invitation_.circulation, you=invitation_))


@bp.post("/invitations/<token>/answer")
def answer(token: str):
    invitation_ = _invitation_or_404(token)
    body = _body()
    if body is None:
        return _bad({"_body": [_("Bitte ein JSON-Objekt senden.")]})
    allowed = {"answer", "version", "name", "function", "authorised", "text"}
    unknown = set(body) - allowed
    if unknown:
        return _bad({key: [_("Unbekanntes Feld.")] for key in sorted(unknown)})
    kind, version = body.get("answer"), body.get("version")
    errors = {}
    if kind not in ("agree", "change"):
        errors["answer"] = [_("Bitte „agree“ (zustimmen) oder „change“ (Änderung) angeben.")]
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version < 10**5:
        errors["version"] = [_("Bitte die Version als Zahl angeben.")]

    def text(name: str) -> str:
        value = body.get(name)
        return value.strip() if isinstance(value, str) else ""

    if kind == "agree":
        authorised = body.get("authorised") is True
        found = consent_errors(text("name"), text("function"), authorised, invitation_)
    elif kind == "change":
        found = change_errors(text("text"))
    else:
        found = {}
    errors |= {name: [message] for name, message in found.items()}
    if errors:
        return _bad(errors)
    try:
        if kind == "agree":
            agree(invitation_, version, text("name"), text("function"))
        else:
            request_change(invitation_, version, text("text"))
    except CooperationRefused as refusal:
        return jsonify({"error": str(refusal)}), 409
    db.session.expire_all()
    return jsonify(circulation_state(invitation_.circulation, you=invitation_)), 200
