"""The submitter's private page and document downloads, reachable only by token."""

from __future__ import annotations

import math

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolbox.core.extensions import limiter
from toolbox.core.time import local_time
from toolbox.documents.render import MEDIA_TYPES
from toolbox.instruments.forms import AddressForm
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.jobs.recovery import MAX_ATTEMPTS
from toolbox.ops.sweeper import RUNNING_TIMEOUT, SWEEP_DELAY
from toolbox.submissions.delivery import request_email
from toolbox.submissions.mail_limits import ResendRefused, resend_rate_limit
from toolbox.submissions.models import Document, Job, Submission

bp = Blueprint("submissions", __name__)

STATE_LABELS = {
    "queued": _l("In Warteschlange"),
    "running": _l("Wird erstellt"),
    "done": _l("Fertig"),
    "failed": _l("Fehlgeschlagen"),
}


def submission_or_404(token: str) -> Submission:
    submission = Submission.query.filter_by(token=token).one_or_none()
    if submission is None:
        abort(404)
    return submission


@bp.get("/s/<token>")
def page(token: str):
    return _page(submission_or_404(token))


def _page(submission: Submission, address_form: AddressForm | None = None, refusal: str = ""):
    return render_template(
        "submission.html",
        submission=submission,
        job=submission.job,
        state_label=STATE_LABELS[submission.job.state],
        job_detail=job_detail(submission.job),
        email_label=email_label(submission),
        instruments=INSTRUMENTS.values(),
        address_form=address_form or AddressForm(formdata=None),
        address_refusal=refusal,
    )


@bp.post("/s/<token>/email")
@limiter.limit(resend_rate_limit)
def add_email(token: str):
    """An address for the documents, given after the fact (only if there was none)."""
    submission = submission_or_404(token)
    form = AddressForm()
    if submission.email:
        return redirect(url_for("submissions.page", token=token), code=303)
    if not form.validate():
        return _page(submission, form), 422
    try:
        request_email(submission, form.email.data)
    except ResendRefused as refusal:
        return _page(submission, form, str(refusal)), 429
    return redirect(url_for("submissions.page", token=token), code=303)


def job_detail(job: Job) -> str:
    """What the private page says under the state. After an interrupted attempt it says
    so, which attempt runs, and how long it may take at most until it is decided."""
    if job.state == "done":
        return _("Ihre Dokumente sind fertig.")
    if job.state == "failed":
        return _("Beim Erstellen ist ein Fehler aufgetreten: %(error)s", error=job.error or "")
    attempt = job.attempts if job.state == "running" else job.attempts + 1
    if attempt <= 1:
        if job.state == "running":
            return _("Ihre Dokumente werden gerade erstellt.")
        return _("Ihre Dokumente werden gleich erstellt.")
    # each attempt left may be cut off only by the time limit, then found by the sweeper
    per_attempt = (RUNNING_TIMEOUT + SWEEP_DELAY).total_seconds()
    minutes = math.ceil((MAX_ATTEMPTS - attempt + 1) * per_attempt / 60)
    return _(
        "Versuch %(attempt)s von %(max)s: Der vorige Versuch wurde unterbrochen, die "
        "Erstellung wird wiederholt. Spätestens in etwa %(minutes)s Minuten steht fest, ob "
        "es gelingt.",
        attempt=attempt,
        max=MAX_ATTEMPTS,
        minutes=minutes,
    )


def email_label(submission: Submission) -> str:
    state = submission.email_state
    if state == "pending":
        if submission.email_error:
            return _(
                "Noch nicht gesendet – wir versuchen es erneut (%(attempt)s. Versuch: %(error)s).",
                attempt=submission.email_attempts,
                error=submission.email_error,
            )
        return _("Die Dokumente werden per E-Mail geschickt, sobald sie fertig sind.")
    if state == "sent":
        when = local_time(submission.email_sent_at)
        if submission.email_transport == "outbox":
            return _(
                "Die Nachricht wurde am %(when)s Uhr im Postausgang abgelegt: Auf "
                "diesem Server ist kein Mailserver eingerichtet.",
                when=when,
            )
        return _("Die E-Mail wurde am %(when)s Uhr verschickt.", when=when)
    if state == "failed":
        return _(
            "Die E-Mail konnte nicht zugestellt werden: %(error)s", error=submission.email_error
        )
    return ""


@bp.get("/s/<token>/dokumente/<fmt>")
def download(token: str, fmt: str):
    submission = submission_or_404(token)
    document = Document.query.filter_by(submission_id=submission.id, format=fmt).first()
    if document is None or fmt not in MEDIA_TYPES:
        abort(404)
    response = Response(document.content, mimetype=MEDIA_TYPES[fmt])
    response.headers.set("Content-Disposition", "attachment", filename=document.filename)
    return response
