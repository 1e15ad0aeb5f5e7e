"""Operations: request ids, JSON logs, proxy headers, `toolbox doctor`."""

from __future__ import annotations

import json
import logging

from helpers import load_data

from toolbox.core.logs import JsonFormatter, RequestIdFilter


def test_request_id_is_echoed_or_made(client):
    response = client.get("/", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"
    made = client.get("/", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]
    assert len(made) == 16 and made.isalnum()


def test_json_log_lines_carry_the_request_id(app):
    record = logging.LogRecord("toolbox.x", logging.INFO, __file__, 1, "job %s done", (7,), None)
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "r1"
        RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "job 7 done" and line["request_id"] == "r1"
    assert line["level"] == "INFO"


def test_proxy_headers_trusted_only_when_configured(make_app):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "toolbox.example.org"}
    body = {"instrument": "kooperationsvereinbarung", "data": load_data("kooperationsvereinbarung")}

    def status_url(app):
        response = app.test_client().post("/api/v1/submissions", json=body, headers=headers)
        return response.get_json()["status_url"]

    assert status_url(make_app()).startswith("http://localhost/")
    assert status_url(make_app(TOOLBOX_PROXIES=1)).startswith("https://toolbox.example.org/")


def test_doctor_passes_on_a_working_installation(runner):
    from toolbox.ops.cli import cli

    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    for name in ("Konfiguration", "Datenbank", "Broker", "E-Mail", "Schriften", "Vorlagen"):
        assert f"✓ {name}:" in result.output


def test_doctor_names_what_is_broken(make_app, smtp_port):
    from toolbox.ops.cli import cli

    app = make_app(broker_url="redis://127.0.0.1:9/0", TOOLBOX_SMTP_URL=smtp_port.url)
    result = app.test_cli_runner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "✗ Broker: Broker nicht erreichbar" in result.output
    assert "✗ E-Mail: Mailserver nicht erreichbar" in result.output
    assert "✓ Datenbank:" in result.output
