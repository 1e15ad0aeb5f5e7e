"""The life cycle every piece of background work shares (document jobs and kits alike):
queued → running → done | failed, each step one guarded UPDATE, so two workers (or a worker
and the sweeper) can never both win the same step. The caller records events and commits."""

from __future__ import annotations

from sqlalchemy import update

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.states import JobState

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
