"""A workshop's kit in the dashboard: build (or rebuild) it, watch its progress (polled
by static/kit.js), download it, or send oneself a link to it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from toolbox.accounts.views import not_activity
from toolbox.core.formats import size_text
from toolbox.core.mail import MailError
from toolbox.core.states import JobState
from toolbox.core.time import local_time
from toolbox.core.urls import external_url
from toolbox.documents.formatting import german_date
from toolbox.submissions.mail_limits import ResendRefused, check_account_mail_allowed
from toolbox.submissions.views import STATE_LABELS
from toolbox.workshops.kit_builds import is_outdated, request_kit
from toolbox.workshops.kit_content import kit_filename
from toolbox.workshops.kit_mail import build_kit_message, send_kit_message
from toolbox.workshops.models import Kit, Workshop
from toolbox.workshops.views import workshop_or_404

bp = Blueprint("kits", __name__, url_prefix="/dashboard/workshops/<id:workshop_id>/kit")


@bp.app_template_filter("kit_size")
def kit_size(size: int | None) -> str:
    return size_text(size)


def kit_status(workshop: Workshop, kit: Kit | None) -> dict:
    """The kit's state as plain values: the page renders these, the JSON sends them."""
    if kit is None:
        return {"state": "none", "state_label": _("Noch nicht erstellt"), "progress": 0, "step": ""}
    ready = kit.ready
    return {
        "state": kit.state,
        "state_label": str(STATE_LABELS[kit.state]),
        "progress": kit.progress,
        "step": kit.step,
        "error": kit.error if kit.state == JobState.FAILED else None,
        "ready": ready,
        "download_url": url_for("kits.download", workshop_id=workshop.id) if ready else None,
        "size": size_text(kit.size),
        "built_at": local_time(kit.built_at, "%d.%m.%Y, %H:%M Uhr") if ready else "",
        "outdated": is_outdated(kit),
    }


def _back(workshop: Workshop):
    return redirect(url_for("workshops.detail", workshop_id=workshop.id, _anchor="kit"), code=303)


@bp.post("")
@login_required
def build(workshop_id: int):
    workshop = workshop_or_404(workshop_id)
    if request_kit(workshop):
        flash(_("Das Kit wird erstellt. Der Fortschritt steht unten."), "success")
    else:
        flash(_("Das Kit wird bereits erstellt."), "info")
    return _back(workshop)


@bp.get("/status.json")
def status(workshop_id: int):
    not_activity()
    if not current_user.is_authenticated:
        return jsonify({"error": _("Bitte melden Sie sich an.")}), 401
    workshop = workshop_or_404(workshop_id)
    return jsonify(kit_status(workshop, workshop.kit))


@bp.get("/download")
@login_required
def download(workshop_id: int):
    workshop = workshop_or_404(workshop_id)
    kit = workshop.kit
    if kit is None or not kit.ready:
        abort(404)
    response = Response(kit.content, mimetype="application/zip")
    response.headers.set(
        "Content-Disposition", "attachment", filename=kit_filename(workshop.title, workshop.date)
    )
    return response


def _external(endpoint: str, **values) -> str:
    """Links in emails use TOOLBOX_BASE_URL, like every other message."""
    return external_url(url_for(endpoint, **values))


@bp.post("/email")
@login_required
def email(workshop_id: int):
    workshop = workshop_or_404(workshop_id)
    kit = workshop.kit
    if kit is None or not kit.ready:
        flash(_("Es gibt noch kein fertiges Kit. Bitte erst „Kit erstellen“."), "error")
        return _back(workshop)
    try:
        check_account_mail_allowed()
    except ResendRefused as refusal:
        flash(str(refusal), "error")
        return _back(workshop)
    msg = build_kit_message(
        current_user.email,
        {
            "title": workshop.title,
            "date": german_date(workshop.date),
            "download_url": _external("kits.download", workshop_id=workshop.id),
            "workshop_url": _external("workshops.detail", workshop_id=workshop.id),
            "size": size_text(kit.size),
            "built_at": local_time(kit.built_at, "%d.%m.%Y, %H:%M Uhr"),
        },
    )
    try:
        transport = send_kit_message(msg)
    except MailError as exc:
        flash(
            _(
                "Die E-Mail an %(email)s konnte nicht gesendet werden: %(error)s",
                email=current_user.email,
                error=exc,
            ),
            "error",
        )
        return _back(workshop)
    if transport == "outbox":
        flash(
            _(
                "Die Nachricht an %(email)s wurde im Postausgang abgelegt: Auf diesem "
                "Server ist kein Mailserver eingerichtet.",
                email=current_user.email,
            ),
            "info",
        )
    else:
        flash(
            _("Der Link zum Kit wurde an %(email)s gesendet.", email=current_user.email), "success"
        )
    return _back(workshop)
