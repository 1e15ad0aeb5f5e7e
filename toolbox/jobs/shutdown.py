"""Stopping a worker: only the main process decides.

systemd's default KillMode=control-group (and `kill -TERM -<pgid>`) sends SIGTERM to the
main process *and* every pool process at once. The pool processes died mid-render
(WorkerLostError) and the main process then waited on the wreck for over a minute. So a
pool process ignores SIGTERM: the main process does its warm shutdown (takes no new task,
lets the running ones finish) and ends the pool itself.

It stays bounded: a render still running at the hard time limit gets SIGKILL from the
main process (billiard sends TERM, then KILL after 0.1 s), Celery gives every pool
process SIGKILL when the main process ends (PR_SET_PDEATHSIG), and systemd sends SIGKILL
to what is left after TimeoutStopSec (docs/DEPLOYMENT.md). SIG_IGN is used rather than a
handler because billiard replaces any other SIGTERM handler in its children.
"""

from __future__ import annotations

import signal

from celery.signals import worker_process_init


@worker_process_init.connect
def pool_process_leaves_shutdown_to_the_main_process(**_) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
