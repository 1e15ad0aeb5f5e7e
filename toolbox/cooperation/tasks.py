"""Celery tasks of cooperation: thin. Send one circulation mail, render the final
documents, send the due reminders (beat) and recover what was lost."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from toolbox.cooperation.delivery import (
    MAIL_MAX_ATTEMPTS,
    claim_mail,
    deliver,
    mark_sent,
    release_claim,
)
from toolbox.cooperation.models import Circulation, CirculationMail
from toolbox.cooperation.service import (
    claim_final,
    fail_final,
    finish_final,
    recover,
    render_final,
    send_reminders,
)
from toolbox.core.extensions import db
from toolbox.core.mail import PermanentMailError, TransientMailError
from toolbox.documents.render import get_renderer
from toolbox.jobs import SOFT_TIME_LIMIT
from toolbox.jobs.failures import record_failure
from toolbox.jobs.queue import COOPERATION_MAINTENANCE, FINALIZE_CIRCULATION, SEND_CIRCULATION_MAIL

log = logging.getLogger(__name__)


@shared_task(
    name=SEND_CIRCULATION_MAIL,
    bind=True,
    ignore_result=True,
    autoretry_for=(TransientMailError,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
)
def send_circulation_mail(self, mail_id: int) -> None:
    if not claim_mail(mail_id):
        log.info("circulation mail %s already sent or being sent", mail_id)
        return
    mail = db.session.get(CirculationMail, mail_id)
    try:
        transport = deliver(mail)
    except TransientMailError as exc:
        final = self.request.retries >= self.max_retries or mail.attempts >= MAIL_MAX_ATTEMPTS
        release_claim(mail_id, str(exc), final=final)
        log.warning("circulation mail %s: attempt failed", mail_id)
        if final:
            return
        raise TransientMailError("Zustellung vorübergehend fehlgeschlagen") from None
    except PermanentMailError as exc:
        release_claim(mail_id, str(exc), final=True)
        log.warning("circulation mail %s refused permanently", mail_id)
        return
    mark_sent(mail_id, transport)
    log.info("circulation mail %s sent via %s", mail_id, transport)


@shared_task(name=FINALIZE_CIRCULATION, ignore_result=True)
def finalize_circulation(circulation_id: int) -> None:
    if not claim_final(circulation_id):
        log.info("circulation %s: final documents already made or being made", circulation_id)
        return
    circulation = db.session.get(Circulation, circulation_id)
    try:
        renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
        documents = render_final(renderer, circulation)
    except Exception as exc:  # noqa: BLE001 - recorded on the circulation, retried by the sweep
        record_failure("circulation", circulation_id, exc, fail_final, SOFT_TIME_LIMIT)
        return
    if finish_final(circulation_id, documents):
        log.info("circulation %s completed: %d documents", circulation_id, len(documents))


@shared_task(name=COOPERATION_MAINTENANCE, ignore_result=True)
def cooperation_maintenance() -> dict:
    """Reminders due and recovery; run by celery beat."""
    return {"reminded": send_reminders(), "recovered": recover()}
