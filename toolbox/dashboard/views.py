"""The facilitators' dashboard: what was submitted, what is being made, what failed.

Everything shown is read from the database rows (never from Celery). The list and its
JSON twin (`status.json`, polled by static/dashboard.js) share the filters and the scope.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, defer, joinedload, selectinload

from toolbox.accounts.views import not_activity
from toolbox.core.extensions import db
from toolbox.core.time import html_datetime, local_time
from toolbox.core.urls import bounded_int, parse_id
from toolbox.dashboard.display import data_rows, timeline
from toolbox.dashboard.filters import (
    EMAIL_STATES,
    JOB_STATES,
    Filters,
    visible_to,
)
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.submissions.models import Document, Job, Submission
from toolbox.submissions.views import STATE_LABELS

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

PER_PAGE = 25
# Far beyond any listing; keeps the SQL offset a number the database takes.
MAX_PAGE = 10**9
MAX_POLLED_IDS = 100
EMAIL_LABELS = {
    "none": _l("keine"),
    "pending": _l("ausstehend"),
    "sent": _l("gesendet"),
    "failed": _l("fehlgeschlagen"),
}
# Documents without their bytes: the list never needs the content.
_DOCUMENT_COLUMNS = (
    Document.id,
    Document.submission_id,
    Document.format,
    Document.filename,
    Document.size,
)


@bp.app_template_filter("seconds")
def seconds(value: float | None) -> str:
    """0.42 → "0,4 s"; 75 → "1 min 15 s"; unknown → "–"."""
    if value is None:
        return "–"
    value = max(value, 0.0)
    if value < 60:
        return f"{value:.1f} s".replace(".", ",")
    minutes, rest = divmod(round(value), 60)
    return f"{minutes} min {rest} s"


@bp.app_template_filter("html_datetime")
def html_datetime_filter(value: dt.datetime) -> str:
    return html_datetime(value)


@bp.app_template_filter("local_time")
def local_time_filter(value: dt.datetime | None, fmt: str = "%d.%m.%Y, %H:%M") -> str:
    return local_time(value, fmt)


def submission_or_404(submission_id: int, *, with_details: bool = False) -> Submission:
    """The submission if the current account may see it; otherwise 404, never 403."""
    options = [
        joinedload(Submission.job),
        selectinload(Submission.documents).load_only(*_DOCUMENT_COLUMNS),
    ]
    if with_details:
        options.append(selectinload(Submission.events))
    submission = db.session.scalar(
        select(Submission)
        .where(Submission.id == submission_id, visible_to(current_user))
        .options(*options)
    )
    if submission is None:
        abort(404)
    return submission


def _listing(filters: Filters):
    return (
        select(Submission)
        .join(Submission.job)
        .where(visible_to(current_user), *filters.conditions())
        .options(
            contains_eager(Submission.job),
            defer(Submission.payload_json),
            selectinload(Submission.documents).load_only(*_DOCUMENT_COLUMNS),
        )
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    )


def _counts(filters: Filters) -> dict[str, int]:
    """Submissions per job state, for every filter except the state itself."""
    rows = db.session.execute(
        select(Job.state, func.count())
        .select_from(Submission)
        .join(Submission.job)
        .where(visible_to(current_user), *filters.conditions(with_state=False))
        .group_by(Job.state)
    ).all()
    counts = dict.fromkeys(JOB_STATES, 0)
    counts.update({state: n for state, n in rows})
    return counts


def _newest_id(filters: Filters) -> int:
    return (
        db.session.scalar(
            select(func.max(Submission.id))
            .join(Submission.job)
            .where(visible_to(current_user), *filters.conditions())
        )
        or 0
    )


def row_status(submission: Submission) -> dict:
    """One table row's changing cells, as plain values (the JSON endpoint sends these)."""
    job = submission.job
    return {
        "id": submission.id,
        "state": job.state,
        "state_label": STATE_LABELS[job.state],
        "queue_wait": seconds(job.queue_wait),
        "render_time": seconds(job.render_time),
        "email_state": submission.email_state,
        "email_label": EMAIL_LABELS.get(submission.email_state, submission.email_state),
        "documents": [
            {
                "format": d.format,
                "url": url_for("submissions.download", token=submission.token, fmt=d.format),
            }
            for d in submission.documents
        ],
    }


@bp.get("")
@login_required
def index():
    filters = Filters.from_args(request.args)
    page = db.paginate(
        _listing(filters),
        page=bounded_int(request.args.get("page"), 1, MAX_PAGE),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "dashboard/index.html",
        page=page,
        rows=[(s, row_status(s)) for s in page.items],
        filters=filters,
        counts=_counts(filters),
        newest_id=_newest_id(filters),
        instruments=INSTRUMENTS.values(),
        state_labels=STATE_LABELS,
        email_labels=EMAIL_LABELS,
        job_states=JOB_STATES,
        email_states=EMAIL_STATES,
    )


@bp.get("/status.json")
def status():
    """Live state of the listed rows plus the counters (polled every 2 s)."""
    not_activity()
    if not current_user.is_authenticated:
        return jsonify({"error": "Bitte melden Sie sich an."}), 401
    filters = Filters.from_args(request.args)
    raw_ids = request.args.get("ids", "").split(",", MAX_POLLED_IDS)[:MAX_POLLED_IDS]
    ids = [i for i in map(parse_id, raw_ids) if i is not None]
    submissions = db.session.scalars(
        select(Submission)
        .where(Submission.id.in_(ids), visible_to(current_user))
        .options(
            joinedload(Submission.job),
            defer(Submission.payload_json),
            selectinload(Submission.documents).load_only(*_DOCUMENT_COLUMNS),
        )
    ).all()
    return jsonify(
        {
            "counts": _counts(filters),
            "newest_id": _newest_id(filters),
            "rows": [row_status(s) for s in submissions],
        }
    )


@bp.get("/einreichungen/<id:submission_id>")
@login_required
def detail(submission_id: int):
    submission = submission_or_404(submission_id, with_details=True)
    instrument = get_instrument(submission.instrument)
    return render_template(
        "dashboard/detail.html",
        submission=submission,
        job=submission.job,
        instrument=instrument,
        status=row_status(submission),
        timeline=timeline(submission.events),
        data=data_rows(instrument, submission.payload),
    )
