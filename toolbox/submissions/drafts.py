"""Drafts: a half-filled form saved without validation, resumed from a private link."""

from __future__ import annotations

import json

from werkzeug.datastructures import MultiDict

from toolbox.core.extensions import db
from toolbox.submissions.models import Draft

# Form data that is about the request, not the content.
NOT_CONTENT = {"csrf_token", "action", "entwurf"}


def save_draft(slug: str, formdata: MultiDict, token: str | None = None) -> Draft:
    """Create a draft, or update the one `token` names (if it belongs to this instrument)."""
    pairs = [[k, v] for k, v in formdata.items(multi=True) if k not in NOT_CONTENT]
    draft = Draft.query.filter_by(token=token, instrument=slug).one_or_none() if token else None
    if draft is None:
        draft = Draft(instrument=slug)
        db.session.add(draft)
    draft.formdata_json = json.dumps(pairs, ensure_ascii=False)
    db.session.commit()
    return draft


def draft_formdata(draft: Draft) -> MultiDict:
    return MultiDict([tuple(pair) for pair in json.loads(draft.formdata_json)])


def discard_draft(token: str | None) -> None:
    if token:
        Draft.query.filter_by(token=token).delete()
        db.session.commit()
