"""Separate queues (issue 14): renders, mails and maintenance (sweeper, purge, kits) go to
their own Celery queues, so mails and the sweeper never wait behind a long render. A
worker started without -Q (the embedded default) consumes all of them."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from conftest import wait_for_state
from helpers import ids_of, render_now, submit

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.jobs import QUEUES, TASK_ROUTES
from toolbox.jobs.queue import (
    BUILD_DIRECTORY,
    BUILD_KIT,
    COOPERATION_MAINTENANCE,
    FINALIZE_CIRCULATION,
    PURGE,
    RENDER_JOB,
    SEND_CIRCULATION_MAIL,
    SEND_DOCUMENTS,
    SWEEP,
)
from toolbox.submissions.models import Event, Job

pytestmark = pytest.mark.slow


def test_every_task_has_its_queue(app):
    celery_app = app.extensions["celery"]
    router = celery_app.amqp.router
    expected = {
        RENDER_JOB: "render",
        SEND_DOCUMENTS: "mail",
        SWEEP: "maintenance",
        PURGE: "maintenance",
        BUILD_KIT: "maintenance",
        BUILD_DIRECTORY: "maintenance",
        SEND_CIRCULATION_MAIL: "mail",
        FINALIZE_CIRCULATION: "render",
        COOPERATION_MAINTENANCE: "maintenance",
    }
    assert {name: router.route({}, name)["queue"].name for name in expected} == expected
    assert set(TASK_ROUTES) == set(expected)
    # a worker without -Q consumes every queue a task is routed to
    assert set(celery_app.amqp.queues) == set(QUEUES)
    # the registered tasks are exactly the routed ones (a new task needs a route)
    celery_app.loader.import_default_modules()
    ours = {name for name in celery_app.tasks if name.startswith("toolbox.")}
    assert ours == set(expected)


def outbox(data_dir) -> list:
    return list((data_dir / "outbox").glob("*.eml"))


def wait_until(check, timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout} s")


def stuck_job(app, token: str) -> int:
    """Make the job of ``token`` look as if its worker died mid-render long ago."""
    _, job_id = ids_of(app, token)
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.state = "running"
        job.started_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    return job_id


def recovered(app, job_id: int) -> bool:
    with app.app_context():
        job = db.session.get(Job, job_id)
        return any(  # only the sweeper writes this (its state moves on once rendered)
            e.detail == "nach Unterbrechung erneut eingereiht"
            for e in Event.query.filter_by(submission_id=job.submission_id, kind="job")
        )


def state_of(client, token: str) -> str:
    return client.get(f"/api/v1/submissions/{token}").get_json()["state"]


def test_mail_and_sweeper_do_not_wait_behind_a_render(
    make_app, redis_server, start_worker, data_dir, tmp_path
):
    """The render worker is held mid-render until the mail and the sweep are done: they
    cannot have waited behind it."""
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    release = tmp_path / "release"
    start_worker(app, queues="render", TOOLBOX_TEST_RENDER_HOLD=str(release))
    start_worker(app, queues="mail,maintenance")

    long_render = submit(client)
    wait_until(lambda: state_of(client, long_render) == "running", 30, "render started")

    # a mail: documents made here, the email task goes to the mail queue
    mailed = submit(client, email="person@example.org")
    render_now(app, mailed)
    wait_until(lambda: len(outbox(data_dir)) == 1, 15, "mail sent")
    assert state_of(client, long_render) == "running"

    # the sweeper: it finds a job whose worker died and queues it again
    lost = stuck_job(app, submit(client))
    app.extensions["celery"].send_task(SWEEP)
    wait_until(lambda: recovered(app, lost), 15, "sweeper ran")
    assert state_of(client, long_render) == "running"

    release.touch()
    assert wait_for_state(client, long_render, timeout=60)["state"] == "done"


def test_a_worker_without_queues_consumes_all(make_app, start_worker, data_dir):
    """The embedded default: SQLite broker, one worker started without -Q."""
    app = make_app()
    assert app.config["TOOLBOX_BROKER_URL"].startswith("sqla+")
    client = app.test_client()
    start_worker(app)

    token = submit(client, email="person@example.org")
    assert wait_for_state(client, token)["state"] == "done"
    wait_until(lambda: len(outbox(data_dir)) == 1, 30, "mail sent")

    lost = stuck_job(app, submit(client))
    app.extensions["celery"].send_task(SWEEP)
    wait_until(lambda: recovered(app, lost), 30, "sweeper ran")
