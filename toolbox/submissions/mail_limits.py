"""How often an email may be asked for again: per submission (counted in its own
events, so the count holds for every web process and goes with the submission) and per
client or account (Flask-Limiter, see toolbox.core.ratelimits).

A private link can be passed on, and every re-send goes to the stored address with the
documents attached: without a limit one link could send hundreds of messages to a
stranger's mailbox.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse
from sqlalchemy import func, select

from toolbox.core.db import utcnow
from toolbox.core.extensions import db, limiter
from toolbox.core.states import EmailState
from toolbox.submissions.models import Event

# Recorded on the event of each re-send request (toolbox.submissions.delivery.request_resend).
RESEND_DETAIL = "erneut angefordert"
# … and on the event of an address given after the fact (delivery.request_email), which
# counts against the same limits.
ADDED_DETAIL = "Adresse nachgetragen"
RESENDS_PER_HOUR = 3
RESENDS_TOTAL = 10


class ResendRefused(Exception):
    """Too many re-sends; `str()` is the German message for the person."""


def check_resend_allowed(submission_id: int) -> None:
    """Raise ResendRefused when the submission has had its share of re-sends."""
    requests = select(func.count(Event.id)).where(
        Event.submission_id == submission_id,
        Event.kind == "email",
        Event.state == EmailState.PENDING,
        Event.detail.in_((RESEND_DETAIL, ADDED_DETAIL)),
    )
    total = db.session.scalar(requests)
    if total >= RESENDS_TOTAL:
        raise ResendRefused(
            _(
                "Die E-Mail zu dieser Einreichung wurde schon %(count)s-mal erneut "
                "angefordert; weitere Sendungen sind nicht möglich. Die Dokumente können "
                "Sie weiterhin auf der Seite der Einreichung herunterladen.",
                count=total,
            )
        )
    recent = db.session.scalar(requests.where(Event.at >= utcnow() - timedelta(hours=1)))
    if recent >= RESENDS_PER_HOUR:
        raise ResendRefused(
            _(
                "Die E-Mail wurde in der letzten Stunde schon %(count)s-mal erneut "
                "angefordert. Bitte versuchen Sie es in einer Stunde noch einmal.",
                count=recent,
            )
        )


def resend_rate_limit() -> str:
    """Re-send requests per client address (the API) – across all submissions."""
    return current_app.config["TOOLBOX_RESEND_RATE_LIMIT"]


def check_account_mail_allowed() -> None:
    """Emails a signed-in account may trigger (kit link, re-sends from the dashboard),
    counted in the limiter's shared storage. Raises ResendRefused."""
    item = parse(current_app.config["TOOLBOX_ACCOUNT_MAIL_RATE_LIMIT"])
    if not limiter.limiter.hit(item, "account-mail", str(current_user.id)):
        raise ResendRefused(
            _(
                "Sie haben in kurzer Zeit schon viele E-Mails angefordert (höchstens "
                "%(limit)s). Bitte warten Sie etwas und versuchen Sie es dann erneut.",
                limit=item.amount,
            )
        )
