"""The JSON API contract of design.md."""

from __future__ import annotations

import pytest
from helpers import load_data

from toolbox.submissions.models import Job, Submission

SLUG = "kooperationsvereinbarung"


def post_submission(client, data, **extra):
    return client.post("/api/v1/submissions", json={"instrument": SLUG, "data": data, **extra})


def test_instruments_lists_fields_with_types(client):
    body = client.get("/api/v1/instruments").get_json()
    agreement = next(i for i in body if i["slug"] == SLUG)
    assert agreement["title"] == "Kooperationsvereinbarung"
    fields = {f["name"]: f for f in agreement["fields"]}
    parties = fields["parteien"]
    assert parties["type"] == "list" and parties["min_entries"] == 2 and parties["required"]
    assert {f["name"] for f in parties["fields"]} == {
        "rolle",
        "name",
        "rechtsform",
        "anschrift",
        "vertreten_durch",
    }
    assert fields["austausch"]["type"] == "choice"
    assert {c["value"] for c in fields["austausch"]["choices"]} == {
        "vierteljaehrlich",
        "halbjaehrlich",
        "jaehrlich",
    }
    assert fields["beginn"]["type"] == "date"
    assert fields["unabhaengigkeit"]["type"] == "boolean"
    types = {f["type"] for i in body for f in i["fields"]}
    assert types <= {
        "text",
        "textarea",
        "date",
        "time",
        "integer",
        "decimal",
        "choice",
        "multichoice",
        "boolean",
        "email",
        "list",
    }


def test_valid_submission_is_stored_and_queued(app, client):
    response = post_submission(client, load_data(SLUG))
    assert response.status_code == 202
    body = response.get_json()
    assert len(body["token"]) >= 43
    assert body["status_url"].endswith(f"/api/v1/submissions/{body['token']}")
    assert body["page_url"].endswith(f"/s/{body['token']}")
    with app.app_context():
        submission = Submission.query.filter_by(token=body["token"]).one()
        assert submission.payload["parteien"][1]["name"].startswith("Selbsthilfegruppe")
        assert submission.job.state == "queued"
    status = client.get(f"/api/v1/submissions/{body['token']}").get_json()
    assert status == {
        "state": "queued",
        "attempts": 0,
        "detail": "Ihre Dokumente werden gleich erstellt.",
        "instrument": SLUG,
        "created_at": status["created_at"],
        "documents": [],
        "email": {"state": "none"},
    }


def test_field_errors_use_form_names(client):
    data = load_data(SLUG)
    data["parteien"] = [data["parteien"][0]]
    data["naechste_ueberpruefung"] = "2026-01-01"
    del data["ziele"]
    response = post_submission(client, data)
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert errors["parteien"] == ["Bitte mindestens 2 Zeilen ausfüllen."]
    assert errors["parteien-1-name"] == ["Bitte ausfüllen."]
    assert errors["ziele"] == ["Bitte ausfüllen."]


def test_only_spaces_are_no_answer(client):
    """Required text is judged after stripping: blanks and line breaks do not count."""
    data = load_data(SLUG)
    data["parteien"][1]["name"] = "   "
    data["ziele"] = " \n\n "
    errors = post_submission(client, data).get_json()["errors"]
    assert errors == {"parteien-1-name": ["Bitte ausfüllen."], "ziele": ["Bitte ausfüllen."]}


def test_cross_field_rule_review_after_start(client):
    data = load_data(SLUG)
    data["naechste_ueberpruefung"] = data["beginn"]
    errors = post_submission(client, data).get_json()["errors"]
    assert errors == {
        "naechste_ueberpruefung": [
            "Die nächste Überprüfung muss nach dem Beginn der Zusammenarbeit liegen."
        ]
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"beginn": "31.02.2027"}, "beginn"),
        ({"beginn": 5}, "beginn"),
        ({"austausch": "taeglich"}, "austausch"),
        ({"leistungen_einrichtung": ["raeume", "erfunden"]}, "leistungen_einrichtung"),
        ({"leistungen_einrichtung": "raeume"}, "leistungen_einrichtung"),
        ({"unabhaengigkeit": "ja"}, "unabhaengigkeit"),
        ({"kuendigungsfrist_wochen": 500}, "kuendigungsfrist_wochen"),
        ({"kuendigungsfrist_wochen": "zwölf"}, "kuendigungsfrist_wochen"),
        ({"parteien": "zwei"}, "parteien"),
        ({"gibt_es_nicht": 1}, "gibt_es_nicht"),
        ({"ort": "Mün\ud800chen"}, "ort"),
        ({"ort": "x" * 5001}, "ort"),
        ({"laufzeit": "befristet"}, "befristet_bis"),
    ],
)
def test_invalid_values_are_field_errors(client, change, field):
    data = {**load_data(SLUG), **change}
    response = post_submission(client, data)
    assert response.status_code == 400
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize(
    "body",
    [None, [], "text", {"instrument": SLUG}, {"instrument": SLUG, "data": []}, {"x": 1}],
)
def test_malformed_bodies_are_400(client, body):
    if body is None:
        response = client.post(
            "/api/v1/submissions", data=b"{nope", content_type="application/json"
        )
    elif isinstance(body, dict) and "instrument" not in body:
        response = client.post("/api/v1/submissions", json={**body, "instrument": SLUG, "data": {}})
    else:
        response = client.post("/api/v1/submissions", json=body)
    assert response.status_code == 400
    assert "errors" in response.get_json()


def test_unknown_instrument_is_404(client):
    response = client.post("/api/v1/submissions", json={"instrument": "gibts-nicht", "data": {}})
    assert response.status_code == 404


def test_unknown_token_is_404(client):
    assert client.get("/api/v1/submissions/" + "x" * 43).status_code == 404


def test_too_large_body_is_413(client):
    response = client.post(
        "/api/v1/submissions",
        data=b'{"instrument":"' + b"x" * (2 * 1024 * 1024) + b'"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.is_json


def test_submission_survives_broker_outage(make_app):
    """Broker down: the submission is stored and stays queued for the sweeper."""
    app = make_app(broker_url="redis://127.0.0.1:9/0")  # nothing listens on port 9
    response = app.test_client().post(
        "/api/v1/submissions", json={"instrument": SLUG, "data": load_data(SLUG)}
    )
    assert response.status_code == 202
    with app.app_context():
        assert Job.query.one().state == "queued"


def test_row_errors_name_the_row_the_form_shows(client):
    """An empty spare row between filled ones is dropped; errors refer to the rows that
    remain, numbered from 0."""
    data = load_data(SLUG)
    blank = {"rolle": None, "name": "", "rechtsform": None, "anschrift": "", "vertreten_durch": ""}
    bad = {**data["parteien"][1], "vertreten_durch": ""}
    data["parteien"] = [data["parteien"][0], blank, bad]
    errors = post_submission(client, data).get_json()["errors"]
    assert errors == {"parteien-1-vertreten_durch": ["Bitte ausfüllen."]}
