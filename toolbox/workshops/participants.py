"""The participant link of a workshop (`/w/<token>`): its instruments, each opening the
public form with the workshop's shared data filled in. Submissions made from there belong
to the workshop; after the closing time the link and its forms accept nothing new."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for

from toolbox.instruments.registry import get_instrument
from toolbox.workshops.models import Workshop
from toolbox.workshops.service import workshop_by_token

bp = Blueprint("participants", __name__)

# The form field (and query parameter) that carries the workshop through the form.
WORKSHOP_FIELD = "workshop"


@bp.get("/w/<token>")
def workshop(token: str):
    found = workshop_by_token(token)
    if found is None:
        abort(404)
    if found.is_closed():
        return closed_page(found)
    items = [
        (i, url_for("instruments.form", slug=i.slug, workshop=found.token))
        for i in (get_instrument(s) for s in found.instruments)
        if i is not None
    ]
    return render_template("workshops/participant.html", workshop=found, items=items)


def closed_page(workshop: Workshop):
    """Clear German refusal: the link is closed, nothing was (or will be) stored."""
    page = render_template(
        "workshops/closed.html", workshop=workshop, posted=request.method == "POST"
    )
    return page, 403
