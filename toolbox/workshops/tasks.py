"""Celery task of workshops: build a workshop's kit (task name unchanged since
``toolbox.jobs.tasks``)."""

from __future__ import annotations

import logging

from celery import shared_task

from toolbox.core.extensions import db
from toolbox.jobs.failures import record_failure
from toolbox.jobs.queue import BUILD_KIT
from toolbox.workshops.kit_builds import (
    KIT_HARD_TIME_LIMIT,
    KIT_SOFT_TIME_LIMIT,
    build_workshop_kit,
    claim_kit,
    fail_kit,
    finish_kit,
    record_progress,
)
from toolbox.workshops.models import Kit

log = logging.getLogger(__name__)


@shared_task(
    name=BUILD_KIT,
    ignore_result=True,
    soft_time_limit=KIT_SOFT_TIME_LIMIT,
    time_limit=KIT_HARD_TIME_LIMIT,
)
def build_kit_task(kit_id: int) -> None:
    if not claim_kit(kit_id):
        log.info("kit %s already claimed or finished; nothing to do", kit_id)
        return
    kit = db.session.get(Kit, kit_id)
    try:
        built, contents = build_workshop_kit(
            kit.workshop, progress=lambda percent, step: record_progress(kit_id, percent, step)
        )
    except Exception as exc:  # noqa: BLE001 - any build error is recorded on the kit
        record_failure("kit", kit_id, exc, fail_kit, KIT_SOFT_TIME_LIMIT)
        return
    if finish_kit(kit_id, built, contents):
        log.info("kit %s done: %d files, %d bytes", kit_id, len(built.files), len(built.content))
