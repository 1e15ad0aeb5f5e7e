"""Abuse resistance (issue 14): what an anonymous client can make the service do within
the documented limits – mail to strangers, counting that holds across processes."""

from __future__ import annotations

from datetime import timedelta

from helpers import page_token, post_action, render_now, request_and_build, submit

from toolbox.core.extensions import db
from toolbox.submissions.models import Event
from toolbox.submissions.tasks import send_documents

STRANGER = "fremde-person@example.org"


def outbox_count(data_dir) -> int:
    return len(list((data_dir / "outbox").glob("*.eml")))


def sent_submission(app, client) -> tuple[str, int]:
    token = submit(client, email=STRANGER)
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)
    return token, submission_id


def age_resend_requests(app, submission_id: int, hours: float) -> None:
    with app.app_context():
        for event in Event.query.filter_by(submission_id=submission_id, kind="email"):
            event.at -= timedelta(hours=hours)
        db.session.commit()


def test_resends_are_limited_per_submission(make_app, data_dir):
    app = make_app(TOOLBOX_RESEND_RATE_LIMIT="1000 per hour")  # this test is about one link
    client = app.test_client()
    token, submission_id = sent_submission(app, client)
    url = f"/api/v1/submissions/{token}/email"
    answers = []
    for _ in range(60):
        response = client.post(url)
        answers.append(response.status_code)
        if response.status_code == 202:
            with app.app_context():
                send_documents(submission_id)
    assert answers[:3] == [202, 202, 202]
    assert set(answers[3:]) == {429}
    refusal = client.post(url).get_json()["error"]
    assert "in der letzten Stunde schon 3-mal erneut angefordert" in refusal
    assert outbox_count(data_dir) == 1 + 3

    # an hour later three more, and so on – but never more than ten in all
    for _ in range(4):
        age_resend_requests(app, submission_id, hours=1.1)
        for _ in range(3):
            if client.post(url).status_code == 202:
                with app.app_context():
                    send_documents(submission_id)
    assert outbox_count(data_dir) == 1 + 10
    response = client.post(url)
    assert response.status_code == 429
    assert "weitere Sendungen sind nicht möglich" in response.get_json()["error"]
    # the documents stay available
    assert client.get(f"/s/{token}/dokumente/pdf").status_code == 200


def test_resends_are_limited_per_client(make_app, data_dir):
    app = make_app(TOOLBOX_RESEND_RATE_LIMIT="2 per hour")
    client = app.test_client()
    tokens = [sent_submission(app, client)[0] for _ in range(3)]
    assert client.post(f"/api/v1/submissions/{tokens[0]}/email").status_code == 202
    assert client.post(f"/api/v1/submissions/{tokens[1]}/email").status_code == 202
    response = client.post(f"/api/v1/submissions/{tokens[2]}/email")
    assert response.status_code == 429
    assert response.get_json()["error"].startswith("Zu viele Anfragen")
    other = {"REMOTE_ADDR": "192.0.2.7"}
    response = client.post(f"/api/v1/submissions/{tokens[2]}/email", environ_base=other)
    assert response.status_code == 202


def test_dashboard_resend_has_the_same_per_submission_limit(app, client, admin, data_dir):  # noqa: F811
    _token, submission_id = sent_submission(app, client)
    for _ in range(3):
        post_action(admin, submission_id, "email")
        with app.app_context():
            send_documents(submission_id)
    response = post_action(admin, submission_id, "email")
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "in der letzten Stunde schon 3-mal erneut angefordert" in html
    assert outbox_count(data_dir) == 1 + 3


def test_kit_email_is_limited_per_account(app, facilitator, workshop, smtp_server):  # noqa: F811
    request_and_build(app, facilitator, workshop)
    app.config["TOOLBOX_SMTP_URL"] = smtp_server.url
    app.config["TOOLBOX_ACCOUNT_MAIL_RATE_LIMIT"] = "2 per hour"
    base = f"/dashboard/workshops/{workshop}"
    for _ in range(5):
        facilitator.post(f"{base}/kit/email", data={"csrf_token": page_token(facilitator, base)})
    assert len(smtp_server.messages) == 2
    page = facilitator.get(base).get_data(as_text=True)
    assert "Sie haben in kurzer Zeit schon viele E-Mails angefordert (höchstens 2)" in page


def test_openapi_documents_the_resend_limits(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    resend = doc["paths"]["/api/v1/submissions/{token}/email"]["post"]
    assert {"202", "404", "409", "429"} <= set(resend["responses"])
    assert "3-mal pro Stunde" in resend["description"]
