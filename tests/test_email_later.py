"""An email address given after the fact: the private page and the API accept one when
the submission has none, check it like the form does, count it against the re-send limits,
and a real worker sends the documents to it over real SMTP."""

from __future__ import annotations

import time

import pytest
from conftest import wait_for_state
from helpers import csrf_token, submit

from toolbox.core.extensions import db
from toolbox.submissions.mail_limits import RESEND_DETAIL, RESENDS_TOTAL
from toolbox.submissions.models import Event, Submission

SLUG = "raumnutzung"
ADDRESS = "kontakt@selbsthilfe-westend.example.org"


def wait_for_mail(client, smtp_server, token: str, worker, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while client.get(f"/api/v1/submissions/{token}").get_json()["email"]["state"] != "sent":
        assert time.monotonic() < deadline, worker.log()[-2000:]
        time.sleep(0.1)
    [message] = smtp_server.parsed()
    return message


@pytest.mark.slow
def test_api_adds_an_address_and_the_mail_arrives(
    make_app, redis_server, smtp_server, start_worker
):
    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_server.url)
    worker = start_worker(app, TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    token = submit(client, slug=SLUG)
    assert wait_for_state(client, token)["state"] == "done"
    url = f"/api/v1/submissions/{token}/email"

    # without an address there is nothing to re-send, as before
    response = client.post(url)
    assert response.status_code == 409
    assert (
        response.get_json()["error"] == "Für diese Einreichung kann keine E-Mail gesendet werden."
    )
    # checked like the form's address, in German
    for bad, message in [
        ("keine-adresse", "Bitte eine gültige E-Mail-Adresse angeben."),
        ("a@example.org, b@example.org", "Bitte genau eine E-Mail-Adresse angeben."),
        ("  ", "Bitte eine E-Mail-Adresse angeben."),
    ]:
        response = client.post(url, json={"email": bad})
        assert response.status_code == 400
        assert response.get_json()["errors"]["email"][0] == message
    assert client.post(url, json={"email": 42}).status_code == 400
    assert client.post(url, json={"adresse": ADDRESS}).get_json()["errors"] == {
        "adresse": ["Unbekanntes Feld."]
    }

    response = client.post(url, json={"email": f"  {ADDRESS} "})
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["email"]["state"] == "pending"
    message = wait_for_mail(client, smtp_server, token, worker)
    assert message["To"] == ADDRESS
    names = [part.get_filename() for part in message.iter_attachments()]
    assert any(name.endswith(".pdf") for name in names), names

    # an address once given stays: a second one is refused
    response = client.post(url, json={"email": "andere@example.org"})
    assert response.status_code == 409
    assert "schon eine E-Mail-Adresse" in response.get_json()["error"]
    with app.app_context():
        submission = Submission.query.filter_by(token=token).one()
        assert submission.email == ADDRESS
        assert [e.detail for e in submission.events if e.kind == "email"][0] == (
            "Adresse nachgetragen"
        )
    assert ADDRESS not in worker.log()


@pytest.mark.slow
def test_private_page_adds_an_address_before_the_documents_are_done(
    make_app, redis_server, smtp_server, start_worker
):
    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    token = submit(client, slug=SLUG)  # no worker yet: the documents are still queued
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Dokumente per E-Mail erhalten" in page
    action = f'action="/s/{token}/email"'
    assert action in page

    response = client.post(
        f"/s/{token}/email", data={"csrf_token": csrf_token(page), "email": "x@"}
    )
    assert response.status_code == 422
    again = response.get_data(as_text=True)
    assert "Bitte eine gültige E-Mail-Adresse angeben." in again
    assert 'value="x@"' in again  # what was typed is kept

    response = client.post(
        f"/s/{token}/email", data={"csrf_token": csrf_token(again), "email": ADDRESS}
    )
    assert response.status_code == 303
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Die Dokumente werden per E-Mail geschickt, sobald sie fertig sind." in page
    assert action not in page  # the form is gone once there is an address

    worker = start_worker(app, TOOLBOX_SMTP_URL=smtp_server.url)
    assert wait_for_state(client, token)["state"] == "done"
    message = wait_for_mail(client, smtp_server, token, worker)
    assert message["To"] == ADDRESS
    time.sleep(1)
    assert len(smtp_server.messages) == 1


def test_adding_counts_against_the_resend_limits(app, client):
    token = submit(client, slug=SLUG)
    with app.app_context():
        submission = Submission.query.filter_by(token=token).one()
        for _ in range(RESENDS_TOTAL):
            db.session.add(
                Event(
                    submission_id=submission.id, kind="email", state="pending", detail=RESEND_DETAIL
                )
            )
        db.session.commit()
    response = client.post(f"/api/v1/submissions/{token}/email", json={"email": ADDRESS})
    assert response.status_code == 429
    assert "weitere Sendungen sind nicht möglich" in response.get_json()["error"]
    page = client.get(f"/s/{token}").get_data(as_text=True)
    response = client.post(
        f"/s/{token}/email", data={"csrf_token": csrf_token(page), "email": ADDRESS}
    )
    assert response.status_code == 429
    assert "weitere Sendungen sind nicht möglich" in response.get_data(as_text=True)
    with app.app_context():
        assert Submission.query.filter_by(token=token).one().email is None


def test_openapi_describes_the_address_body(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    post = doc["paths"]["/api/v1/submissions/{token}/email"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["email"]["format"] == "email"
    assert "400" in post["responses"]
