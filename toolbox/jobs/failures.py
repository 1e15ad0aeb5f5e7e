"""Recording why a background task failed, the same way for document jobs and kits."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded

from toolbox.core.extensions import db

log = logging.getLogger(__name__)


def record_failure(
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
