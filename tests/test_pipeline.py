"""End to end with real processes: API → broker → celery worker → documents → download.

Runs on a private redis-server and on the embedded SQLite broker; nothing is mocked and
Celery is not in eager mode.
"""

from __future__ import annotations

import pytest
from conftest import wait_for_state
from helpers import docx_text, load_data, pdf_text, squash

SLUG = "kooperationsvereinbarung"
pytestmark = pytest.mark.slow


def run_submission(client) -> dict:
    response = client.post(
        "/api/v1/submissions", json={"instrument": SLUG, "data": load_data(SLUG)}
    )
    assert response.status_code == 202
    token = response.get_json()["token"]
    body = wait_for_state(client, token)
    body["token"] = token
    return body


def check_documents(client, body: dict) -> None:
    assert body["state"] == "done", body
    assert body["email"] == {"state": "none"}
    docs = {d["format"]: d for d in body["documents"]}
    assert set(docs) == {"docx", "pdf"}
    pdf = client.get(docs["pdf"]["url"])
    docx = client.get(docs["docx"]["url"])
    assert pdf.status_code == docx.status_code == 200
    assert len(pdf.data) == docs["pdf"]["size"]
    for text in (squash(pdf_text(pdf.data)), squash(docx_text(docx.data))):
        assert "Selbsthilfegruppe „Angst & Panik – Westend“" in text
        assert "§ 7 Laufzeit, Überprüfung, Kündigung" in text


def test_redis_broker_and_real_worker(make_app, redis_server, start_worker):
    app = make_app(broker_url=redis_server.url)
    worker = start_worker(app)
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"database": "ok", "broker": "ok"}
    body = run_submission(client)
    check_documents(client, body)
    assert body["seen"][-1] == "done"
    assert "job 1 done" in worker.log()


def test_embedded_broker_and_real_worker(make_app, start_worker):
    app = make_app()  # the default: SQLite broker in the data directory
    assert app.config["TOOLBOX_BROKER_URL"].startswith("sqla+sqlite:///")
    start_worker(app)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    check_documents(client, run_submission(client))


def test_healthz_reports_broker_down(make_app, redis_server):
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok" and body["broker"].startswith("error")


def test_job_queued_while_broker_down_completes_later(make_app, redis_server, start_worker):
    """The submission is kept while the broker is away; re-enqueueing finishes it."""
    from toolbox.submissions.models import Job
    from toolbox.submissions.service import enqueue

    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    redis_server.stop()
    response = client.post(
        "/api/v1/submissions", json={"instrument": SLUG, "data": load_data(SLUG)}
    )
    assert response.status_code == 202
    token = response.get_json()["token"]
    assert client.get(f"/api/v1/submissions/{token}").get_json()["state"] == "queued"
    redis_server.start()
    start_worker(app)
    with app.app_context():
        assert enqueue(Job.query.one().id)
    check_documents(client, wait_for_state(client, token))
