"""JSON API v1 (see docs/API.md and /api/v1/openapi.json)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from toolbox.instruments import INSTRUMENTS, get_instrument
from toolbox.instruments.forms import validate_data
from toolbox.models import Submission
from toolbox.submissions import create_submission
from toolbox.web.openapi import openapi_document
from toolbox.web.submissions import submission_or_404

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/instruments")
def instruments():
    return jsonify([i.describe() for i in INSTRUMENTS.values()])


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.post("/submissions")
def submit():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad({"_body": ["Bitte ein JSON-Objekt senden."]})
    unknown = set(body) - {"instrument", "data"}
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

    payload, errors = validate_data(instrument, data)
    if errors:
        return _bad(errors)
    submission = create_submission(instrument, payload)
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
        "email": {"state": submission.email_state},
    }
    if job.error:
        out["error"] = job.error
    return out


def _bad(errors: dict):
    return jsonify({"errors": errors}), 400
