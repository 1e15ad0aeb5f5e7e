"""What facilitators can do to a submission: retry its job, send its email again, delete it.

All are POSTs with a CSRF token (checked globally). Deleting asks for confirmation on a
page of its own, so it works without JavaScript.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from toolbox.dashboard.views import submission_or_404
from toolbox.submissions.delivery import request_resend
from toolbox.submissions.mail_limits import ResendRefused, check_account_mail_allowed
from toolbox.submissions.service import delete_submission, retry_job

bp = Blueprint("dashboard_actions", __name__, url_prefix="/dashboard/einreichungen")


def _back(submission_id: int):
    return redirect(url_for("dashboard.detail", submission_id=submission_id), code=303)


@bp.post("/<id:submission_id>/wiederholen")
@login_required
def retry(submission_id: int):
    submission = submission_or_404(submission_id)
    if retry_job(submission.job.id):
        flash(_("Die Dokumente werden noch einmal erstellt."), "success")
    else:
        flash(_("Nur fehlgeschlagene Aufträge können wiederholt werden."), "error")
    return _back(submission_id)


@bp.post("/<id:submission_id>/email")
@login_required
def resend(submission_id: int):
    submission = submission_or_404(submission_id)
    try:
        check_account_mail_allowed()
        accepted = request_resend(submission)
    except ResendRefused as refusal:
        flash(str(refusal), "error")
        return _back(submission_id)
    if accepted:
        flash(_("Die E-Mail wird noch einmal gesendet."), "success")
    else:
        flash(_("Für diese Einreichung kann gerade keine E-Mail gesendet werden."), "error")
    return _back(submission_id)


@bp.route("/<id:submission_id>/loeschen", methods=["GET", "POST"])
@login_required
def delete(submission_id: int):
    submission = submission_or_404(submission_id)
    if request.method == "GET":
        return render_template("dashboard/delete.html", submission=submission)
    if request.form.get("confirm") != "ja":
        return render_template(
            "dashboard/delete.html",
            submission=submission,
            error=_("Bitte bestätigen Sie, dass die Einreichung endgültig gelöscht werden soll."),
        ), 400
    delete_submission(submission, deleted_by=current_user.id)
    flash(
        _("Die Einreichung Nr. %(id)s wurde mit allen Dokumenten gelöscht.", id=submission_id),
        "success",
    )
    return redirect(url_for("dashboard.index"), code=303)
