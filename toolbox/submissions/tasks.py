"""Celery tasks of submissions: thin. Load by id, call the domain code, record the outcome.

Task names are explicit and unchanged since they lived in ``toolbox.jobs.tasks``.
"""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from toolbox.core.extensions import db
from toolbox.core.mail import PermanentMailError, TransientMailError
from toolbox.core.states import EmailState
from toolbox.documents.render import get_renderer
from toolbox.instruments.registry import get_instrument
from toolbox.jobs import SOFT_TIME_LIMIT
from toolbox.jobs.failures import record_failure
from toolbox.jobs.queue import RENDER_JOB, SEND_DOCUMENTS
from toolbox.submissions.delivery import (
    claim_email,
    deliver,
    enqueue_email,
    mark_sent,
    release_claim,
)
from toolbox.submissions.models import Job, Submission
from toolbox.submissions.service import claim_job, fail_job, finish_job

MAIL_MAX_RETRIES = 6

log = logging.getLogger(__name__)


@shared_task(name=RENDER_JOB, ignore_result=True)
def render_job(job_id: int) -> None:
    if not claim_job(job_id):
        log.info("job %s already claimed or finished; nothing to do", job_id)
        return
    job = db.session.get(Job, job_id)
    submission = job.submission
    instrument = get_instrument(submission.instrument)
    try:
        renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
        documents = renderer.render(
            instrument, submission.payload, replaces=submission.replaces_label
        )
    except Exception as exc:  # noqa: BLE001 - any render error is recorded on the job
        record_failure("job", job_id, exc, fail_job, SOFT_TIME_LIMIT)
        return
    if finish_job(job, documents):
        log.info("job %s done: %d documents", job_id, len(documents))
        if submission.email_state == EmailState.PENDING:
            enqueue_email(submission.id)


# Transient failures retry with exponential backoff (1, 2, 4 … s, jittered, at most
# 5 minutes apart); after the last retry the email is marked failed.
@shared_task(
    name=SEND_DOCUMENTS,
    bind=True,
    ignore_result=True,
    autoretry_for=(TransientMailError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAIL_MAX_RETRIES,
)
def send_documents(self, submission_id: int) -> None:
    if not claim_email(submission_id):
        log.info("email of submission %s already sent or being sent", submission_id)
        return
    submission = db.session.get(Submission, submission_id)
    try:
        transport = deliver(submission)
    except TransientMailError as exc:
        final = self.request.retries >= self.max_retries
        release_claim(submission_id, str(exc), final=final)
        log.warning(
            "email of submission %s: attempt failed (%s)",
            submission_id,
            "final" if final else "will retry",
        )
        if final:
            return
        # Celery logs the reason of a retry; a server's reply may quote the address, so
        # the reason is generic here (the reply itself is on the submission).
        raise TransientMailError("Zustellung vorübergehend fehlgeschlagen") from None
    except PermanentMailError as exc:
        release_claim(submission_id, str(exc), final=True)
        log.warning("email of submission %s refused permanently", submission_id)
        return
    mark_sent(submission_id, transport)
    log.info("email of submission %s sent via %s", submission_id, transport)
