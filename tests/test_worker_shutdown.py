"""Stopping the worker as systemd does with its default KillMode=control-group: SIGTERM
to the whole process group (the main process and every pool process at once). The pool
processes must not die on it; the main process does a warm shutdown, lets the running
render finish and exits well within the unit's TimeoutStopSec."""

from __future__ import annotations

import os
import signal
import time

import pytest
from conftest import wait_for_state
from helpers import submit

from toolbox.submissions.models import Document, Submission

pytestmark = pytest.mark.slow

# Well under docs/DEPLOYMENT.md's TimeoutStopSec=120: the render takes ~4 s.
STOP_TIMEOUT = 30


def test_sigterm_to_the_process_group_finishes_the_render_and_exits(
    make_app, redis_server, start_worker
):
    app = make_app(broker_url=redis_server.url)
    worker = start_worker(app, TOOLBOX_TEST_RENDER_DELAY="4")
    client = app.test_client()
    token = submit(client)
    wait_for_state(client, token, states=("running",))
    started = time.monotonic()
    os.killpg(worker.process.pid, signal.SIGTERM)  # what KillMode=control-group does
    try:
        worker.process.wait(STOP_TIMEOUT)
    except Exception:
        pytest.fail(f"worker still running after {STOP_TIMEOUT} s:\n{worker.log()[-3000:]}")
    took = time.monotonic() - started
    assert took < STOP_TIMEOUT
    with app.app_context():
        submission = Submission.query.filter_by(token=token).one()
        assert submission.job.state == "done", worker.log()[-3000:]
        assert Document.query.filter_by(submission_id=submission.id).count() == 2
    assert "WorkerLostError" not in worker.log()
