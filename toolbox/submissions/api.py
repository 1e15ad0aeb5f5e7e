"""JSON API v1 (see docs/API.md and /api/v1/openapi.json)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from toolbox.core.extensions import limiter
from toolbox.instruments.forms import AddressForm, flat_errors, to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.submissions.delivery import request_email, request_resend
from toolbox.submissions.form_views import submit_limit
from toolbox.submissions.mail_limits import ResendRefused, resend_rate_limit
from toolbox.submissions.models import Submission
from toolbox.submissions.openapi import openapi_document
from toolbox.submissions.service import create_submission
from toolbox.submissions.views import job_detail, submission_or_404

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/instruments")
def instruments():
    return jsonify([i.describe() for i in INSTRUMENTS.values()])


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.post("/submissions")
@limiter.limit(submit_limit)
def submit():
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nesting thousands deep: no form looks like that
        body = None
    if not isinstance(body, dict):
        return _bad({"_body": ["Bitte ein JSON-Objekt senden."]})
    unknown = set(body) - {"instrument", "data", "email"}
    if unknown:
        return _bad({key: ["Unbekanntes Feld."] for key in sorted(unknown)})
    instrument = (
        get_instrument(body.get("instrument")) if isinstance(body.get("instrument"), str) else None
    )
    if instrument is None:
        return jsonify({"error": "Unbekanntes Instrument."}), 404
    data = body.get("data")
    if not isinstance(data, dict):
        return _bad({"data": ["Bitte die Felder als JSON-Objekt angeben."]})

    form, errors = validated_form(instrument, data, email=body.get("email"))
    if form is None:
        return _bad(errors)
    submission = create_submission(instrument, to_payload(form), email=form.email.data or None)
    return jsonify(
        {
            "token": submission.token,
            "status_url": url_for("api.status", token=submission.token, _external=True),
            "page_url": url_for("submissions.page", token=submission.token, _external=True),
        }
    ), 202


@bp.get("/submissions/<token>")
def status(token: str):
    return jsonify(submission_status(submission_or_404(token)))


def submission_status(submission: Submission) -> dict:
    job = submission.job
    out = {
        "state": job.state,
        "attempts": job.attempts,
        "detail": job_detail(job),
        "instrument": submission.instrument,
        "created_at": submission.created_at.isoformat() + "Z",
        "documents": [
            {
                "format": d.format,
                "filename": d.filename,
                "size": d.size,
                "url": url_for(
                    "submissions.download", token=submission.token, fmt=d.format, _external=True
                ),
            }
            for d in submission.documents
        ],
        "email": email_status(submission),
    }
    if job.error:
        out["error"] = job.error
    return out


def email_status(submission: Submission) -> dict:
    out = {"state": submission.email_state}
    if submission.email_state != "none":
        out["attempts"] = submission.email_attempts
        if submission.email_transport:
            out["transport"] = submission.email_transport
        if submission.email_error:
            out["error"] = submission.email_error
        if submission.email_sent_at:
            out["sent_at"] = submission.email_sent_at.isoformat() + "Z"
    return out


@bp.post("/submissions/<token>/email")
@limiter.limit(resend_rate_limit)
def resend_email(token: str):
    """Send the documents email again (after a failure, or once more); with a body
    ``{"email": …}``, to an address given after the fact (only if there was none)."""
    submission = submission_or_404(token)
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        return _bad({"_body": ["Bitte ein JSON-Objekt senden."]})
    unknown = set(body) - {"email"}
    if unknown:
        return _bad({key: ["Unbekanntes Feld."] for key in sorted(unknown)})
    address = body.get("email")
    if address is not None:
        if not isinstance(address, str):
            return _bad({"email": [_("Bitte eine E-Mail-Adresse als Text angeben.")]})
        if submission.email:
            return jsonify(
                {"error": _("Für diese Einreichung ist schon eine E-Mail-Adresse angegeben.")}
            ), 409
        form = AddressForm(formdata=MultiDict({"email": address}), meta={"csrf": False})
        if not form.validate():
            return _bad(flat_errors(form))
    try:
        if address is None:
            accepted = request_resend(submission)
        else:
            accepted = request_email(submission, form.email.data)
    except ResendRefused as refusal:
        return jsonify({"error": str(refusal)}), 429
    if not accepted:
        message = _("Für diese Einreichung kann keine E-Mail gesendet werden.")
        return jsonify({"error": message}), 409
    return jsonify(submission_status(submission)), 202


def _bad(errors: dict):
    return jsonify({"errors": errors}), 400
