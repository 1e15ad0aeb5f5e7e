"""The sweeper recovers what the broker or a worker lost; purge enforces retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import wait_for_state
from helpers import make_stuck, submit
from sqlalchemy import text

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.jobs.recovery import MAX_ATTEMPTS
from toolbox.ops.cli import cli
from toolbox.ops.sweeper import sweep
from toolbox.submissions.models import Document, Draft, Job, Submission

SLUG = "kooperationsvereinbarung"


def test_stuck_running_job_is_requeued(app, client):
    submit(client)
    make_stuck(app, attempts=1)
    with app.app_context():
        assert sweep()["recovered"] == 1
        job = Job.query.one()
        assert job.state == "queued" and job.started_at is None
        assert [e.state for e in job.submission.events][-1] == "queued"


def test_job_that_keeps_dying_is_given_up(app, client):
    token = submit(client)
    make_stuck(app, attempts=MAX_ATTEMPTS)
    with app.app_context():
        assert sweep()["given_up"] == 1
    body = client.get(f"/api/v1/submissions/{token}").get_json()
    assert body["state"] == "failed"
    assert body["error"].startswith(f"Abgebrochen nach {MAX_ATTEMPTS} Versuchen")


def test_fresh_jobs_are_left_alone(app, client):
    submit(client)
    with app.app_context():
        assert sweep() == {"requeued": 0, "recovered": 0, "given_up": 0, "emails": 0, "kits": 0}


def test_purge_deletes_only_expired_submissions(app, client, runner):
    old_token, new_token = submit(client), submit(client)
    with app.app_context():
        old = Submission.query.filter_by(token=old_token).one()
        old.created_at = utcnow() - timedelta(days=91)
        db.session.add(
            Document(
                submission_id=old.id,
                format="pdf",
                filename="a.pdf",
                content=b"%PDF-old",
                size=8,
                sha256="0" * 64,
            )
        )
        db.session.add(
            Draft(instrument=SLUG, formdata_json="[]", updated_at=utcnow() - timedelta(days=100))
        )
        db.session.commit()
    result = runner.invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert "1 Einreichungen und 1 Entwürfe gelöscht (älter als 90 Tage)." in result.output
    assert client.get(f"/api/v1/submissions/{old_token}").status_code == 404
    assert client.get(f"/api/v1/submissions/{new_token}").status_code == 200
    with app.app_context():
        assert db.session.execute(text("select count(*) from document")).scalar() == 0
        assert db.session.execute(text("select count(*) from event")).scalar() == 1  # the new one


@pytest.mark.slow
def test_redis_restart_without_persistence_loses_nothing(make_app, redis_server, start_worker):
    """Jobs queued while no worker runs; Redis restarts empty; the sweeper re-enqueues."""
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    tokens = [submit(client) for _ in range(3)]
    redis_server.stop()
    redis_server.start()  # --save "" --appendonly no: the queue is gone
    start_worker(app)
    with app.app_context():
        assert sweep(now=utcnow() + timedelta(minutes=1))["requeued"] == 3
    for token in tokens:
        assert wait_for_state(client, token)["state"] == "done"


@pytest.mark.slow
def test_stuck_job_recovered_by_worker(make_app, redis_server, start_worker):
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    token = submit(client)
    make_stuck(app, attempts=1)
    start_worker(app)
    with app.app_context():
        sweep()
    body = wait_for_state(client, token)
    assert body["state"] == "done" and len(body["documents"]) == 2
