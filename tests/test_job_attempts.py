"""A failing job does not look like a slow one: after an interrupted attempt the private
page and the status say which attempt runs and that it is being retried (issue 19.10)."""

from __future__ import annotations

import re

from helpers import make_stuck, submit

from toolbox.core.extensions import db
from toolbox.ops.sweeper import sweep
from toolbox.submissions.models import Job


def detail(client, token: str) -> str:
    html = client.get(f"/s/{token}").get_data(as_text=True)
    match = re.search(r'<p id="status-detail"[^>]*>(.*?)</p>', html, re.S)
    return " ".join(match.group(1).split())


def test_private_page_says_the_job_is_retried(app, client):
    token = submit(client)
    assert detail(client, token) == "Ihre Dokumente werden gleich erstellt."
    make_stuck(app, attempts=1)  # the worker died during the first attempt
    with app.app_context():
        assert sweep()["recovered"] == 1
    text = detail(client, token)
    assert text.startswith("Versuch 2 von 3: Der vorige Versuch wurde unterbrochen")
    assert "wird wiederholt" in text and "in etwa 5 Minuten" in text
    status = client.get(f"/api/v1/submissions/{token}").get_json()
    assert status["state"] == "queued" and status["attempts"] == 1
    assert status["detail"] == text

    with app.app_context():  # the second attempt runs
        job = Job.query.one()
        job.state, job.attempts = "running", 2
        db.session.commit()
    assert detail(client, token).startswith("Versuch 2 von 3:")
    with app.app_context():
        job = Job.query.one()
        job.attempts = 3
        db.session.commit()
    assert detail(client, token).startswith("Versuch 3 von 3:")
    assert "in etwa 3 Minuten" in detail(client, token)


def test_first_attempt_is_not_called_a_retry(app, client):
    token = submit(client)
    with app.app_context():
        job = Job.query.one()
        job.state, job.attempts = "running", 1
        db.session.commit()
    assert detail(client, token) == "Ihre Dokumente werden gerade erstellt."
    assert "Versuch" not in client.get(f"/api/v1/submissions/{token}").get_json()["detail"]
