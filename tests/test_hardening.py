"""Hardening for the public internet (issue 14): limits that hold for the deployment as a
whole, clean logs, headers, files and sessions. Tests marked slow run a real gunicorn."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from gunicorn_support import Gunicorn
from helpers import LOGIN_FAILED, login, make_user

from toolbox.core.ratelimits import SQLiteStorage, sqlite_storage_url


@pytest.fixture
def start_gunicorn(tmp_path, data_dir):
    servers: list[Gunicorn] = []

    def start(app, **kwargs) -> Gunicorn:
        server = Gunicorn(app, data_dir, tmp_path / f"gunicorn-{len(servers)}.log", **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# --- rate limits count once for the deployment ------------------------------------------------


def test_the_default_limit_storage_is_shared_by_processes(data_dir):
    """Two storages on one file (as two gunicorn workers) see each other's counts."""
    url = sqlite_storage_url(data_dir / "ratelimits.sqlite")
    first, second = SQLiteStorage(url), SQLiteStorage(url)
    assert [first.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert second.incr("k", 60) == 4 and first.get("k") == 4
    assert second.get_expiry("k") > time.time() + 50
    second.clear("k")
    assert first.get("k") == 0
    assert first.incr("short", 0.2) == 1
    time.sleep(0.3)
    assert second.incr("short", 60) == 1  # a new window
    assert (data_dir / "ratelimits.sqlite").stat().st_mode & 0o077 == 0


def test_the_embedded_default_counts_in_the_data_directory(app, data_dir):
    assert app.config["RATELIMIT_STORAGE_URI"] == sqlite_storage_url(data_dir / "ratelimits.sqlite")


@pytest.mark.slow
def test_rate_limits_hold_across_gunicorn_workers(make_app, start_gunicorn):
    app = make_app()
    server = start_gunicorn(
        app,
        workers=3,
        TOOLBOX_SUBMIT_RATE_LIMIT="10 per minute",
        # the worker's pid on each line: proof that more than one worker answered
        GUNICORN_CMD_ARGS="--access-logformat '%(p)s %(s)s'",
    )

    statuses = []
    for _ in range(14):
        # three requests at once whose bodies come late: each blocks one (sync) worker,
        # so every round is answered by three different workers
        socks = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(3)]
        for sock in socks:
            sock.sendall(
                b"POST /api/v1/submissions HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n"
            )
        time.sleep(0.1)
        for sock in socks:
            sock.sendall(b"{}")
        for sock in socks:
            statuses.append(int(sock.makefile("rb").readline().split()[1]))
            sock.close()
    assert statuses.count(404) == 10, statuses  # taken (no such instrument) …
    assert statuses.count(429) == 32  # … the rest counted by all workers together
    pids = {line.split()[0] for line in server.log().splitlines() if line.startswith("<")}
    assert len(pids) > 1, server.log()


def test_failed_logins_are_throttled_per_account(make_app):
    app = make_app(
        TOOLBOX_LOGIN_RATE_LIMIT="1000 per minute",
        TOOLBOX_LOGIN_ACCOUNT_RATE_LIMIT="3 per 15 minutes",
    )
    make_user(app, "moderation@example.org")
    make_user(app, "andere@example.org")
    answers = []
    for i in range(5):  # a guesser spreading over many addresses
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"
        response = login(client, "Moderation@example.org", "falsch-geraten-123")
        answers.append(response.status_code)
        if response.status_code == 200:
            assert LOGIN_FAILED in response.get_data(as_text=True)
    assert answers == [200, 200, 200, 429, 429]
    assert "Zu viele Anfragen" in login(app.test_client(), "moderation@example.org").get_data(
        as_text=True
    )
    # other accounts are not affected, and logging in successfully does not count
    for _ in range(5):
        assert login(app.test_client(), "andere@example.org").status_code == 303


# --- logs: no tokens, no forged lines ---------------------------------------------------------


@pytest.mark.slow
def test_access_log_redacts_tokens_and_escapes_control_characters(make_app, start_gunicorn):
    app = make_app()
    server = start_gunicorn(app, workers=1)
    token = "Abc_def-" + "x" * 35
    for path in (
        f"/s/{token}",
        f"/s/{token}/dokumente/pdf",
        f"/w/{token}",
        f"/entwurf/{token}",
        f"/api/v1/submissions/{token}",
        f"/unbekannt/{token}",
        "/s/kurz",
        "/s/x%0a2026-12-03%2011:00:00%20ERROR%20[-]%20toolbox:%20FORGED%20LOG%20LINE",
        "/s/y%0d%0a127.0.0.1%20%22GET%20/FORGED%22%20200",
    ):
        server.request("GET", path)
    assert server.request("GET", "/healthz")[0] == 200
    time.sleep(0.5)
    log = server.log()
    assert "xxxxxxxx" not in log and "kurz" not in log
    assert '"GET /s/<token>" 404' in log and '"GET /s/<token>/dokumente/pdf" 404' in log
    assert '"GET /w/<token>"' in log and '"GET /entwurf/<token>"' in log
    assert '"GET /api/v1/submissions/<token>"' in log and '"GET /unbekannt/<token>"' in log
    lines = log.splitlines()
    assert not [line for line in lines if "FORGED" in line and not line.startswith("127.0.0.0 ")]
    assert '"GET /healthz" 200' in log
    # the client address, shortened
    assert not [line for line in lines if line.startswith("127.0.0.1 ")]


def test_application_log_lines_are_cleaned(app, capsys):
    token = "T" * 43
    logging.getLogger("toolbox.test").warning(
        "page /s/%s opened\n2026-12-03 ERROR forged %s", token, "\u2028"
    )
    try:
        raise ValueError(f"/entwurf/{token}")
    except ValueError:
        logging.getLogger("toolbox.test").exception("failed")
    out = capsys.readouterr().out
    assert token not in out
    assert "page /s/<token> opened\\x0a2026-12-03 ERROR forged \\x2028" in out
    assert "ValueError: /entwurf/<token>" in out
    assert not [line for line in out.splitlines() if line.startswith("2026-12-03 ERROR")]
