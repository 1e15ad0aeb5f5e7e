"""The dashboard's filters, read from GET parameters, as SQL conditions.

Dates are calendar days in Germany (Europe/Berlin); timestamps are stored in naive UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select, true
from werkzeug.datastructures import MultiDict

from toolbox.core.states import EmailState, JobState
from toolbox.core.time import to_utc
from toolbox.core.urls import parse_id
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.submissions.models import Job, Submission
from toolbox.workshops.models import Workshop
from toolbox.workshops.service import workshop_visible_to

JOB_STATES = (JobState.QUEUED, JobState.RUNNING, JobState.DONE, JobState.FAILED)
EMAIL_STATES = (EmailState.NONE, EmailState.PENDING, EmailState.SENT, EmailState.FAILED)
MAX_QUERY_CHARS = 200


def visible_to(user) -> ColumnElement[bool]:
    """Which submissions an account may see. Admins see all; facilitators see those made
    through the workshops they own or co-facilitate."""
    if user.is_admin:
        return true()
    return Submission.workshop_id.in_(select(Workshop.id).where(workshop_visible_to(user)))


def day_start_utc(day: dt.date) -> dt.datetime:
    return to_utc(dt.datetime.combine(day, dt.time()))


def _date(value: str) -> dt.date | None:
    """ISO (what date inputs send) or German "22.11.2026" (typed where there is no picker)."""
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d.%m.%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    return None


@dataclass
class Filters:
    instrument: str = ""
    state: str = ""
    email: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""
    workshop: int | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: MultiDict) -> Filters:
        f = cls()
        f.instrument = args.get("instrument", "") if args.get("instrument") in INSTRUMENTS else ""
        f.state = args.get("state", "") if args.get("state") in JOB_STATES else ""
        f.email = args.get("email", "") if args.get("email") in EMAIL_STATES else ""
        f.q = args.get("q", "").strip()[:MAX_QUERY_CHARS]
        f.workshop = parse_id(args.get("workshop"))
        for name, label in (("from", _("Von")), ("to", _("Bis"))):
            raw = args.get(name, "").strip()
            value = _date(raw) if raw else None
            if raw and value is None:
                f.problems.append(
                    _("„%(label)s“ ist kein gültiges Datum (TT.MM.JJJJ).", label=label)
                )
            setattr(f, f"date_{name}", value)
        return f

    def conditions(self, *, with_state: bool = True) -> list[ColumnElement[bool]]:
        """SQL conditions; the caller joins Job. Without the state for the counters."""
        out = []
        if self.instrument:
            out.append(Submission.instrument == self.instrument)
        if self.workshop:
            out.append(Submission.workshop_id == self.workshop)
        if self.state and with_state:
            out.append(Job.state == self.state)
        if self.email:
            out.append(Submission.email_state == self.email)
        if self.date_from:
            out.append(Submission.created_at >= day_start_utc(self.date_from))
        if self.date_to:
            out.append(Submission.created_at < day_start_utc(self.date_to + dt.timedelta(days=1)))
        if self.q:
            # Titles live in the instrument declarations, not in the database.
            needle = self.q.casefold()
            slugs = [s for s, i in INSTRUMENTS.items() if needle in i.title.casefold()]
            out.append(
                or_(
                    Submission.short_name.icontains(self.q, autoescape=True),
                    Submission.instrument.in_(slugs),
                )
            )
        return out

    def args(self, **override) -> dict:
        """The filters as GET parameters (for links that keep them)."""
        out = {
            "instrument": self.instrument,
            "state": self.state,
            "email": self.email,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.q,
            "workshop": self.workshop,
        }
        out.update(override)
        return {k: v for k, v in out.items() if v not in ("", None)}

    @property
    def active(self) -> bool:
        return bool(self.args())
