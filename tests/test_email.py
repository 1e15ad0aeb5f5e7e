"""Email delivery over real SMTP (aiosmtpd started by the tests): attachments, honest
states, retries, permanent failures, at most one message per request."""

from __future__ import annotations

import email
import smtplib
import time
from email import policy

import pytest
from conftest import wait_for_state
from helpers import csrf_token, load_data, render_now, submit

from toolbox.core.mail import TransientMailError
from toolbox.submissions.models import Job, Submission
from toolbox.submissions.tasks import send_documents

SLUG = "kooperationsvereinbarung"
ADDRESS = "selbsthilfe@klinikum-westpark.example.org"


def email_state(client, token) -> dict:
    return client.get(f"/api/v1/submissions/{token}").get_json()["email"]


def test_delivers_documents_with_german_headers(make_app, smtp_server):
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url, TOOLBOX_BASE_URL="https://toolbox.example.org")
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    assert email_state(client, token)["state"] == "pending"
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)
    [msg] = smtp_server.parsed()
    assert msg["To"] == ADDRESS
    assert msg["Subject"] == (
        "Ihre Dokumente: Kooperationsvereinbarung – Selbsthilfegruppe „Angst & Panik – Westend“"
    )
    assert msg["Message-ID"].endswith("@toolbox>")
    raw = smtp_server.messages[0].decode("ascii")  # a real message is 7-bit clean on the wire
    assert "=?utf-8?" in raw
    names = sorted(part.get_filename() for part in msg.iter_attachments())
    assert names == [
        "2026-11-22_Kooperationsvereinbarung_Selbsthilfegruppe-Angst-Panik-Westend.docx".replace(
            "2026-11-22", names[0][:10]
        ),
        "2026-11-22_Kooperationsvereinbarung_Selbsthilfegruppe-Angst-Panik-Westend.pdf".replace(
            "2026-11-22", names[0][:10]
        ),
    ]
    pdf = next(p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf")
    assert pdf.get_content().startswith(b"%PDF")
    text = msg.get_body(("plain",)).get_content()
    assert f"https://toolbox.example.org/s/{token}" in text
    assert "im Anhang" in text
    html = msg.get_body(("html",)).get_content()
    assert f'href="https://toolbox.example.org/s/{token}"' in html
    state = email_state(client, token)
    assert state["state"] == "sent" and state["transport"] == "smtp" and state["attempts"] == 1


def test_running_the_task_twice_sends_once(make_app, smtp_server):
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)
        send_documents(submission_id)
    assert len(smtp_server.messages) == 1


def test_temporary_rejection_is_retried_later(make_app, smtp_server):
    smtp_server.reply = "451 4.3.0 Bitte später noch einmal"
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    submission_id = render_now(app, token)
    with app.app_context(), pytest.raises(TransientMailError):
        send_documents(submission_id)  # called directly, the retry surfaces as the error
    state = email_state(client, token)
    assert state["state"] == "pending" and state["attempts"] == 1
    assert "451" in state["error"]
    smtp_server.reply = None
    with app.app_context():
        send_documents(submission_id)
    assert len(smtp_server.messages) == 1
    assert email_state(client, token)["state"] == "sent"


def test_permanent_rejection_fails_at_once_documents_stay(make_app, smtp_server):
    smtp_server.reply = "550 5.1.1 Postfach unbekannt"
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)
    state = email_state(client, token)
    assert state["state"] == "failed"
    assert state["error"] == "Mailserver antwortete 550 5.1.1 Postfach unbekannt"
    assert smtp_server.messages == []
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "konnte nicht zugestellt werden" in page
    assert client.get(f"/s/{token}/dokumente/pdf").status_code == 200

    # a failed email can be sent again, as a new message
    smtp_server.reply = None
    response = client.post(f"/api/v1/submissions/{token}/email")
    assert response.status_code == 202
    with app.app_context():
        send_documents(submission_id)
    assert len(smtp_server.messages) == 1
    assert email_state(client, token)["state"] == "sent"
    assert client.post(f"/api/v1/submissions/{'x' * 43}/email").status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "a@example.org, b@example.org",
        "a@example.org;b@example.org",
        "a@example.org\r\nBcc: c@example.org",
        "a@example.org\nSubject: x",
        "kein-at-zeichen",
        "a@example.org b@example.org",
    ],
)
def test_header_injection_and_lists_are_refused(client, address):
    response = client.post(
        "/api/v1/submissions", json={"instrument": SLUG, "data": load_data(SLUG), "email": address}
    )
    assert response.status_code == 400
    assert "email" in response.get_json()["errors"]


def test_browser_form_refuses_two_addresses(client):

    html = client.get(f"/instrumente/{SLUG}").get_data(as_text=True)
    assert "Dokumente per E-Mail an" in html
    token = csrf_token(html)
    response = client.post(
        f"/instrumente/{SLUG}",
        data={"csrf_token": token, "email": "a@example.org, b@example.org", "action": "submit"},
    )
    page = response.get_data(as_text=True)
    assert "Bitte genau eine E-Mail-Adresse angeben." in page
    assert 'value="a@example.org, b@example.org"' in page


def test_oversized_attachments_send_the_link_only(make_app, smtp_server):
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url, TOOLBOX_MAIL_MAX_ATTACHMENT_BYTES=1000)
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)
    [msg] = smtp_server.parsed()
    assert list(msg.iter_attachments()) == []
    text = msg.get_body(("plain",)).get_content()
    assert "nicht angehängt" in text and f"/s/{token}" in text


def test_without_smtp_the_message_goes_to_the_outbox(make_app, data_dir):
    app = make_app()
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)
    [eml] = list((data_dir / "outbox").glob("*.eml"))
    raw = eml.read_bytes()
    assert raw.isascii() and b"\r\n" in raw
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert "„Angst & Panik – Westend“" in msg["Subject"]
    assert len(list(msg.iter_attachments())) == 2
    state = email_state(client, token)
    assert state["state"] == "sent" and state["transport"] == "outbox"
    assert "Postausgang" in client.get(f"/s/{token}").get_data(as_text=True)


def test_guard_refuses_servers_the_test_did_not_start():
    with pytest.raises(pytest.fail.Exception, match="did not start"):
        smtplib.SMTP("127.0.0.1", 25, timeout=1)


# --- with a real worker and broker ---------------------------------------------------------


@pytest.mark.slow
def test_server_down_then_up_delivers_exactly_once(make_app, redis_server, smtp_port, start_worker):
    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_port.url)
    worker = start_worker(app, TOOLBOX_SMTP_URL=smtp_port.url)
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    assert wait_for_state(client, token)["state"] == "done"
    deadline = time.monotonic() + 30
    while email_state(client, token).get("attempts", 0) < 2:
        assert time.monotonic() < deadline, worker.log()[-2000:]
        time.sleep(0.1)
    state = email_state(client, token)
    assert state["state"] == "pending" and "nicht erreichbar" in state["error"]
    smtp_port.start()
    deadline = time.monotonic() + 60
    while email_state(client, token)["state"] != "sent":
        assert time.monotonic() < deadline, worker.log()[-2000:]
        time.sleep(0.1)
    time.sleep(1)
    assert len(smtp_port.messages) == 1
    assert ADDRESS not in worker.log()  # no addresses in logs


@pytest.mark.slow
def test_duplicate_task_messages_send_once(make_app, redis_server, smtp_server, start_worker):
    from toolbox.submissions.delivery import enqueue_email

    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_server.url)
    start_worker(app, concurrency=2, TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    token = submit(client, email=ADDRESS)
    assert wait_for_state(client, token)["state"] == "done"
    with app.app_context():
        submission_id = Submission.query.filter_by(token=token).one().id
        for _ in range(3):
            enqueue_email(submission_id)
    deadline = time.monotonic() + 30
    while email_state(client, token)["state"] != "sent":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(1.5)
    assert len(smtp_server.messages) == 1
    with app.app_context():
        assert Job.query.one().state == "done"
