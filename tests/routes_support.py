"""Every route the app registers, with real values for its arguments: what the tests that
walk `app.url_map` share (tests/test_private_pages.py, tests/test_no_500.py).

`make_world(app)` creates one of everything a route can name (accounts, a submission, a
draft, a workshop with its link, a directory entry) and logged-in clients."""

from __future__ import annotations

from dataclasses import dataclass

from helpers import create_workshop, load_data, logged_in, token_of
from werkzeug.datastructures import MultiDict

from toolbox.accounts.models import User
from toolbox.contacts.models import Contact
from toolbox.core.extensions import db
from toolbox.submissions.drafts import save_draft
from toolbox.submissions.models import Submission

SLUG = "erstgespraech"


@dataclass
class World:
    admin: object
    facilitator: object
    submission_token: str
    submission_id: int
    draft_token: str
    workshop_token: str
    workshop_id: int
    contact_id: int
    user_id: int


def make_world(app) -> World:
    admin = logged_in(app, "admin@example.org", admin=True)
    facilitator = logged_in(app, "moderation@example.org")
    workshop_id = create_workshop(facilitator)
    response = app.test_client().post(
        "/api/v1/submissions", json={"instrument": SLUG, "data": load_data(SLUG)}
    )
    assert response.status_code == 202, response.get_json()
    token = response.get_json()["token"]
    with app.app_context():
        draft = save_draft(SLUG, MultiDict({"name": "Entwurf"}))
        contact = Contact(organisation="Kontaktstelle", typ="kontaktstelle")
        db.session.add(contact)
        db.session.commit()
        return World(
            admin=admin,
            facilitator=facilitator,
            submission_token=token,
            submission_id=Submission.query.filter_by(token=token).one().id,
            draft_token=draft.token,
            workshop_token=token_of(app, workshop_id),
            workshop_id=workshop_id,
            contact_id=contact.id,
            user_id=User.query.filter_by(email="moderation@example.org").one().id,
        )


def real_values(rule, world: World) -> dict:
    """Values that name something that exists, for every argument of the rule."""
    path = rule.rule
    token = (
        world.draft_token
        if path.startswith("/entwurf/")
        else world.workshop_token
        if path.startswith("/w/")
        else world.submission_token
    )
    values = {
        "token": token,
        "submission_id": world.submission_id,
        "workshop_id": world.workshop_id,
        "contact_id": world.contact_id,
        "user_id": world.user_id,
        "slug": SLUG,
        "fmt": "pdf",
        "ext": "svg",
        "filename": "style.css",
    }
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{path}: no value for {missing} in tests/routes_support.py"
    return {name: values[name] for name in rule.arguments}


def routes(app):
    """(rule, methods) for every rule, HEAD and OPTIONS left out."""
    return [(rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in app.url_map.iter_rules()]
