"""Warm pool processes (issue 20): a pool process does its own start-up costs before it
takes its first job, not during it.

The worker's main process warms the renderer before the pool forks (worker.py), but a
forked process still paid for its first document: pages shared with the parent are copied
on first write, and WeasyPrint, Pango and fontconfig fill per-process caches (font
subsets, shaping, hyphenation patterns) on the first layout. So every pool process –
also one that replaces a process recycled after `worker_max_tasks_per_child` – renders
one throw-away document at `worker_process_init`. It has to stay short: Celery gives a
new process `worker_proc_alive_timeout` (4 s) to report that it is up.
"""

from __future__ import annotations

import logging
import os
import time

from celery.signals import worker_process_init
from sqlalchemy.orm import configure_mappers

from toolbox.documents.render import Renderer, get_renderer, warm_up
from toolbox.instruments.registry import INSTRUMENTS

log = logging.getLogger(__name__)

# What the process warm-up rendered last (observable: tests, and the log line).
WARMED: dict[str, object] = {}


def warm_parent(templates_dir: str) -> Renderer:
    """Before the pool forks: the renderer with every template compiled and one document
    rendered, and the ORM mappers configured (the first query would do it otherwise)."""
    configure_mappers()
    renderer = get_renderer(templates_dir)
    warm_up(renderer, INSTRUMENTS.values())
    return renderer


def warm_process(templates_dir: str) -> None:
    """In a fresh pool process: one throw-away render of every format."""
    began = time.perf_counter()
    renderer = get_renderer(templates_dir)
    instrument = next(i for i in INSTRUMENTS.values() if i.blank_document)
    documents = renderer.render(instrument, {}, blank=True)
    WARMED.update(
        pid=os.getpid(),
        instrument=instrument.slug,
        formats=tuple(d.format for d in documents),
        seconds=time.perf_counter() - began,
    )
    log.info("pool process %d warm in %.0f ms", os.getpid(), WARMED["seconds"] * 1000)


def warm_pool_processes(templates_dir: str) -> None:
    """Connect the warm-up of every pool process (called by worker.py)."""

    def warm(**_) -> None:
        warm_process(templates_dir)

    worker_process_init.connect(warm, weak=False, dispatch_uid="toolbox-warm-pool-process")
