"""Cooperation (issue 16) end to end through the queue: a real Redis, a real Celery worker
and a real SMTP server (aiosmtpd). The worker renders the documents, sends the
invitations, renders the final documents once the parties agreed and sends them."""

from __future__ import annotations

import re
import time

from conftest import wait_for_state
from helpers import csrf_token, form_submit, load_data, page_token, pdf_text, squash
from markupsafe import escape

from toolbox.cooperation.models import Circulation

SLUG = "raumnutzung"
LINK = re.compile(r"https?://[^\s]+/z/([A-Za-z0-9_-]{43})")


def wait_for_messages(smtp_server, count: int, timeout: float = 60) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(smtp_server.messages) >= count:
            return smtp_server.parsed()
        time.sleep(0.1)
    raise TimeoutError(f"{len(smtp_server.messages)} of {count} messages arrived")


def test_two_parties_agree_through_the_worker(make_app, redis_server, start_worker, smtp_server):
    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_server.url)
    start_worker(app, TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    data = load_data(SLUG)
    token = form_submit(client, SLUG, data)
    assert wait_for_state(client, token)["state"] == "done"

    url = f"/s/{token}/abstimmung"
    form = client.get(url).get_data(as_text=True)
    for party_name in (data["raumgeber"], data["gruppe"]):
        assert f"E-Mail für {escape(party_name)}" in form
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(form),
            "email-0": "raum@example.org",
            "email-1": "gruppe@example.org",
        },
    )
    assert response.status_code == 303
    invitations = wait_for_messages(smtp_server, 2)
    links = {
        m["To"]: LINK.search(m.get_body(("plain",)).get_content()).group(1) for m in invitations
    }
    assert set(links) == {"raum@example.org", "gruppe@example.org"}

    for address, (name, function) in zip(
        ("raum@example.org", "gruppe@example.org"),
        (("Petra Raumgeber", "Hausleitung"), ("Jonas Gruppe", "Gruppensprecher")),
        strict=True,
    ):
        party = app.test_client()
        link = links[address]
        response = party.post(
            f"/z/{link}/zustimmen",
            data={
                "csrf_token": page_token(party, f"/z/{link}"),
                "name": name,
                "function": function,
                "authorised": "ja",
                "version": "1",
            },
        )
        assert response.status_code == 303

    finals = wait_for_messages(smtp_server, 4)[2:]
    assert {m["To"] for m in finals} == {"raum@example.org", "gruppe@example.org"}
    assert all(m["Subject"].startswith("Endfassung") for m in finals)
    pdf = next(
        p.get_content()
        for p in finals[0].iter_attachments()
        if p.get_content_type() == "application/pdf"
    )
    text = squash(pdf_text(pdf))
    assert "Zustimmungsnachweis" in text and "Endfassung, Version 1" in text
    assert "Petra Raumgeber" in text and "Jonas Gruppe" in text
    with app.app_context():
        assert Circulation.query.one().state == "completed"
    page = app.test_client().get(f"/z/{links['raum@example.org']}").get_data(as_text=True)
    assert "Endfassung als PDF herunterladen" in page
