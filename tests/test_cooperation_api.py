"""Cooperation through API v1 (issue 16): start a circulation, read state and history, the
parties answer by their link's token; refusals are documented JSON, never a 500."""

from __future__ import annotations

from helpers import render_now, submit

from toolbox.cooperation.models import Circulation
from toolbox.cooperation.tasks import finalize_circulation

EMAILS = ["klinik@example.org", "gruppe@example.org", "kontaktstelle@example.org"]


def test_circulation_through_the_api(app, client):
    token = submit(client, "kooperationsvereinbarung")
    render_now(app, token)
    url = f"/api/v1/submissions/{token}/circulation"
    assert client.get(url).status_code == 404  # not circulated yet
    bad = client.post(url, json={"emails": ["klinik@example.org"]})
    assert bad.status_code == 400 and "emails" in bad.get_json()["errors"]
    bad = client.post(url, json={"emails": [EMAILS[0], "kaputt", EMAILS[2]]})
    assert bad.status_code == 400 and "emails-1" in bad.get_json()["errors"]
    assert client.post(url, json=[]).status_code == 400
    started = client.post(url, json={"emails": EMAILS})
    assert started.status_code == 202, started.get_json()
    body = started.get_json()
    assert body["state"] == "open" and body["version"] == 1
    assert [p["email"] for p in body["parties"]] == EMAILS
    assert client.post(url, json={"emails": EMAILS}).status_code == 409

    with app.app_context():
        tokens = [i.token for i in Circulation.query.one().invitations]
    party = client.get(f"/api/v1/invitations/{tokens[0]}").get_json()
    assert party["you"]["state"] == "opened"
    assert all("email" not in p for p in party["parties"])  # no other party's address

    answer = f"/api/v1/invitations/{tokens[0]}/answer"
    refused = client.post(answer, json={"answer": "agree", "version": 1, "name": ""})
    assert refused.status_code == 400
    errors = refused.get_json()["errors"]
    assert errors["name"] == ["Bitte geben Sie Ihren vollständigen Namen ein."]
    assert "authorised" in errors
    assert client.post(answer, json={"answer": "vielleicht", "version": 1}).status_code == 400
    stale = client.post(
        answer,
        json={"answer": "agree", "version": 2, "name": "A", "function": "B", "authorised": True},
    )
    assert stale.status_code == 409 and "überholt" in stale.get_json()["error"]
    for index, invitation_token in enumerate(tokens):
        response = client.post(
            f"/api/v1/invitations/{invitation_token}/answer",
            json={
                "answer": "agree",
                "version": 1,
                "name": f"Person {index}",
                "function": "Leitung",
                "authorised": True,
            },
        )
        assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "completing"
    with app.app_context():
        finalize_circulation(Circulation.query.one().id)
    state = client.get(url).get_json()
    assert state["state"] == "completed"
    assert {d["format"] for d in state["documents"]} >= {"pdf", "docx"}
    assert [e["kind"] for e in state["history"]][:2] == ["circulated", "opened"]
    assert state["history"][-1]["kind"] == "completed"
    again = client.post(
        f"/api/v1/invitations/{tokens[0]}/answer",
        json={"answer": "change", "version": 1, "text": "x"},
    )
    assert again.status_code == 409 and "abgeschlossen" in again.get_json()["error"]
    assert client.get("/api/v1/invitations/unbekannt").status_code == 404


def test_unsigned_instrument_cannot_be_circulated(app, client):
    token = submit(client, "gruendungsprotokoll")
    response = client.post(
        f"/api/v1/submissions/{token}/circulation", json={"emails": ["a@example.org"]}
    )
    assert response.status_code == 409
    assert "keine Unterschriften" in response.get_json()["error"]
