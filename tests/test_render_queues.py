"""Large submissions render on a queue of their own (issue 14 item 2): a worker serving only
`render` never gets them, one serving `render_large` does; normal ones stay on `render`."""

from __future__ import annotations

import re
import time

import pytest
from helpers import ROOT, load_data, submit
from worst_case import worst_case

from toolbox.instruments.forms import is_large
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.jobs import QUEUES, RENDER_LARGE_QUEUE, RENDER_QUEUE
from toolbox.submissions.models import Submission
from toolbox.submissions.service import render_queue


@pytest.mark.parametrize("slug", sorted(INSTRUMENTS))
def test_golden_data_is_normal_and_the_worst_case_large(slug):
    instrument = INSTRUMENTS[slug]
    assert not is_large(instrument, load_data(slug))
    assert is_large(instrument, worst_case(instrument, "spread"))
    assert is_large(instrument, worst_case(instrument, "in_order"))


def state_of(client, token: str) -> str:
    return client.get(f"/api/v1/submissions/{token}").get_json()["state"]


def until_done(client, token: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state_of(client, token) == "done":
            return
        time.sleep(0.2)
    raise AssertionError(f"{token} not done within {timeout} s")


def test_a_large_submission_waits_for_the_large_worker(make_app, redis_server, start_worker):
    slug = "raumnutzung"
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    start_worker(app, queues=RENDER_QUEUE)

    large = submit(client, slug, worst_case(INSTRUMENTS[slug], "spread"))
    normal = submit(client, slug, load_data(slug))
    with app.app_context():
        by_token = {s.token: s for s in Submission.query.all()}
        assert render_queue(by_token[large]) == RENDER_LARGE_QUEUE
        assert render_queue(by_token[normal]) == RENDER_QUEUE
    until_done(client, normal)
    assert state_of(client, large) == "queued"  # the render worker did not take it

    start_worker(app, queues=RENDER_LARGE_QUEUE)
    until_done(client, large)


def test_the_procfile_serves_every_queue():
    """The split workers of the Procfile together consume every queue a task can go to
    (a queue without a worker would keep its work forever); `worker` consumes all."""
    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    served = set()
    for name in ("render", "render_large", "mail"):
        (queues,) = re.findall(r"--queues=(\S+)", processes[name])
        served |= set(queues.split(","))
    assert served == set(QUEUES)
    assert "--queues" not in processes["worker"]
    assert processes["render_large"].startswith("nice -n 10 celery ")  # normal renders first
