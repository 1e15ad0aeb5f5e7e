"""No cold first job (issue 20): every Celery pool process renders a throw-away document at
`worker_process_init`, before it takes a job, so the per-process caches (templates,
fonts, hyphenation patterns) are filled when the first submission arrives."""

from __future__ import annotations

import os
import re
import time

import pyphen
import pytest
from celery.signals import worker_process_init
from helpers import ROOT

from toolbox.documents.render import get_renderer
from toolbox.jobs.warm import WARMED, warm_pool_processes

TEMPLATES = str(ROOT / "toolbox" / "documents" / "templates")
UID = "toolbox-warm-pool-process"


def connected_receiver():
    """The function `warm_pool_processes` connected to the signal, found by its uid."""
    for key, receiver in worker_process_init.receivers:
        if key[0] == UID:
            return receiver
    return None


def test_the_handler_is_connected_and_fills_the_caches():
    warm_pool_processes(TEMPLATES)
    handler = connected_receiver()
    assert handler is not None
    # A process that has rendered nothing yet: no renderer, no hyphenation patterns.
    get_renderer.cache_clear()
    pyphen.hdcache.clear()
    WARMED.clear()
    try:
        handler(sender=None)
        renderer = get_renderer(TEMPLATES)
        assert get_renderer.cache_info().currsize == 1  # the one the jobs will use
        assert WARMED["pid"] == os.getpid()
        assert set(WARMED["formats"]) >= {"docx", "pdf"}
        # The template of the throw-away document is compiled in this process …
        loaded = {key[1] for key in renderer.pdf.env.cache}
        assert f"{WARMED['instrument']}.html" in loaded
        # … and WeasyPrint has loaded the German hyphenation patterns (`hyphens: auto`).
        assert any("de" in str(path) for path in pyphen.hdcache)
    finally:
        worker_process_init.disconnect(dispatch_uid=UID)
        get_renderer.cache_clear()


def test_connecting_twice_keeps_one_warm_up_per_process():
    try:
        warm_pool_processes(TEMPLATES)
        warm_pool_processes(TEMPLATES)
        assert len([k for k, _ in worker_process_init.receivers if k[0] == UID]) == 1
    finally:
        worker_process_init.disconnect(dispatch_uid=UID)


@pytest.mark.slow
def test_every_pool_process_of_a_real_worker_warms_before_its_first_job(
    make_app, redis_server, start_worker
):
    app = make_app(broker_url=redis_server.url)
    worker = start_worker(app, concurrency=2)
    pattern = re.compile(r"pool process (\d+) warm in \d+ ms")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(set(pattern.findall(worker.log()))) < 2:
        time.sleep(0.1)
    pids = set(pattern.findall(worker.log()))
    assert len(pids) == 2, worker.log()[-2000:]
    assert str(worker.process.pid) not in pids  # the pool processes, not the main one
