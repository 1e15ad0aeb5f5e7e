"""Celery tasks: thin. Load by id, call the domain code, record the outcome."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from toolbox.documents.render import get_renderer
from toolbox.extensions import db
from toolbox.instruments import get_instrument
from toolbox.models import Job
from toolbox.submissions import claim_job, fail_job, finish_job

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def render_job(job_id: int) -> None:
    if not claim_job(job_id):
        log.info("job %s already claimed or finished; nothing to do", job_id)
        return
    job = db.session.get(Job, job_id)
    submission = job.submission
    instrument = get_instrument(submission.instrument)
    try:
        renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
        documents = renderer.render(instrument, submission.payload)
    except Exception as exc:  # noqa: BLE001 - any render error is recorded on the job
        log.exception("job %s failed", job_id)
        db.session.rollback()
        fail_job(job_id, f"{type(exc).__name__}: {exc}")
        return
    finish_job(job, documents)
    log.info("job %s done: %d documents", job_id, len(documents))
