"""Is the database reachable, is the broker reachable? For /healthz and `toolbox doctor`."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from toolbox.core.extensions import db


def check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the text says why
        db.session.rollback()
        return f"error: {type(exc).__name__}"
    return "ok"


def check_broker() -> str:
    celery_app = current_app.extensions["celery"]
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the text says why
        return f"error: {type(exc).__name__}"
    return "ok"
