"""Web hardening and what stays out of logs: CSRF on every form, headers on every
response, unguessable tokens, rate limits, production settings, isolated rendering,
sandboxed templates, bounded workers, and no typed text in log lines."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import time

import flask_migrate
import pypdf
import pytest
from helpers import ROOT, csrf_token, load_data, logged_in, submit
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from sqlalchemy import text

from toolbox.accounts.models import User
from toolbox.app import create_app
from toolbox.contacts.models import Contact
from toolbox.core.db import new_token
from toolbox.core.extensions import db, limiter
from toolbox.documents.pdf import AssetFetcher
from toolbox.documents.render import Renderer
from toolbox.documents.templating import document_environment
from toolbox.instruments.registry import get_instrument
from toolbox.jobs import HARD_TIME_LIMIT, SOFT_TIME_LIMIT
from toolbox.submissions import tasks as job_tasks
from toolbox.submissions.models import Draft, Job, Submission
from toolbox.workshops.models import Workshop
from toolbox.workshops.service import save_workshop

SLUG = "kooperationsvereinbarung"
URL = f"/instrumente/{SLUG}"
CANARY = "Kanarienvogel-7Q3X"
EXPIRED_HINT = "Die Sitzung ist abgelaufen"


def render(app, token: str) -> None:
    with app.app_context():
        job_tasks.render_job.run(Submission.query.filter_by(token=token).one().job.id)


def browser_form(slug=SLUG) -> dict:
    from toolbox.instruments.formdata import json_to_formdata

    formdata, _ = json_to_formdata(get_instrument(slug), load_data(slug))
    return {k: formdata.getlist(k) for k in formdata}


# --- CSRF ------------------------------------------------------------------------------------


def _example_url(app, rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        values[name] = 1 if converter in ("IntegerConverter", "IdConverter") else SLUG
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_every_browser_form_needs_a_csrf_token(app):
    """Every POST outside the JSON API (which takes no cookies) is refused without a
    token, even for a logged-in admin, and changes nothing."""
    admin = logged_in(app, "admin@example.org", admin=True)
    with app.app_context():  # the example URLs (id 1) point at rows that exist
        contact = Contact(organisation="Kontaktstelle Bleibt", typ="sonstige")
        workshop = Workshop(owner_id=User.query.one().id)
        save_workshop(
            workshop,
            title="Bleibt",
            date=dt.date(2026, 11, 22),
            place="",
            instruments=[SLUG],
            closes_at=None,
            shared={},
        )
        db.session.add(contact)
        db.session.commit()
        assert contact.id == workshop.id == 1
    rules = [
        r
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and not r.rule.startswith("/api/")
    ]
    assert len(rules) >= 10
    for rule in rules:
        data = {**browser_form(), "action": "submit"} if rule.endpoint == "instruments.form" else {}
        response = admin.post(_example_url(app, rule), data=data)
        assert response.status_code in (400, 422), (rule.rule, response.status_code)
        assert EXPIRED_HINT in response.get_data(as_text=True), rule.rule
    with app.app_context():
        assert Submission.query.count() == Draft.query.count() == 0
        assert [c.organisation for c in Contact.query.all()] == ["Kontaktstelle Bleibt"]
        assert [w.title for w in Workshop.query.all()] == ["Bleibt"]


@pytest.mark.parametrize("action", ["submit", "draft"])
def test_expired_csrf_token_shows_the_form_again_with_input_kept(make_app, action):
    app = make_app(WTF_CSRF_TIME_LIMIT=1)
    client = app.test_client()
    token = csrf_token(client.get(URL).get_data(as_text=True))
    time.sleep(2.5)  # the token is now older than its time limit
    response = client.post(URL, data={**browser_form(), "csrf_token": token, "action": action})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Die Sitzung ist abgelaufen. Ihre Eingaben sind erhalten" in html
    assert 'value="Erika Beispiel (Gruppensprecherin)"' in html
    fresh = csrf_token(html)
    assert fresh != token
    with app.app_context():
        assert Submission.query.count() == Draft.query.count() == 0
    # the fresh token from the page works
    response = client.post(URL, data={**browser_form(), "csrf_token": fresh, "action": action})
    assert response.status_code == 303


# --- headers ---------------------------------------------------------------------------------


def _responses(make_app):
    """One response of every kind: pages, errors, downloads, static files, the API."""
    app = make_app(TOOLBOX_SUBMIT_RATE_LIMIT="3 per minute", TESTING=False)

    @app.get("/_kaputt")
    def broken():
        raise RuntimeError("absichtlich")

    client = app.test_client()
    token = submit(client, "jahresplanung")
    render(app, token)
    out = {
        "start": client.get("/"),
        "form": client.get(URL),
        "404": client.get("/gibt-es-nicht"),
        "405": client.get("/logout"),
        "csrf 400": client.post("/logout"),
        "413": client.post(URL, data={"kosten": "x" * (1024 * 1024 + 1)}),
        "500": client.get("/_kaputt"),
        "static": client.get("/static/style.css"),
        "blank pdf": client.get(f"{URL}/vorlage.pdf"),
        "api": client.get("/api/v1/instruments"),
        "api 404": client.get("/api/v1/submissions/" + "x" * 43),
        "healthz": client.get("/healthz"),
        "page": client.get(f"/s/{token}"),
    }
    for fmt in ("pdf", "docx", "ics"):
        out[f"download {fmt}"] = client.get(f"/s/{token}/dokumente/{fmt}")
    for _ in range(3):
        client.post("/api/v1/submissions", json={})
    out["429"] = client.post("/api/v1/submissions", json={})
    return out


def test_security_headers_on_every_kind_of_response(make_app):
    responses = _responses(make_app)
    assert responses["500"].status_code == 500
    assert responses["413"].status_code == 413 and responses["429"].status_code == 429
    for name, response in responses.items():
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, name
        assert "frame-ancestors 'none'" in csp, name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "no-referrer", name
        assert response.headers["X-Frame-Options"] == "DENY", name
    for fmt in ("pdf", "docx", "ics"):
        download = responses[f"download {fmt}"]
        assert download.status_code == 200
        assert download.headers["Content-Disposition"].startswith("attachment;"), fmt
        assert download.headers["Cache-Control"] == "no-store", fmt
    page = responses["500"].get_data(as_text=True)
    assert '<html lang="de">' in page and "Ihre Eingaben sind nicht verloren" in page
    assert "absichtlich" not in page
    for response in responses.values():
        response.close()  # static files are streamed from an open file


# --- tokens ----------------------------------------------------------------------------------


def test_tokens_are_long_and_random(app, client):
    assert all(len(new_token()) >= 43 for _ in range(100))
    assert len({new_token() for _ in range(1000)}) == 1000
    with app.app_context():
        columns = [
            mapper.class_.__table__.c.token
            for mapper in db.Model.registry.mappers
            if "token" in mapper.class_.__table__.c
        ]
    assert len(columns) >= 3  # submissions, drafts, workshops
    for column in columns:
        assert column.default.arg.__name__ == "new_token", column
    token = submit(client)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)


def test_unknown_token_is_404_everywhere(app, client):
    submit(client)  # something exists, just not under this token
    unknown = new_token()
    rules = [r for r in app.url_map.iter_rules() if "token" in r.arguments and "GET" in r.methods]
    assert len(rules) >= 5
    for rule in rules:
        url = rule.rule.replace("<token>", unknown).replace("<fmt>", "pdf")
        assert "<" not in url, url
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Diese Seite gibt es nicht" in response.get_data(as_text=True)  # page or JSON
    assert client.get(f"{URL}?vorlage={unknown}").status_code == 404


# --- rate limits -----------------------------------------------------------------------------


def test_submit_is_rate_limited_with_german_answers(make_app):
    app = make_app(TOOLBOX_SUBMIT_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for _ in range(2):
        submit(client)
    response = client.post("/api/v1/submissions", json={"instrument": SLUG, "data": {}})
    assert response.status_code == 429
    assert response.get_json() == {
        "error": "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut."
    }
    token = csrf_token(client.get(URL).get_data(as_text=True))  # reading is not limited
    for _ in range(2):
        client.post(URL, data={**browser_form(), "csrf_token": token, "action": "submit"})
    response = client.post(URL, data={**browser_form(), "csrf_token": token, "action": "submit"})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html and "Zu viele Anfragen" in html
    with app.app_context():
        assert Submission.query.count() == 4


def test_submit_limit_default_and_environment(monkeypatch, data_dir):
    from toolbox.core.config import from_environment

    assert from_environment()["TOOLBOX_SUBMIT_RATE_LIMIT"] == "30 per minute"
    monkeypatch.setenv("TOOLBOX_SUBMIT_RATE_LIMIT", "5 per hour")
    assert from_environment()["TOOLBOX_SUBMIT_RATE_LIMIT"] == "5 per hour"


def test_rate_limits_are_counted_in_redis_when_the_broker_is_redis(monkeypatch, data_dir):
    from toolbox.core.config import from_environment

    monkeypatch.setenv("TOOLBOX_BROKER_URL", "redis://127.0.0.1:9/0")
    assert from_environment()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:9/0"


def test_unreachable_limit_storage_does_not_stop_submissions(monkeypatch, data_dir):
    """Redis down: the submission is still taken (and the sweeper queues it later)."""
    monkeypatch.setenv("TOOLBOX_BROKER_URL", "redis://127.0.0.1:9/0")  # nothing listens
    make = create_app({"TESTING": True})
    with make.app_context():
        flask_migrate.upgrade()
    assert make.config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    try:
        submit(make.test_client())
    finally:
        limiter._storage_dead = False  # the limiter is one object for all apps of a process


# --- production settings ---------------------------------------------------------------------


def test_production_requires_a_secret_key(monkeypatch, data_dir):
    monkeypatch.setenv("TOOLBOX_ENV", "production")
    with pytest.raises(RuntimeError, match="TOOLBOX_SECRET_KEY muss in Produktion gesetzt sein"):
        create_app()
    assert not (data_dir / "secret_key").exists()  # no key is made up silently


def test_unknown_environment_name_is_refused(monkeypatch, data_dir):
    monkeypatch.setenv("TOOLBOX_ENV", "produktion")
    with pytest.raises(RuntimeError, match="TOOLBOX_ENV"):
        create_app()


def test_production_cookies_are_secure(monkeypatch, data_dir):
    monkeypatch.setenv("TOOLBOX_ENV", "production")
    monkeypatch.setenv("TOOLBOX_SECRET_KEY", "k" * 64)
    monkeypatch.setenv("TOOLBOX_BASE_URL", "https://toolbox.example.org")
    app = create_app({"TESTING": True})
    assert app.config["SECRET_KEY"] == "k" * 64
    cookie = app.test_client().get(URL).headers["Set-Cookie"]  # the CSRF session
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_development_cookies_are_http_only(client):
    cookie = client.get(URL).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- rendering isolation ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def test_templates_render_sandboxed_with_autoescape():
    env = document_environment()
    assert isinstance(env, SandboxedEnvironment) and env.autoescape
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__[1].__subclasses__() }}").render(x="")
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"


def test_data_urls_are_allowed(renderer):
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
        "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    pdf = renderer.pdf.html_to_pdf(
        f'<html lang="de"><head><title>t</title></head><body><img src="{pixel}"></body></html>'
    )
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1


def test_fetcher_refuses_tricks(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (tmp_path / "secret.txt").write_text("geheim")
    (assets / "link.txt").symlink_to(tmp_path / "secret.txt")
    (assets / "ok.css").write_text("p{}")
    fetcher = AssetFetcher(assets)
    for url in (
        (assets / "link.txt").as_uri(),  # a symlink out of the folder
        assets.as_uri() + "/..%2Fsecret.txt",  # encoded traversal
        "file://localhost" + str(tmp_path / "secret.txt"),
        "file://example.org/etc/passwd",
        "ftp://127.0.0.1/x",
        "https://example.org/x.css",
        "javascript:alert(1)",
    ):
        with pytest.raises(ValueError, match="Adresse nicht erlaubt"):
            fetcher.fetch(url)
    assert fetcher.fetch((assets / "ok.css").as_uri()).read() == b"p{}"


# --- bounded workers -------------------------------------------------------------------------


def test_celery_settings_bound_every_task(make_app):
    celery = make_app(broker_url="redis://127.0.0.1:9/0").extensions["celery"]
    conf = celery.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit == SOFT_TIME_LIMIT < conf.task_time_limit == HARD_TIME_LIMIT
    # The broker hands an unacknowledged message to another worker after the visibility
    # timeout: it must outlast every task's own hard limit (the kit build's is longer).
    celery.loader.import_default_modules()  # every area's tasks, as a worker imports them
    ours = {name: task for name, task in celery.tasks.items() if name.startswith("toolbox.")}
    assert len(ours) >= 5, sorted(ours)
    for name, task in ours.items():
        limit = task.time_limit or conf.task_time_limit
        assert conf.broker_transport_options["visibility_timeout"] > limit, name
    assert conf.worker_max_tasks_per_child and conf.worker_max_memory_per_child
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    # retention and recovery are scheduled (celery beat)
    tasks = {entry["task"]: entry["schedule"] for entry in conf.beat_schedule.values()}
    assert tasks["toolbox.jobs.tasks.purge_task"] == 24 * 3600
    assert tasks["toolbox.jobs.tasks.sweep_task"] <= 60


def test_a_render_past_the_soft_limit_fails_readably(app, client, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    class Slow:
        def render(self, *args, **kwargs):
            raise SoftTimeLimitExceeded()

    monkeypatch.setattr(job_tasks, "get_renderer", lambda _dir: Slow())
    token = submit(client)
    render(app, token)
    body = client.get(f"/api/v1/submissions/{token}").get_json()
    assert body["state"] == "failed"
    assert body["error"] == f"Zeitlimit: Die Erstellung dauerte länger als {SOFT_TIME_LIMIT} s."


# --- no typed text in logs -------------------------------------------------------------------


def test_render_errors_are_recorded_on_the_job_but_not_logged(app, client, monkeypatch, caplog):
    """An error message may quote what was typed: people see it on the job, the log
    gets the type and the place."""

    class Broken:
        def render(self, *args, **kwargs):
            raise ValueError(f"kaputt bei {CANARY}")

    monkeypatch.setattr(job_tasks, "get_renderer", lambda _dir: Broken())
    token = submit(client)
    with caplog.at_level(logging.DEBUG):
        render(app, token)
    body = client.get(f"/api/v1/submissions/{token}").get_json()
    assert body["state"] == "failed" and body["error"] == f"ValueError: kaputt bei {CANARY}"
    assert "job 1 failed with ValueError" in caplog.text
    assert CANARY not in caplog.text


def test_database_errors_do_not_carry_values(app):
    with app.app_context(), pytest.raises(Exception) as error:
        db.session.execute(text("select :value from gibt_es_nicht"), {"value": CANARY})
    assert CANARY not in str(error.value)


def test_missing_glyphs_are_not_logged_character_by_character(renderer, caplog):
    payload = load_data(SLUG)
    payload["praeambel"] = f"{CANARY} \ue000\ue001\ue002"  # private use: no font has them
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        renderer.render(get_instrument(SLUG), payload, today=dt.date(2026, 11, 22))
    assert "\ue000" not in caplog.text and ".notdef" not in caplog.text


def test_mail_retry_reason_does_not_quote_the_server(make_app, smtp_server):
    """Greylisting servers quote the recipient in their 4xx reply; Celery logs a retry's
    reason, so the reason is generic (the reply is on the submission for people)."""
    from toolbox.core.mail import TransientMailError

    address = "kanarie@example.org"
    smtp_server.reply = f"451 4.7.1 <{address}>: Recipient address rejected: Greylisted"
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    token = submit(client, email=address)
    render(app, token)
    with app.app_context(), pytest.raises(TransientMailError) as error:
        job_tasks.send_documents(Submission.query.one().id)
    assert address not in str(error.value)
    email = client.get(f"/api/v1/submissions/{token}").get_json()["email"]
    assert email["state"] == "pending" and address in email["error"]


def test_line_breaks_in_a_name_do_not_break_the_mail(make_app, smtp_server):
    """The short name becomes the subject; U+2028 and friends are line ends to email."""
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    data = load_data(SLUG)
    data["parteien"][1]["name"] = "Gruppe\u2028„Mut“\x85\tund\nZuversicht"
    response = client.post(
        "/api/v1/submissions",
        json={"instrument": SLUG, "data": data, "email": "a@example.org"},
    )
    token = response.get_json()["token"]
    render(app, token)
    with app.app_context():
        job_tasks.send_documents(Submission.query.one().id)
    [message] = smtp_server.parsed()
    assert message["Subject"].endswith("– Gruppe „Mut“ und Zuversicht")
    with app.app_context():
        assert Job.query.one().state == "done"


def test_fault_hooks_are_off_unless_set():
    assert "TOOLBOX_TEST_RENDER_DELAY" not in os.environ
    assert "TOOLBOX_TEST_RENDER_CRASH" not in os.environ
