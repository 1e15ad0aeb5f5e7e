"""Workshops in the dashboard: create and edit them, add co-facilitators, show the
participant link and its QR code (also full-screen, for projecting).

Facilitators see the workshops they own or co-facilitate; admins see all. Any other
workshop is a 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from toolbox.core import time as local_clock
from toolbox.core.extensions import csrf, db
from toolbox.core.i18n import translated
from toolbox.documents.formatting import safe_filename_part
from toolbox.documents.qr import qr_png, qr_svg
from toolbox.instruments.registry import get_instrument
from toolbox.instruments.shared import CONCEPTS
from toolbox.submissions.models import Submission
from toolbox.submissions.views import STATE_LABELS
from toolbox.workshops.forms import CoFacilitatorForm, WorkshopForm, shared_data, shared_fields
from toolbox.workshops.kit_builds import is_outdated
from toolbox.workshops.models import Workshop
from toolbox.workshops.service import (
    WorkshopError,
    add_co_facilitator,
    participant_url,
    remove_co_facilitator,
    save_workshop,
    submission_counts,
    visible_workshops,
    workshop_for,
)

# The workshop area's templates (pages, the kit's index, the kit email) live in
# toolbox/workshops/templates; this blueprint puts them on the app's template path.
bp = Blueprint(
    "workshops", __name__, url_prefix="/dashboard/workshops", template_folder="templates"
)

RECENT_SUBMISSIONS = 50


def workshop_or_404(workshop_id: int) -> Workshop:
    workshop = workshop_for(current_user, workshop_id)
    if workshop is None:
        abort(404)
    return workshop


def to_utc(local: dt.datetime | None) -> dt.datetime | None:
    """A time typed in Germany → naive UTC, as stored."""
    if local is None:
        return None
    return local_clock.to_utc(local)


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return local_clock.to_local(value).replace(tzinfo=None)


@bp.app_template_global()
def workshop_choices() -> list[tuple[int, str]]:
    """(id, title) of the workshops the current account sees: the dashboard's filter."""
    if not current_user.is_authenticated:
        return []
    return [(w.id, f"{w.title} ({w.date:%d.%m.%Y})") for w in visible_workshops(current_user)]


@bp.get("")
@login_required
def index():
    workshops = visible_workshops(current_user)
    counts = {w.id: sum(submission_counts(w.id).values()) for w in workshops}
    return render_template(
        "workshops/index.html",
        workshops=workshops,
        counts=counts,
        outdated={w.id: is_outdated(w.kit) for w in workshops},
        state_labels=STATE_LABELS,
    )


def _save(form: WorkshopForm, workshop: Workshop) -> Workshop:
    return save_workshop(
        workshop,
        title=form.title.data,
        date=form.date.data,
        place=form.place.data or "",
        instruments=form.instruments.data,
        closes_at=to_utc(form.closes_at.data),
        shared=shared_data(form),
    )


# The workshop form checks its own CSRF token (not the global check), so an expired
# session shows the form again with everything typed kept instead of an error page.
@bp.route("/neu", methods=["GET", "POST"])
@csrf.exempt
@login_required
def create():
    form = WorkshopForm()
    if form.validate_on_submit():
        workshop = _save(form, Workshop(owner_id=current_user.id))
        flash(
            _("Der Workshop ist angelegt. Teilen Sie den Link oder zeigen Sie den QR-Code."),
            "success",
        )
        return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("workshops/edit.html", form=form, workshop=None), status


@bp.route("/<id:workshop_id>/bearbeiten", methods=["GET", "POST"])
@csrf.exempt
@login_required
def edit(workshop_id: int):
    workshop = workshop_or_404(workshop_id)
    form = WorkshopForm()
    if not form.is_submitted():
        form.title.data = workshop.title
        form.date.data = workshop.date
        form.place.data = workshop.place
        form.instruments.data = workshop.instruments
        form.closes_at.data = to_local(workshop.closes_at)
        for field in shared_fields(form):
            field.data = workshop.shared.get(field.name.removeprefix("shared_"), "")
    elif form.validate():
        _save(form, workshop)
        flash(_("Die Änderungen sind gespeichert."), "success")
        return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("workshops/edit.html", form=form, workshop=workshop), status


@bp.get("/<id:workshop_id>")
@login_required
def detail(workshop_id: int):
    workshop = workshop_or_404(workshop_id)
    submissions = db.session.scalars(
        select(Submission)
        .where(Submission.workshop_id == workshop.id)
        .options(joinedload(Submission.job), defer(Submission.payload_json))
        .order_by(Submission.created_at.desc(), Submission.id.desc())
        .limit(RECENT_SUBMISSIONS)
    ).all()
    counts = submission_counts(workshop.id)
    return render_template(
        "workshops/detail.html",
        workshop=workshop,
        kit=workshop.kit,
        outdated=is_outdated(workshop.kit),
        link=participant_url(workshop),
        other_host=_other_host(),
        instruments=[(get_instrument(s), counts.get(s, 0)) for s in workshop.instruments],
        total=sum(counts.values()),
        submissions=submissions,
        state_labels=STATE_LABELS,
        shared=[(CONCEPTS[k], v) for k, v in workshop.shared.items() if k in CONCEPTS],
        closes_local=to_local(workshop.closes_at),
        co_form=CoFacilitatorForm(),
    )


def _other_host() -> str | None:
    """The address this page is seen under, if it differs from TOOLBOX_BASE_URL (the
    participants' link would then point elsewhere than the facilitator expects)."""
    base = urlsplit(current_app.config["TOOLBOX_BASE_URL"])
    if request.host_url.rstrip("/") != f"{base.scheme}://{base.netloc}":
        return request.host_url.rstrip("/")
    return None


@bp.post("/<id:workshop_id>/moderation")
@login_required
def add_facilitator(workshop_id: int):
    workshop = workshop_or_404(workshop_id)
    form = CoFacilitatorForm()
    if not form.validate():
        flash(" ".join(map(str, form.email.errors)) or _("Bitte die Seite neu laden."), "error")
    else:
        try:
            user = add_co_facilitator(workshop, form.email.data)
        except WorkshopError as exc:
            flash(translated(str(exc)), "error")
        else:
            flash(_("%(email)s moderiert den Workshop jetzt mit.", email=user.email), "success")
    return redirect(
        url_for("workshops.detail", workshop_id=workshop.id, _anchor="moderation"), code=303
    )


@bp.post("/<id:workshop_id>/moderation/<id:user_id>/entfernen")
@login_required
def remove_facilitator(workshop_id: int, user_id: int):
    workshop = workshop_or_404(workshop_id)
    if remove_co_facilitator(workshop, user_id):
        flash(_("Die Person moderiert den Workshop nicht mehr mit."), "success")
        if user_id == current_user.id:
            return redirect(url_for("workshops.index"), code=303)
    return redirect(
        url_for("workshops.detail", workshop_id=workshop.id, _anchor="moderation"), code=303
    )


def _qr_filename(workshop: Workshop, ext: str) -> str:
    return f"QR-Code_{safe_filename_part(workshop.title) or 'Workshop'}.{ext}"


@bp.get("/<id:workshop_id>/qr.<ext>")
@login_required
def qr(workshop_id: int, ext: str):
    workshop = workshop_or_404(workshop_id)
    link = participant_url(workshop)
    if ext == "svg":
        response = Response(qr_svg(link, title=f"QR-Code: {link}"), mimetype="image/svg+xml")
    elif ext == "png":
        response = Response(qr_png(link), mimetype="image/png")
    else:
        abort(404)
    if request.args.get("download"):
        response.headers.set(
            "Content-Disposition", "attachment", filename=_qr_filename(workshop, ext)
        )
    return response


@bp.get("/<id:workshop_id>/projektion")
@login_required
def projection(workshop_id: int):
    """The QR code as large as the screen allows, for a projector."""
    workshop = workshop_or_404(workshop_id)
    return render_template(
        "workshops/projection.html", workshop=workshop, link=participant_url(workshop)
    )
