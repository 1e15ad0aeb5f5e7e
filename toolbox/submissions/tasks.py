"""Celery tasks: thin. Load by id, call the domain code, record the outcome."""

from __future__ import annotations

import logging
import os
import signal
import time
import traceback
from collections.abc import Callable

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app

from toolbox.delivery import claim_email, deliver, enqueue_email, mark_sent, release_claim
from toolbox.documents.render import get_renderer
from toolbox.extensions import db
from toolbox.instruments.registry import get_instrument
from toolbox.jobs import SOFT_TIME_LIMIT
from toolbox.kit_builds import (
    KIT_HARD_TIME_LIMIT,
    KIT_SOFT_TIME_LIMIT,
    build_workshop_kit,
    claim_kit,
    fail_kit,
    finish_kit,
    record_progress,
)
from toolbox.mail import PermanentMailError, TransientMailError
from toolbox.models import EmailState, Job, Kit, Submission
from toolbox.submissions import claim_job, fail_job, finish_job
from toolbox.sweeper import purge, sweep

MAIL_MAX_RETRIES = 6

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def render_job(job_id: int) -> None:
    if not claim_job(job_id):
        log.info("job %s already claimed or finished; nothing to do", job_id)
        return
    job = db.session.get(Job, job_id)
    submission = job.submission
    instrument = get_instrument(submission.instrument)
    _fault_injection(submission.instrument)
    try:
        renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
        documents = renderer.render(instrument, submission.payload)
    except Exception as exc:  # noqa: BLE001 - any render error is recorded on the job
        _record_failure("job", job_id, exc, fail_job, SOFT_TIME_LIMIT)
        return
    if finish_job(job, documents):
        log.info("job %s done: %d documents", job_id, len(documents))
        if submission.email_state == EmailState.PENDING:
            enqueue_email(submission.id)


def _record_failure(
    kind: str, row_id: int, exc: Exception, fail: Callable[[int, str], None], limit: int
) -> None:
    """Record why the job or kit ``row_id`` failed, with ``fail(row_id, message)``: a soft
    time limit after ``limit`` seconds in plain German, any other error by its type and
    message. The message may quote what was typed: it goes on the row, the log gets only
    the place (the traceback without the message)."""
    db.session.rollback()
    if isinstance(exc, SoftTimeLimitExceeded):
        fail(row_id, f"Zeitlimit: Die Erstellung dauerte länger als {limit} s.")
        log.error("%s %s failed: soft time limit", kind, row_id)
        return
    fail(row_id, f"{type(exc).__name__}: {exc}")
    stack = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s %s failed with %s:\n%s", kind, row_id, type(exc).__name__, stack)


# Transient failures retry with exponential backoff (1, 2, 4 … s, jittered, at most
# 5 minutes apart); after the last retry the email is marked failed.
@shared_task(
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


@shared_task(ignore_result=True)
def sweep_task() -> None:
    counts = sweep()
    if any(counts.values()):
        log.info("sweeper: %s", counts)


@shared_task(ignore_result=True)
def purge_task() -> None:
    log.info("retention purge: %s", purge())


def _fault_injection(slug: str) -> None:
    """Test hooks for tests/test_faults.py, read from the environment; never set in
    production. TOOLBOX_TEST_RENDER_DELAY (seconds) holds the render after the claim, so a
    test can kill or stop the worker mid-task; TOOLBOX_TEST_RENDER_CRASH=<slug> makes a
    render of that instrument kill its own process (a poison job)."""
    delay = os.environ.get("TOOLBOX_TEST_RENDER_DELAY")
    if delay:
        time.sleep(float(delay))
    if os.environ.get("TOOLBOX_TEST_RENDER_CRASH") == slug:
        os.kill(os.getpid(), signal.SIGKILL)


@shared_task(
    ignore_result=True, soft_time_limit=KIT_SOFT_TIME_LIMIT, time_limit=KIT_HARD_TIME_LIMIT
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
        _record_failure("kit", kit_id, exc, fail_kit, KIT_SOFT_TIME_LIMIT)
        return
    if finish_kit(kit_id, built, contents):
        log.info("kit %s done: %d files, %d bytes", kit_id, len(built.files), len(built.content))
