"""Accounts and logging in: the CLI, the login form, sessions, roles, account management."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from helpers import LOGIN_FAILED, PASSWORD, logged_in, login, make_user, page_token

from toolbox.accounts.models import User
from toolbox.accounts.service import AccountError, authenticate, create_user
from toolbox.core.config import from_environment
from toolbox.core.extensions import db
from toolbox.ops.cli import cli

# --- the command line ----------------------------------------------------------------------


def test_create_user_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        cli,
        ["create-user", "Leitung@Kontaktstelle.example.org", "--admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "angelegt" in result.output
    with app.app_context():
        user = User.query.one()
        assert user.email == "leitung@kontaktstelle.example.org"
        assert user.is_admin and user.active
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash
    client = app.test_client()
    assert login(client, "leitung@kontaktstelle.example.org").status_code == 303


@pytest.mark.parametrize("password", ["", "elf-Zeichen", " " * 3])
def test_create_user_refuses_short_passwords(app, runner, password):
    result = runner.invoke(
        cli, ["create-user", "kurz@example.org", "--password-stdin"], input=password + "\n"
    )
    assert result.exit_code == 1
    assert "mindestens 12 Zeichen" in result.output
    with app.app_context():
        assert User.query.count() == 0


def test_create_user_prompts_twice(app, runner):
    result = runner.invoke(cli, ["create-user", "a@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Passwort wiederholen" in result.output
    assert PASSWORD not in result.output  # hidden input
    result = runner.invoke(
        cli, ["create-user", "b@example.org"], input=f"{PASSWORD}\nanders-{PASSWORD}\n"
    )
    assert result.exit_code == 1
    assert "stimmen nicht überein" in result.output
    with app.app_context():
        assert [u.email for u in User.query.all()] == ["a@example.org"]


def test_create_user_refuses_duplicates_and_bad_addresses(app, runner):
    make_user(app, "doppelt@example.org")
    for address, message in [
        ("Doppelt@example.org", "bereits ein Konto"),
        ("keine-adresse", "gültige E-Mail-Adresse"),
    ]:
        result = runner.invoke(
            cli, ["create-user", address, "--password-stdin"], input=PASSWORD + "\n"
        )
        assert result.exit_code == 1
        assert message in result.output


def test_authenticate(app):
    make_user(app, "moderation@example.org")
    with app.app_context():
        assert authenticate("MODERATION@example.org ", PASSWORD).email == "moderation@example.org"
        assert authenticate("moderation@example.org", PASSWORD + "x") is None
        assert authenticate("unbekannt@example.org", PASSWORD) is None
        assert User.query.one().last_login_at is not None
        with pytest.raises(AccountError):
            create_user("neu@example.org", "zu-kurz")


# --- logging in ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/dashboard", "/dashboard/einreichungen/1", "/dashboard/konten"])
def test_anonymous_requests_redirect_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bitte melden Sie sich an" in page
    assert 'name="email"' in page and 'name="password"' in page


def test_anonymous_status_json_is_401(client):
    response = client.get("/dashboard/status.json?ids=1")
    assert response.status_code == 401
    assert response.get_json() == {"error": "Bitte melden Sie sich an."}


def test_login_goes_to_next_page_with_a_safe_session_cookie(app):
    make_user(app, "a@example.org")
    client = app.test_client()
    response = login(client, "a@example.org", next_url="/dashboard?state=failed")
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard?state=failed"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Angemeldet als a@example.org" in page


@pytest.mark.parametrize("target", ["https://evil.example.org/", "//evil.example.org/x", "/\\evil"])
def test_login_never_redirects_elsewhere(app, target):
    make_user(app, "a@example.org")
    response = login(app.test_client(), "a@example.org", next_url=target)
    assert response.headers["Location"] == "/dashboard"


def test_wrong_password_and_unknown_address_look_the_same(app):
    make_user(app, "a@example.org")
    client = app.test_client()
    wrong_password = login(client, "a@example.org", "falsches-Passwort-123")
    unknown = login(client, "niemand@example.org", PASSWORD)
    for response in (wrong_password, unknown):
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert LOGIN_FAILED in page
        assert "unbekannt" not in page.lower() and "existiert" not in page
    assert 'value="a@example.org"' in wrong_password.get_data(as_text=True)  # address kept
    assert "falsches-Passwort" not in wrong_password.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_deactivated_account_cannot_log_in_and_loses_its_session(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    facilitator = logged_in(app, "moderation@example.org")
    with app.app_context():
        user_id = User.query.filter_by(email="moderation@example.org").one().id
    token = page_token(admin, "/dashboard/konten")
    response = admin.post(f"/dashboard/konten/{user_id}/deaktivieren", data={"csrf_token": token})
    assert response.status_code == 303
    assert "ist deaktiviert" in admin.get("/dashboard/konten").get_data(as_text=True)
    assert facilitator.get("/dashboard").status_code == 302  # the open session ended
    response = login(app.test_client(), "moderation@example.org")
    assert response.status_code == 200 and LOGIN_FAILED in response.get_data(as_text=True)

    admin.post(f"/dashboard/konten/{user_id}/aktivieren", data={"csrf_token": token})
    assert login(app.test_client(), "moderation@example.org").status_code == 303


def test_login_checks_csrf_and_keeps_the_address(app):
    make_user(app, "a@example.org")
    client = app.test_client()
    response = client.post("/login", data={"email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Die Sitzung ist abgelaufen" in page and 'value="a@example.org"' in page
    assert client.get("/dashboard").status_code == 302


def test_logout_is_a_post_with_csrf(app):
    client = logged_in(app, "a@example.org")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/dashboard").status_code == 200
    response = client.post("/logout", data={"csrf_token": page_token(client, "/dashboard")})
    assert response.status_code == 303
    assert "Sie sind abgemeldet." in client.get("/login").get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_login_is_rate_limited(make_app):
    app = make_app(TOOLBOX_LOGIN_RATE_LIMIT="3 per minute")
    make_user(app, "a@example.org")
    client = app.test_client()
    for _ in range(3):
        assert login(client, "a@example.org", "falsches-Passwort-123").status_code == 200
    response = login(client, "a@example.org")  # even the right password now waits
    assert response.status_code == 429
    assert "Zu viele Anfragen" in response.get_data(as_text=True)
    assert '<html lang="de">' in response.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # only attempts are limited


def test_session_ends_after_idle_time_and_polling_does_not_extend_it(make_app):
    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=2))
    client = logged_in(app, "a@example.org")
    assert "Set-Cookie" in client.get("/dashboard").headers  # activity renews the session
    assert "Set-Cookie" not in client.get("/dashboard/status.json?ids=").headers
    time.sleep(1.2)
    assert client.get("/dashboard/status.json?ids=").status_code == 200
    time.sleep(1.9)
    assert client.get("/dashboard/status.json?ids=").status_code == 401
    assert client.get("/dashboard").status_code == 302


def test_idle_time_and_secure_cookie_come_from_the_environment(monkeypatch, data_dir):
    monkeypatch.setenv("TOOLBOX_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("TOOLBOX_ENV", "production")
    monkeypatch.setenv("TOOLBOX_SECRET_KEY", "x" * 48)
    monkeypatch.setenv("TOOLBOX_BASE_URL", "https://toolbox.example.org")
    config = from_environment()
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=15)
    assert config["SESSION_COOKIE_SECURE"] is True


# --- account management (admin) ------------------------------------------------------------


def test_admin_creates_an_account_in_the_ui(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    token = page_token(admin, "/dashboard/konten")
    form = {"csrf_token": token, "email": "neu@example.org", "password": "kurz", "confirm": "kurz"}
    response = admin.post("/dashboard/konten", data=form)
    assert response.status_code == 422
    assert "mindestens 12 Zeichen" in response.get_data(as_text=True)
    form.update(password=PASSWORD, confirm=PASSWORD + "!")
    assert "stimmen nicht überein" in admin.post("/dashboard/konten", data=form).get_data(
        as_text=True
    )
    form.update(confirm=PASSWORD)
    response = admin.post("/dashboard/konten", data=form)
    assert response.status_code == 303
    page = admin.get("/dashboard/konten").get_data(as_text=True)
    assert "Das Konto neu@example.org wurde angelegt." in page
    assert PASSWORD not in page
    assert "bereits ein Konto" in admin.post("/dashboard/konten", data=form).get_data(as_text=True)
    assert login(app.test_client(), "neu@example.org").status_code == 303


def test_admin_resets_a_password_and_old_sessions_end(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    facilitator = logged_in(app, "moderation@example.org")
    with app.app_context():
        user_id = User.query.filter_by(email="moderation@example.org").one().id
    url = f"/dashboard/konten/{user_id}/passwort"
    new = "ein-ganz-neues-Passwort"
    response = admin.post(
        url, data={"csrf_token": page_token(admin, url), "password": new, "confirm": new}
    )
    assert response.status_code == 303
    assert facilitator.get("/dashboard").status_code == 302
    assert login(app.test_client(), "moderation@example.org").status_code == 200
    assert login(app.test_client(), "moderation@example.org", new).status_code == 303


def test_admin_keeps_own_session_after_changing_own_password(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    with app.app_context():
        user_id = User.query.one().id
    url = f"/dashboard/konten/{user_id}/passwort"
    new = "ein-ganz-neues-Passwort"
    admin.post(url, data={"csrf_token": page_token(admin, url), "password": new, "confirm": new})
    assert admin.get("/dashboard").status_code == 200


def test_admin_cannot_deactivate_themselves(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    with app.app_context():
        user_id = User.query.one().id
    token = page_token(admin, "/dashboard/konten")
    admin.post(f"/dashboard/konten/{user_id}/deaktivieren", data={"csrf_token": token})
    assert "nicht deaktivieren" in admin.get("/dashboard/konten").get_data(as_text=True)
    with app.app_context():
        assert User.query.one().active


def test_facilitators_do_not_see_account_management(app):
    admin_id = make_user(app, "admin@example.org", admin=True)
    facilitator = logged_in(app, "moderation@example.org")
    assert "Konten" not in facilitator.get("/dashboard").get_data(as_text=True)
    assert facilitator.get("/dashboard/konten").status_code == 404
    token = page_token(facilitator, "/dashboard")
    for path in (f"{admin_id}/deaktivieren", f"{admin_id}/passwort"):
        response = facilitator.post(f"/dashboard/konten/{path}", data={"csrf_token": token})
        assert response.status_code == 404
    with app.app_context():
        assert db.session.get(User, admin_id).active
