"""Kits whose message was lost or whose worker died are recovered by the sweeper, like
document jobs (the same rules, tests/test_sweeper.py), and only there: looking at a
workshop or polling its kit's progress changes nothing."""

from __future__ import annotations

from datetime import timedelta

from helpers import create_workshop, logged_in

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.jobs.recovery import MAX_ATTEMPTS, QUEUED_GRACE
from toolbox.ops.sweeper import sweep
from toolbox.workshops.kit_builds import RUNNING_TIMEOUT
from toolbox.workshops.models import Kit


def stuck_kit(app, client, **values) -> tuple[int, int]:
    workshop_id = create_workshop(client)
    with app.app_context():
        kit = Kit(workshop_id=workshop_id, **values)
        db.session.add(kit)
        db.session.commit()
        return workshop_id, kit.id


def kit_row(app, kit_id: int) -> Kit:
    with app.app_context():
        kit = db.session.get(Kit, kit_id)
        db.session.expunge(kit)
        return kit


def look_at_it(client, workshop_id: int) -> None:
    assert client.get(f"/dashboard/workshops/{workshop_id}").status_code == 200
    assert client.get(f"/dashboard/workshops/{workshop_id}/kit/status.json").status_code == 200


def test_a_kit_whose_worker_died_is_requeued_by_the_sweeper_not_by_page_views(app):
    client = logged_in(app, "moderation@example.org")
    started = utcnow() - RUNNING_TIMEOUT - timedelta(seconds=1)
    workshop_id, kit_id = stuck_kit(
        app, client, state="running", started_at=started, attempts=1, step="Blanko"
    )
    look_at_it(client, workshop_id)
    assert kit_row(app, kit_id).state == "running"
    with app.app_context():
        assert sweep()["kits"] == 1
    kit = kit_row(app, kit_id)
    assert (kit.state, kit.started_at) == ("queued", None)
    with app.app_context():
        assert sweep()["kits"] == 0  # freshly queued: within the grace period


def test_a_kit_that_keeps_dying_is_given_up_with_the_jobs_message(app):
    client = logged_in(app, "moderation@example.org")
    started = utcnow() - RUNNING_TIMEOUT - timedelta(seconds=1)
    _, kit_id = stuck_kit(app, client, state="running", started_at=started, attempts=MAX_ATTEMPTS)
    with app.app_context():
        assert sweep()["kits"] == 1
    kit = kit_row(app, kit_id)
    assert kit.state == "failed"
    assert kit.error.startswith(f"Abgebrochen nach {MAX_ATTEMPTS} Versuchen:")


def test_a_queued_kit_whose_message_was_lost_is_sent_again(app):
    client = logged_in(app, "moderation@example.org")
    requested = utcnow() - QUEUED_GRACE - timedelta(seconds=1)
    workshop_id, kit_id = stuck_kit(app, client, state="queued", requested_at=requested)
    look_at_it(client, workshop_id)
    assert kit_row(app, kit_id).requested_at == requested
    with app.app_context():
        assert sweep()["kits"] == 1
    kit = kit_row(app, kit_id)
    assert (kit.state, kit.requested_at > requested) == ("queued", True)
