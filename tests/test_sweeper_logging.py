"""On an idle system the sweeper is silent: a real worker and a real `celery beat` run the
sweep every second, and the logs only speak when the sweep did something."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import wait_for_state
from helpers import ROOT, make_stuck, submit

from toolbox.core.logs import QuietSweepFilter


def _record(name: str, level: int, msg: str, args, data=None) -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    if data is not None:
        record.data = data
    return record


def test_filter_drops_only_routine_lines_of_the_sweep():
    quiet = QuietSweepFilter().filter
    sweep = {"name": "toolbox.jobs.tasks.sweep_task", "id": "x"}
    render = {"name": "toolbox.jobs.tasks.render_task", "id": "y"}
    assert not quiet(_record("celery.worker.strategy", logging.INFO, "%(name)s", sweep, sweep))
    assert not quiet(_record("celery.app.trace", logging.INFO, "%(name)s", sweep, sweep))
    assert not quiet(
        _record(
            "celery.beat",
            logging.INFO,
            "Scheduler: Sending due task %s (%s)",
            ("sweep", "toolbox.jobs.tasks.sweep_task"),
        )
    )
    # other tasks, and anything going wrong with the sweep, are still reported
    assert quiet(_record("celery.app.trace", logging.INFO, "%(name)s", render, render))
    assert quiet(_record("celery.app.trace", logging.ERROR, "%(name)s", sweep, sweep))
    assert quiet(
        _record(
            "celery.beat",
            logging.INFO,
            "Scheduler: Sending due task %s (%s)",
            ("purge", "toolbox.jobs.tasks.purge_task"),
        )
    )
    assert quiet(_record("celery.beat", logging.INFO, "beat: Starting...", None))


@pytest.mark.slow
def test_idle_sweeper_logs_nothing(make_app, redis_server, start_worker, tmp_path, data_dir):
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    worker = start_worker(app, TOOLBOX_SWEEP_INTERVAL="1")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
    env.update(
        TOOLBOX_DATA_DIR=str(data_dir),
        TOOLBOX_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        TOOLBOX_BROKER_URL=redis_server.url,
        TOOLBOX_SWEEP_INTERVAL="1",
    )
    beat_log_path = tmp_path / "beat.log"
    with beat_log_path.open("w") as beat_log:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker", "beat", "--loglevel=INFO"]
            + [f"--schedule={tmp_path / 'celerybeat-schedule'}"],
            cwd=ROOT,
            env=env,
            stdout=beat_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while "beat: Starting" not in beat_log_path.read_text():
            assert beat.poll() is None and time.monotonic() < deadline, beat_log_path.read_text()
            time.sleep(0.2)
        time.sleep(5)  # several idle sweeps
        idle_worker, idle_beat = worker.log(), beat_log_path.read_text()
        token = submit(client)
        assert wait_for_state(client, token)["state"] == "done"
        # now the sweep has something to do: a job whose worker died
        make_stuck(app, attempts=1)
        deadline = time.monotonic() + 30
        while "sweeper:" not in worker.log():
            assert time.monotonic() < deadline, worker.log()
            time.sleep(0.2)
        assert wait_for_state(client, token)["state"] == "done"
        time.sleep(3)  # and a few idle sweeps after it
    finally:
        beat.terminate()
        try:
            beat.wait(20)
        except subprocess.TimeoutExpired:
            beat.kill()
            beat.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(beat.pid, signal.SIGKILL)
    beat_text, worker_text = beat_log_path.read_text(), worker.log()

    routine = ("sweep_task[", "Sending due task sweep")  # received, succeeded; sent by beat
    for text in (idle_beat, idle_worker, beat_text, worker_text):
        assert not [line for line in text.splitlines() if any(r in line for r in routine)], text
    assert "sweeper:" not in idle_worker
    sweeper_lines = [line for line in worker_text.splitlines() if "sweeper:" in line]
    assert len(sweeper_lines) == 1, worker_text
    assert "'recovered': 1" in sweeper_lines[0]
    # the recovered render job is still logged as usual
    assert "render_job[" in worker_text and "received" in worker_text
