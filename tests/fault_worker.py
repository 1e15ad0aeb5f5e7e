"""A Celery worker with fault injection, for tests/test_faults.py only: the conftest's
worker fixture starts `celery -A fault_worker worker` instead of `-A worker` when a test
asks for faults. Production code reads no test hooks.

TOOLBOX_TEST_RENDER_DELAY (seconds) holds a render after its job was claimed, so a test
can kill or stop the worker mid-task; TOOLBOX_TEST_RENDER_HOLD=<path> holds it until that
file exists (at most HOLD_LIMIT seconds), so a test releases it as soon as it has seen
what it waited for instead of sleeping a fixed time; TOOLBOX_TEST_RENDER_CRASH=<slug>
makes a render of that instrument kill its own process (a poison job). Installed on a
Celery signal in the worker's parent, before the pool forks, so every pool process has it.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from celery.signals import worker_init

from toolbox.submissions import tasks
from worker import celery_app, flask_app  # noqa: F401 - the app `celery -A` looks for

HOLD_LIMIT = 120.0


def hold_until_released(path: Path) -> None:
    deadline = time.monotonic() + HOLD_LIMIT
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


class FaultyRenderer:
    """The real renderer, after an optional delay or crash."""

    def __init__(self, renderer):
        self.renderer = renderer

    def render(self, instrument, payload, **options):
        delay = os.environ.get("TOOLBOX_TEST_RENDER_DELAY")
        if delay:
            time.sleep(float(delay))
        hold = os.environ.get("TOOLBOX_TEST_RENDER_HOLD")
        if hold:
            hold_until_released(Path(hold))
        if os.environ.get("TOOLBOX_TEST_RENDER_CRASH") == instrument.slug:
            os.kill(os.getpid(), signal.SIGKILL)
        return self.renderer.render(instrument, payload, **options)


@worker_init.connect
def install_faults(**_) -> None:
    real = tasks.get_renderer
    tasks.get_renderer = lambda templates_dir: FaultyRenderer(real(templates_dir))
