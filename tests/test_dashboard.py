"""The facilitators' dashboard: what it shows to whom, its filters, the live endpoint and
the actions (retry, re-send, delete), with real renders, a real worker and real SMTP."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from helpers import ids_of, load_data, logged_in, page_token, post_action, render_now, submit
from sqlalchemy import MetaData, event, text

from toolbox.accounts.models import User
from toolbox.core.extensions import db
from toolbox.instruments.registry import get_instrument
from toolbox.submissions.models import Deletion, Document, Event, Job, Submission
from toolbox.submissions.service import create_submission
from toolbox.submissions.tasks import render_job, send_documents

SLUG = "kooperationsvereinbarung"
MARKER = "Gruppe Zitronenfalter-7f3a"
TIMING = re.compile(r"^\d+,\d s$")


def payload(name: str = MARKER) -> dict:
    data = load_data(SLUG)
    data["parteien"][1]["name"] = name
    return data


def broken_submission(app) -> int:
    """A stored payload the renderer cannot read (as an older form version might have
    left behind): its job fails for real, without any mocking."""
    data = payload()
    data["beginn"] = "kein Datum"
    with app.app_context():
        submission = create_submission(get_instrument(SLUG), data)
        render_job.run(submission.job.id)
        assert submission.job.state == "failed"
        return submission.id


def status(client, *ids, **filters) -> dict:
    query = {"ids": ",".join(str(i) for i in ids), **filters}
    response = client.get("/dashboard/status.json", query_string=query)
    assert response.status_code == 200
    return response.get_json()


def rows_by_id(body: dict) -> dict:
    return {row["id"]: row for row in body["rows"]}


def table_rows(html: str) -> list[str]:
    return re.findall(r'<tr id="s-(\d+)"', html)


# --- who sees what -------------------------------------------------------------------------


def test_admin_sees_all_facilitator_sees_none_of_the_unassigned(app, client, admin, facilitator):
    tokens = [submit(client, data=payload()) for _ in range(2)]
    submission_id, _ = ids_of(app, tokens[0])
    html = admin.get("/dashboard").get_data(as_text=True)
    assert len(table_rows(html)) == 2
    assert admin.get(f"/dashboard/einreichungen/{submission_id}").status_code == 200

    html = facilitator.get("/dashboard").get_data(as_text=True)
    assert table_rows(html) == []
    assert "Noch keine Einreichungen aus Ihren Workshops." in html
    assert facilitator.get(f"/dashboard/einreichungen/{submission_id}").status_code == 404
    assert facilitator.get(f"/dashboard/einreichungen/{submission_id}/loeschen").status_code == 404
    body = status(facilitator, submission_id)
    assert body["rows"] == [] and sum(body["counts"].values()) == 0
    token = page_token(facilitator, "/dashboard")
    for action in ("wiederholen", "email", "loeschen"):
        response = facilitator.post(
            f"/dashboard/einreichungen/{submission_id}/{action}",
            data={"csrf_token": token, "confirm": "ja"},
        )
        assert response.status_code == 404, action
    with app.app_context():
        assert Submission.query.count() == 2


def test_unknown_submission_is_404(admin):
    assert admin.get("/dashboard/einreichungen/999").status_code == 404


# --- the table -----------------------------------------------------------------------------


def test_table_shows_states_timings_email_and_documents(app, client, admin):
    done_token = submit(client, data=payload(), email="gruppe@example.org")
    render_now(app, done_token)
    queued_token = submit(client, data=payload("Gruppe Wartend"))
    failed_id = broken_submission(app)

    html = admin.get("/dashboard").get_data(as_text=True)
    assert len(table_rows(html)) == 3
    # newest first
    assert table_rows(html)[0] == str(failed_id)
    for header in ("Einreichung", "Eingegangen", "Stand", "Wartezeit", "Erstellungszeit"):
        assert f'<th scope="col">{header}</th>' in html
    assert 'th scope="col">Workshop</th>' in html
    for label in ("In Warteschlange", "Fertig", "Fehlgeschlagen"):
        assert f">{label}</span>" in html
    assert f'<tr id="s-{failed_id}"' in html and "state-row-failed" in html
    assert f'href="/s/{done_token}/dokumente/pdf"' in html
    assert f'href="/s/{done_token}/dokumente/docx"' in html
    assert ">ausstehend</span>" in html and ">keine</span>" in html
    assert "Gruppe Wartend" in html

    done_id, _ = ids_of(app, done_token)
    queued_id, _ = ids_of(app, queued_token)
    rows = rows_by_id(status(admin, done_id, queued_id, failed_id))
    assert TIMING.match(rows[done_id]["queue_wait"]) and TIMING.match(rows[done_id]["render_time"])
    assert rows[done_id]["state_label"] == "Fertig"
    assert rows[queued_id]["queue_wait"] == "–" and rows[queued_id]["render_time"] == "–"
    assert rows[failed_id]["state"] == "failed"
    assert [d["format"] for d in rows[done_id]["documents"]] == ["docx", "pdf"]
    assert f">{rows[done_id]['queue_wait']}</td>" in html

    counts = re.findall(r'data-count="(\w+)">(\d+)<', html)
    assert dict(counts) == {"queued": "1", "running": "0", "done": "1", "failed": "1"}


def test_filters(app, client, admin):
    first = submit(client, data=payload("Gruppe Eins"), email="eins@example.org")
    render_now(app, first)
    submit(client, data=payload("Gruppe Zwei"))
    failed_id = broken_submission(app)

    def rows(**args):
        return len(table_rows(admin.get("/dashboard", query_string=args).get_data(as_text=True)))

    assert rows() == 3
    assert rows(state="done") == 1 and rows(state="failed") == 1 and rows(state="queued") == 1
    assert rows(email="pending") == 1 and rows(email="none") == 2
    assert rows(q="zwei") == 1  # short name, any case
    assert rows(q="kooperationsverein") == 3  # instrument title
    assert rows(q="%") == 0  # no wildcards
    assert rows(instrument=SLUG) == 3 and rows(instrument="reflexion") == 0
    with app.app_context():
        db.session.execute(
            text("UPDATE submission SET created_at = '2026-01-10 12:00:00' WHERE id = :id"),
            {"id": failed_id},
        )
        db.session.commit()
    assert rows(**{"from": "2026-01-10", "to": "2026-01-10"}) == 1
    assert rows(**{"from": "2026-01-11"}) == 2
    assert rows(to="10.01.2026") == 1  # typed German date
    html = admin.get("/dashboard?from=gestern").get_data(as_text=True)
    assert "„Von“ ist kein gültiges Datum" in html and len(table_rows(html)) == 3
    # counters ignore the state filter, so they still tell the whole picture
    html = admin.get("/dashboard?state=failed").get_data(as_text=True)
    assert 'data-count="done">1<' in html and 'data-count="queued">1<' in html


def test_pagination_and_no_n_plus_one(app, client, admin):
    with app.app_context():
        instrument = get_instrument(SLUG)
        for i in range(30):
            create_submission(instrument, payload(f"Gruppe {i:02d}"))
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        first = admin.get("/dashboard").get_data(as_text=True)
        on_first_page = len(statements)
        statements.clear()
        second = admin.get("/dashboard?page=2").get_data(as_text=True)
        on_second_page = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(table_rows(first)) == 25 and len(table_rows(second)) == 5
    assert "Gruppe 29" in first and "Gruppe 00" in second
    assert "Seite 1 von 2" in first and 'rel="next"' in first
    # 25 rows cost no more queries than 5
    assert on_first_page == on_second_page <= 8


# --- the detail page -----------------------------------------------------------------------


def test_detail_shows_timeline_documents_and_data(app, client, admin):
    token = submit(client, data=payload(), email="gruppe@example.org")
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)  # no SMTP configured: to the outbox
    html = admin.get(f"/dashboard/einreichungen/{submission_id}").get_data(as_text=True)
    for label in (
        "In Warteschlange",
        "Erstellung begonnen",
        "Dokumente fertig",
        "E-Mail ausstehend",
        "E-Mail gesendet",
    ):
        assert f"<strong>{label}</strong>" in html, label
    assert "im Postausgang abgelegt" in html
    assert re.search(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d", html)
    assert f'href="/s/{token}/dokumente/pdf"' in html
    assert "(1 Versuch)" in html
    # the data as submitted, with the instrument's labels and display values
    assert "<dt>Parteien der Vereinbarung</dt>" in html and "Partei 2" in html
    assert MARKER in html
    assert "1. Februar 2027" in html  # beginn, as a German date
    assert "Selbsthilfegruppe/-organisation" in html  # a choice label, not its value
    assert "E-Mail noch einmal senden" in html
    assert "Dokumente erneut erstellen" not in html


def test_detail_of_a_failed_job_shows_the_error_and_the_raw_value(app, admin):
    submission_id = broken_submission(app)
    html = admin.get(f"/dashboard/einreichungen/{submission_id}").get_data(as_text=True)
    assert "Fehler beim Erstellen" in html
    assert "ValueError" in html and "kein Datum" in html
    assert "<strong>Erstellung fehlgeschlagen</strong>" in html
    assert "nicht lesbar für dieses Instrument" in html
    assert "Dokumente erneut erstellen" in html


# --- actions -------------------------------------------------------------------------------


def test_retry_puts_a_failed_job_back_in_the_queue(app, admin):
    submission_id = broken_submission(app)
    response = post_action(admin, submission_id, "wiederholen")
    assert response.status_code == 303
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die Dokumente werden noch einmal erstellt." in html
    assert "erneut angestoßen" in html
    with app.app_context():
        job = Job.query.filter_by(submission_id=submission_id).one()
        assert job.state == "queued" and job.started_at is None and job.attempts == 1
        # the stored data is repaired (here by hand); the retried job now succeeds
        submission = db.session.get(Submission, submission_id)
        submission.payload_json = json.dumps(payload(), ensure_ascii=False)
        db.session.commit()
        render_job.run(job.id)
        assert job.state == "done" and job.attempts == 2
    assert rows_by_id(status(admin, submission_id))[submission_id]["state"] == "done"


def test_retry_refuses_jobs_that_did_not_fail(app, client, admin):
    submission_id, _ = ids_of(app, submit(client, data=payload()))
    response = post_action(admin, submission_id, "wiederholen")
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nur fehlgeschlagene Aufträge können wiederholt werden." in html


def test_actions_need_csrf(app, admin):
    submission_id = broken_submission(app)
    url = f"/dashboard/einreichungen/{submission_id}"
    assert admin.post(f"{url}/wiederholen").status_code == 400
    assert admin.post(f"{url}/loeschen", data={"confirm": "ja"}).status_code == 400
    with app.app_context():
        assert db.session.get(Submission, submission_id).job.state == "failed"


def test_resend_requests_a_new_message(app, client, admin, data_dir):
    token = submit(client, data=payload(), email="gruppe@example.org")
    submission_id = render_now(app, token)
    with app.app_context():
        send_documents(submission_id)
    response = post_action(admin, submission_id, "email")
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "Die E-Mail wird noch einmal gesendet." in html
    assert "erneut angefordert" in html
    with app.app_context():
        assert db.session.get(Submission, submission_id).email_state == "pending"
        send_documents(submission_id)
        assert db.session.get(Submission, submission_id).email_state == "sent"
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 2

    without_email, _ = ids_of(app, submit(client, data=payload()))
    response = post_action(admin, without_email, "email")
    html = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "kann gerade keine E-Mail gesendet werden" in html


def database_bytes(app) -> bytes:
    """SQLite: the database file and its log as stored on disk. PostgreSQL (which frees
    deleted rows only at VACUUM, see docs/DEPLOYMENT.md): every value of every row."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        path = Path(uri.removeprefix("sqlite:///"))
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(p.read_bytes() for p in files if p.exists())
    with app.app_context():
        tables = MetaData()
        tables.reflect(bind=db.engine)
        return b"\n".join(
            value if isinstance(value, bytes) else str(value).encode()
            for t in tables.sorted_tables
            for row in db.session.execute(t.select())
            for value in row
        )


def all_rows_text(app) -> str:
    with app.app_context():
        tables = MetaData()
        tables.reflect(bind=db.engine)
        return "\n".join(
            repr(row) for t in tables.sorted_tables for row in db.session.execute(t.select())
        )


def test_delete_asks_first_then_removes_everything(app, client, admin):
    token = submit(client, data=payload(), email="zitronenfalter@example.org")
    submission_id = render_now(app, token)
    other = submit(client, data=payload("Gruppe Bleibt"))
    with app.app_context():
        pdf = Document.query.filter_by(submission_id=submission_id, format="pdf").one().content
    sample = pdf[len(pdf) // 2 : len(pdf) // 2 + 64]
    assert MARKER.encode() in database_bytes(app) and sample in database_bytes(app)

    url = f"/dashboard/einreichungen/{submission_id}/loeschen"
    page = admin.get(url).get_data(as_text=True)
    assert "endgültig löschen" in page and 'name="confirm"' in page
    response = post_action(admin, submission_id, "loeschen")  # not confirmed
    assert response.status_code == 400
    assert "Bitte bestätigen Sie" in response.get_data(as_text=True)

    response = post_action(admin, submission_id, "loeschen", confirm="ja")
    assert response.status_code == 303 and response.headers["Location"] == "/dashboard"
    assert "wurde mit allen Dokumenten gelöscht" in admin.get("/dashboard").get_data(as_text=True)

    with app.app_context():
        assert db.session.get(Submission, submission_id) is None
        for model in (Job, Document, Event):
            assert model.query.filter_by(submission_id=submission_id).count() == 0
        deletion = Deletion.query.one()
        assert deletion.submission_id == submission_id and deletion.instrument == SLUG
        assert deletion.deleted_by == User.query.filter_by(email="admin@example.org").one().id
    assert MARKER not in all_rows_text(app) and "zitronenfalter@" not in all_rows_text(app)
    raw = database_bytes(app)
    assert MARKER.encode() not in raw and b"zitronenfalter@" not in raw
    assert sample not in raw  # the document bytes are gone from the file too
    assert client.get(f"/s/{token}").status_code == 404
    assert client.get(f"/s/{other}").status_code == 200


# --- with a real worker and broker ---------------------------------------------------------


def wait_for(client, submission_id: int, predicate, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = rows_by_id(status(client, submission_id)).get(submission_id)
        if row and predicate(row):
            return row
        time.sleep(0.1)
    raise TimeoutError(f"submission {submission_id} stayed at {row}")


@pytest.mark.slow
def test_live_endpoint_follows_a_real_worker(make_app, redis_server, start_worker):
    app = make_app(broker_url=redis_server.url)
    admin = logged_in(app, "admin@example.org", admin=True)
    submission_id, _ = ids_of(app, submit(app.test_client()))
    body = status(admin, submission_id)
    assert body["rows"][0]["state"] == "queued" and body["counts"]["queued"] == 1
    start_worker(app)
    row = wait_for(admin, submission_id, lambda r: r["state"] == "done")
    assert TIMING.match(row["queue_wait"]) and TIMING.match(row["render_time"])
    assert status(admin, submission_id)["counts"] == {
        "queued": 0,
        "running": 0,
        "done": 1,
        "failed": 0,
    }


@pytest.mark.slow
def test_done_when(make_app, redis_server, start_worker, smtp_server):
    """The issue's "Done when": a facilitator logs in, watches a submission go from queued
    to done with timings, retries a failed job, re-sends an email, deletes a submission.
    (Facilitators see their own workshops only; until workshops exist that is the admin.)"""
    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_server.url)
    public = app.test_client()
    user = logged_in(app, "leitung@example.org", admin=True)

    # submitted while no worker runs: queued, and the dashboard says so
    token = submit(public, data=payload(), email="gruppe@example.org")
    submission_id, _ = ids_of(app, token)
    html = user.get("/dashboard").get_data(as_text=True)
    assert f'<tr id="s-{submission_id}" data-id="{submission_id}" data-state="queued"' in html
    start_worker(app, TOOLBOX_SMTP_URL=smtp_server.url)
    row = wait_for(user, submission_id, lambda r: r["state"] == "done")
    assert TIMING.match(row["queue_wait"]) and TIMING.match(row["render_time"])
    row = wait_for(user, submission_id, lambda r: r["email_state"] == "sent")
    assert row["email_label"] == "gesendet" and len(smtp_server.messages) == 1

    # a job that fails for real, is repaired and retried from the dashboard
    broken = payload("Gruppe Kaputt")
    broken["beginn"] = "kein Datum"
    with app.app_context():
        failed_id = create_submission(get_instrument(SLUG), broken).id
    wait_for(user, failed_id, lambda r: r["state"] == "failed")
    assert "state-row-failed" in user.get("/dashboard").get_data(as_text=True)
    assert "kein Datum" in user.get(f"/dashboard/einreichungen/{failed_id}").get_data(as_text=True)
    with app.app_context():
        db.session.execute(
            text("UPDATE submission SET payload_json = :p WHERE id = :id"),
            {"p": json.dumps(payload("Gruppe Repariert")), "id": failed_id},
        )
        db.session.commit()
    assert post_action(user, failed_id, "wiederholen").status_code == 303
    row = wait_for(user, failed_id, lambda r: r["state"] == "done")
    assert TIMING.match(row["render_time"])

    # the email once more
    assert post_action(user, submission_id, "email").status_code == 303
    wait_for(user, submission_id, lambda r: r["email_state"] == "sent")
    deadline = time.monotonic() + 10
    while len(smtp_server.messages) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp_server.messages) == 2

    # and the submission deleted
    response = post_action(user, submission_id, "loeschen", confirm="ja")
    assert response.status_code == 303
    assert user.get(f"/dashboard/einreichungen/{submission_id}").status_code == 404
    assert MARKER.encode() not in database_bytes(app)
    assert MARKER not in all_rows_text(app)
    assert status(user, failed_id)["counts"]["done"] == 1
