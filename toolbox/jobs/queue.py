"""Putting work on the broker, by task name: the domain enqueues without importing tasks.

The names are the Celery task names (stable across moves: queued messages and the beat
schedule refer to them); the tasks themselves live in each area's ``tasks`` module.
"""

from __future__ import annotations

import logging

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError

RENDER_JOB = "toolbox.jobs.tasks.render_job"
SEND_DOCUMENTS = "toolbox.jobs.tasks.send_documents"
BUILD_KIT = "toolbox.jobs.tasks.build_kit_task"
SWEEP = "toolbox.jobs.tasks.sweep_task"
PURGE = "toolbox.jobs.tasks.purge_task"
BUILD_DIRECTORY = "toolbox.jobs.tasks.build_directory"
SEND_CIRCULATION_MAIL = "toolbox.cooperation.tasks.send_circulation_mail"
FINALIZE_CIRCULATION = "toolbox.cooperation.tasks.finalize_circulation"
COOPERATION_MAINTENANCE = "toolbox.cooperation.tasks.cooperation_maintenance"

log = logging.getLogger(__name__)


def enqueue(task_name: str, row_id: int, queue: str | None = None) -> bool:
    """Send the task ``task_name`` for the row ``row_id`` (to ``queue`` instead of its
    route's, if given). A broker outage loses nothing: the row keeps its state and the
    sweeper enqueues it again later (False here)."""
    options = {"queue": queue} if queue else {}
    try:
        current_app.extensions["celery"].send_task(task_name, (row_id,), retry=False, **options)
    except (BrokerError, OSError) as exc:
        log.warning("broker unavailable, %s(%s) left for the sweeper: %s", task_name, row_id, exc)
        return False
    return True
