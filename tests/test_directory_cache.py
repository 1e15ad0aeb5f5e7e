"""The directory downloads (/ansprechpersonen/verzeichnis.pdf|docx) never render in the
web process: a worker pre-renders them when the directory changes (or the sweeper finds
the render missing or stale), the web serves the newest render with an ETag (304 on
If-None-Match), answers 503 + Retry-After until the first exists, and is rate limited."""

from __future__ import annotations

import time

import pytest
from helpers import CONTACTS_CSV, pdf_text

from toolbox.contacts.models import Contact
from toolbox.contacts.service import import_csv, save_contact
from toolbox.core.extensions import db
from toolbox.documents.render import Renderer
from toolbox.ops.sweeper import sweep

URL = "/ansprechpersonen/verzeichnis.pdf"


@pytest.fixture
def web_cannot_render(monkeypatch):
    """The renderer, in this (the web's) process, fails the test if it is ever called;
    the worker is a separate process with the real one."""

    def refuse(*args, **kwargs):
        raise AssertionError("the web process rendered a document")

    monkeypatch.setattr(Renderer, "render", refuse)


def wait_for(client, url: str, condition, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(url)
        if condition(response):
            return response
        time.sleep(0.2)
    raise TimeoutError(f"{url}: last answer {response.status_code}")


@pytest.mark.slow
def test_worker_renders_the_directory_and_a_change_gives_a_new_etag(
    make_app, redis_server, start_worker, web_cannot_render
):
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    with app.app_context():
        import_csv(CONTACTS_CSV)  # enqueues a rebuild; no worker runs yet

    pending = client.get(URL)
    assert pending.status_code == 503
    assert int(pending.headers["Retry-After"]) > 0
    assert "wird gerade als Dokument erstellt" in pending.get_data(as_text=True)

    worker = start_worker(app)
    first = wait_for(client, URL, lambda r: r.status_code == 200)
    assert "Landesarbeitsgemeinschaft" in pdf_text(first.data)
    etag = first.headers["ETag"]
    assert etag and first.headers["Content-Disposition"].startswith("attachment")
    unchanged = client.get(URL, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert client.get("/ansprechpersonen/verzeichnis.docx").status_code == 200

    with app.app_context():
        save_contact(None, {"organisation": "Gruppe Neu-Zaunkoenig", "typ": "kontaktstelle"})
    # while the worker renders, the previous version is served (never a render here)
    meanwhile = client.get(URL)
    assert meanwhile.status_code == 200
    changed = wait_for(client, URL, lambda r: r.headers.get("ETag") not in (None, etag))
    assert "Neu-Zaunkoenig" in pdf_text(changed.data), worker.log()[-2000:]
    assert client.get(URL, headers={"If-None-Match": etag}).status_code == 200


@pytest.mark.slow
def test_sweeper_rebuilds_a_missing_directory(
    make_app, redis_server, start_worker, web_cannot_render
):
    app = make_app(broker_url=redis_server.url)
    client = app.test_client()
    with app.app_context():
        db.session.add(Contact(organisation="Kontaktstelle Sweeper", typ="kontaktstelle"))
        db.session.commit()  # written past the service: nobody asked for a rebuild

    start_worker(app)
    with app.app_context():
        sweep()
    response = wait_for(client, URL, lambda r: r.status_code == 200)
    assert "Kontaktstelle Sweeper" in pdf_text(response.data)


def test_directory_downloads_are_rate_limited(make_app, web_cannot_render):
    app = make_app(TOOLBOX_DIRECTORY_RATE_LIMIT="3 per minute", RATELIMIT_ENABLED=True)
    client = app.test_client()
    answers = [client.get(URL).status_code for _ in range(4)]
    assert answers[:3] == [503, 503, 503]
    assert answers[3] == 429
