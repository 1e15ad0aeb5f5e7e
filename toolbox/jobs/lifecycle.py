"""The life cycle every piece of background work shares (document jobs and kits alike):
queued → running → done | failed, each step one guarded UPDATE, so two workers (or a worker
and the sweeper) can never both win the same step. The caller records events and commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.states import JobState
from toolbox.jobs.recovery import MAX_ATTEMPTS, given_up_message

ERROR_CHARS = 2000


def transition(model, row_id: int, source: str, target: str, **values) -> bool:
    """`source` → `target` for the row, only if it is still in `source`; True if we won."""
    statement = (
        update(model)
        .where(model.id == row_id, model.state == source)
        .values(state=target, **values)
    )
    return db.session.execute(statement).rowcount == 1


def claim(model, row_id: int, **values) -> bool:
    """queued → running, counting the attempt."""
    return transition(
        model,
        row_id,
        JobState.QUEUED,
        JobState.RUNNING,
        started_at=utcnow(),
        attempts=model.attempts + 1,
        **values,
    )


def finish(model, row_id: int, **values) -> bool:
    """running → done (and `values`, e.g. the result), unless someone else ended it."""
    return transition(model, row_id, JobState.RUNNING, JobState.DONE, error=None, **values)


def fail(model, row_id: int, error: str, **values) -> bool:
    """running → failed with the reason (shortened to what a page can show)."""
    return transition(
        model, row_id, JobState.RUNNING, JobState.FAILED, error=error[:ERROR_CHARS], **values
    )


def stuck(model, now: datetime, timeout: timedelta) -> list:
    """(id, attempts, started_at) of the rows running longer than `timeout`: their worker
    is gone (the sweeper's view)."""
    return db.session.execute(
        select(model.id, model.attempts, model.started_at).where(
            model.state == JobState.RUNNING, model.started_at < now - timeout
        )
    ).all()


def recover_stuck(model, row, *, queued: dict, failed: dict) -> tuple[str, str] | None:
    """A row `stuck` found: running → queued (`queued` values) or, after MAX_ATTEMPTS,
    running → failed (`failed` values and the reason). Guarded by its start time, so a
    worker that finishes or restarts it meanwhile wins. ("recovered" | "given_up", the
    reason or ""), or None if it lost."""
    row_id, attempts, started_at = row
    if attempts >= MAX_ATTEMPTS:
        error = given_up_message(attempts)
        target, values, outcome = JobState.FAILED, {**failed, "error": error}, "given_up"
    else:
        error = ""
        target, values, outcome = JobState.QUEUED, {**queued, "started_at": None}, "recovered"
    statement = (
        update(model)
        .where(model.id == row_id, model.state == JobState.RUNNING, model.started_at == started_at)
        .values(state=target, **values)
    )
    return (outcome, error) if db.session.execute(statement).rowcount else None
