"""Scheduled Celery tasks (celery beat): the sweeper and the retention purge (task names
unchanged since ``toolbox.jobs.tasks``)."""

from __future__ import annotations

import logging

from celery import shared_task

from toolbox.jobs.queue import PURGE, SWEEP
from toolbox.ops.sweeper import purge, sweep

log = logging.getLogger(__name__)


@shared_task(name=SWEEP, ignore_result=True)
def sweep_task() -> None:
    counts = sweep()
    if any(counts.values()):
        log.info("sweeper: %s", counts)


@shared_task(name=PURGE, ignore_result=True)
def purge_task() -> None:
    log.info("retention purge: %s", purge())
