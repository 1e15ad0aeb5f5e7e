"""Passwords must not be easy to guess (issue 14.10): common passwords, words, repetitions,
sequences, keyboard patterns, dates and the account's own address are refused with a German
explanation, by the same rule in `toolbox create-user`, a new account and a new password in
the dashboard. Failed logins are throttled per account as well as per address."""

from __future__ import annotations

import pytest
from helpers import LOGIN_FAILED, PASSWORD, logged_in, login, make_user, page_token

from toolbox.accounts.models import User
from toolbox.accounts.service import AccountError, WeakPassword, check_password_rules
from toolbox.ops.cli import cli

WEAK = {
    "aaaaaaaaaaaa": "wiederholt Zeichen",
    " " * 12: "wiederholt Zeichen",
    "passwordpassword": "wiederholt Zeichen",
    "abcdefghijklmn": "Folge wie",
    "123456789012": "häufigen Passwort",
    "qwertzuiop12": "häufigen Passwort",
    "Passwort1234": "häufigen Passwort",
    "neu@example.org!": "E-Mail-Adresse des Kontos",
    "a" * 100: "wiederholt Zeichen",
}
STRONG = ("Kaffee-und-Kuchen-2026", "Tulpe-Fahrrad-Nebel-42", "ein-ganz-neues-Passwort")


@pytest.mark.parametrize("password, reason", WEAK.items())
def test_guessable_passwords_are_refused_with_a_reason(password, reason):
    with pytest.raises(WeakPassword) as caught:
        check_password_rules(password, ("neu@example.org",))
    message = str(caught.value)
    assert message.startswith("Dieses Passwort ist zu leicht zu erraten.")
    assert reason in message and "mehrere zufällige Wörter" in message


@pytest.mark.parametrize("password", STRONG)
def test_good_passwords_pass(password):
    check_password_rules(password, ("neu@example.org",))


def test_length_rules_still_come_first():
    with pytest.raises(AccountError, match="mindestens 12 Zeichen"):
        check_password_rules("aaaa")
    with pytest.raises(AccountError, match="höchstens 1000 Zeichen"):
        check_password_rules("Tulpe-Fahrrad-Nebel-42" * 50)


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "passwordpassword", " " * 12])
def test_create_user_cli_refuses_guessable_passwords(app, runner, password):
    result = runner.invoke(
        cli, ["create-user", "neu@example.org", "--password-stdin"], input=password + "\n"
    )
    assert result.exit_code == 1
    assert "Dieses Passwort ist zu leicht zu erraten." in result.output
    with app.app_context():
        assert User.query.count() == 0


def test_create_user_cli_prompt_refuses_before_asking_again(app, runner):
    result = runner.invoke(cli, ["create-user", "neu@example.org"], input="passwordpassword\n")
    assert result.exit_code == 1
    assert "zu leicht zu erraten" in result.output and "wiederholen" not in result.output


def test_admin_cannot_create_an_account_with_a_guessable_password(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    form = {
        "csrf_token": page_token(admin, "/dashboard/konten"),
        "email": "neu@example.org",
        "password": "passwordpassword",
        "confirm": "passwordpassword",
    }
    response = admin.post("/dashboard/konten", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Dieses Passwort ist zu leicht zu erraten." in page
    assert "wiederholt Zeichen oder Zeichenfolgen" in page
    assert 'value="neu@example.org"' in page  # input kept
    with app.app_context():
        assert User.query.count() == 1
    english = admin.post("/dashboard/konten?lang=en", data=form).get_data(as_text=True)
    assert "This password is too easy to guess." in english


def test_a_new_password_in_the_dashboard_follows_the_rule(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    user_id = make_user(app, "moderation@example.org")
    url = f"/dashboard/konten/{user_id}/passwort"
    for weak in ("aaaaaaaaaaaa", "Moderation2026"):
        data = {"csrf_token": page_token(admin, url), "password": weak, "confirm": weak}
        response = admin.post(url, data=data)
        assert response.status_code == 422
        assert "zu leicht zu erraten" in response.get_data(as_text=True)
    assert login(app.test_client(), "moderation@example.org").status_code == 303  # unchanged


# --- per-account login throttling (exists: verified here) -------------------------------------


def test_failed_logins_count_per_account_whatever_the_spelling(make_app):
    app = make_app(
        TOOLBOX_LOGIN_RATE_LIMIT="1000 per minute",
        TOOLBOX_LOGIN_ACCOUNT_RATE_LIMIT="2 per 15 minutes",
    )
    make_user(app, "moderation@example.org")
    statuses = []
    for i, spelling in enumerate(
        ["moderation@example.org", " MODERATION@example.org", "Moderation@Example.org "]
    ):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{i + 1}"
        response = login(client, spelling, "falsch-geraten-123")
        statuses.append(response.status_code)
        if response.status_code == 200:
            assert LOGIN_FAILED in response.get_data(as_text=True)
    assert statuses == [200, 200, 429]
    # the right password is refused too while the account is throttled
    assert login(app.test_client(), "moderation@example.org", PASSWORD).status_code == 429
