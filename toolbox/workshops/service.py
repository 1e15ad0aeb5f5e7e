"""Workshops: who may see them, their participant link, and what it prefills.

A workshop belongs to its owner and its co-facilitators; admins see all. Everyone else
gets a 404, as if it did not exist. Submissions made through the participant link carry
the workshop, so its facilitators see them on the dashboard and in the kit.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import ColumnElement, false, func, or_, select, true
from werkzeug.datastructures import MultiDict

from toolbox.accounts.models import User
from toolbox.accounts.service import find_user
from toolbox.core.extensions import db
from toolbox.core.urls import external_url
from toolbox.instruments.base import Instrument
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.instruments.shared import CONCEPTS, prefill
from toolbox.submissions.models import Submission
from toolbox.workshops.models import Workshop, workshop_facilitator


class WorkshopError(ValueError):
    """A German message for the facilitator who asked for something impossible."""


def workshop_visible_to(user) -> ColumnElement[bool]:
    """SQL condition: the workshops an account may see and manage."""
    if user.is_admin:
        return true()
    if not getattr(user, "id", None):
        return false()
    co = select(workshop_facilitator.c.workshop_id).where(workshop_facilitator.c.user_id == user.id)
    return or_(Workshop.owner_id == user.id, Workshop.id.in_(co))


def visible_workshops(user) -> list[Workshop]:
    return db.session.scalars(
        select(Workshop)
        .where(workshop_visible_to(user))
        .order_by(Workshop.date.desc(), Workshop.id.desc())
    ).all()


def workshop_for(user, workshop_id: int) -> Workshop | None:
    return db.session.scalar(
        select(Workshop).where(Workshop.id == workshop_id, workshop_visible_to(user))
    )


def save_workshop(
    workshop: Workshop,
    *,
    title: str,
    date: dt.date,
    place: str,
    instruments: list[str],
    closes_at: dt.datetime | None,
    shared: dict[str, str],
) -> Workshop:
    """Store the workshop's settings (new or edited). Unknown slugs and concepts are
    dropped; the order of instruments follows the practice guide."""
    workshop.title = title.strip()
    workshop.date = date
    workshop.place = place.strip()
    workshop.instruments_json = json.dumps([s for s in INSTRUMENTS if s in instruments])
    workshop.closes_at = closes_at
    clean = {k: v.strip() for k, v in shared.items() if k in CONCEPTS and v and v.strip()}
    workshop.shared_json = json.dumps(clean, ensure_ascii=False)
    db.session.add(workshop)
    db.session.commit()
    return workshop


def add_co_facilitator(workshop: Workshop, email: str) -> User:
    user = find_user(email)
    if user is None or not user.active:
        raise WorkshopError(
            "Es gibt kein aktives Konto mit dieser E-Mail-Adresse. Konten legt die "
            "Administration an."
        )
    if user.id == workshop.owner_id or user in workshop.co_facilitators:
        raise WorkshopError(f"{user.email} moderiert diesen Workshop bereits.")
    workshop.co_facilitators.append(user)
    db.session.commit()
    return user


def remove_co_facilitator(workshop: Workshop, user_id: int) -> bool:
    for user in workshop.co_facilitators:
        if user.id == user_id:
            workshop.co_facilitators.remove(user)
            db.session.commit()
            return True
    return False


def participant_url(workshop: Workshop) -> str:
    """The link for participants, on TOOLBOX_BASE_URL: the same on screen, in the QR code
    and on the kit's cover sheet, whether a request, a worker or the CLI builds it."""
    return external_url(workshop.participant_path)


def workshop_by_token(token: str | None) -> Workshop | None:
    if not token or len(token) > 64:
        return None
    return Workshop.query.filter_by(token=token).one_or_none()


def offers(workshop: Workshop, slug: str) -> bool:
    return slug in workshop.instruments


def workshop_prefill(instrument: Instrument, workshop: Workshop) -> MultiDict | None:
    """Form data with the workshop's shared values (None: nothing to carry over)."""
    return prefill(instrument, workshop.shared) or None


def submission_counts(workshop_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Submission.instrument, func.count())
        .where(Submission.workshop_id == workshop_id)
        .group_by(Submission.instrument)
    ).all()
    return dict(rows)
