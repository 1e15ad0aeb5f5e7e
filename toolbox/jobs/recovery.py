"""What the sweeper applies alike to document jobs and kits: when a queued row has lost its
message, when a running one has lost its worker, and when to give up."""

from __future__ import annotations

from datetime import timedelta

# A queued row older than this has lost its broker message (the sweeper runs every 30 s).
QUEUED_GRACE = timedelta(seconds=30)
# Retries of work whose worker died (timeout or crash) before it is failed for good.
MAX_ATTEMPTS = 3


def running_timeout(hard_time_limit: int) -> timedelta:
    """A row running longer than its task's hard time limit (plus slack) lost its worker."""
    return timedelta(seconds=hard_time_limit + 30)


def given_up_message(attempts: int) -> str:
    return (
        f"Abgebrochen nach {attempts} Versuchen: Die Erstellung wurde jedes Mal "
        "unterbrochen (Zeitlimit überschritten oder Arbeitsprozess abgestürzt)."
    )
