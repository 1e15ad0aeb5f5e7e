"""Sessions end on the server (issue 14.9): every session carries the account's session
version, checked on every request, and logging out, a new password, deactivation and an
admin's "Alle Sitzungen beenden" raise it. A cookie copied before (by someone at the same
computer, from a backup, a proxy log) opens nothing afterwards."""

from __future__ import annotations

from helpers import logged_in, login, page_token

from toolbox.accounts.models import User
from toolbox.accounts.views import load_user
from toolbox.core.extensions import db

PASSWORD_NEW = "Zwetschgendatschi-mit-Sahne-7"


def copy_of(app, client):
    """A second browser holding a copy of the client's session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/dashboard").status_code == 200  # the copy works, for now
    return thief


def user_id(app, email: str) -> int:
    with app.app_context():
        return User.query.filter_by(email=email).one().id


def to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app):
    client = logged_in(app, "moderation@example.org")
    thief = copy_of(app, client)
    response = client.post("/logout", data={"csrf_token": page_token(client, "/dashboard")})
    assert response.status_code == 303
    assert to_login(thief.get("/dashboard"))
    assert to_login(thief.get("/dashboard/ansprechpersonen"))
    # and it does not renew itself: still nothing on the next request
    assert to_login(thief.get("/dashboard"))
    with app.app_context():
        assert db.session.get(User, user_id(app, "moderation@example.org")).session_version == 1


def test_logging_in_again_after_logout_works(app):
    client = logged_in(app, "moderation@example.org")
    client.post("/logout", data={"csrf_token": page_token(client, "/dashboard")})
    assert to_login(client.get("/dashboard"))
    assert login(client, "moderation@example.org").status_code == 303
    assert client.get("/dashboard").status_code == 200


def test_admin_ends_all_sessions_of_an_account(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    facilitator = logged_in(app, "moderation@example.org")
    laptop = copy_of(app, facilitator)
    page = admin.get("/dashboard/konten").get_data(as_text=True)
    assert "Alle Sitzungen beenden" in page
    target = user_id(app, "moderation@example.org")
    response = admin.post(
        f"/dashboard/konten/{target}/sitzungen-beenden",
        data={"csrf_token": page_token(admin, "/dashboard/konten")},
    )
    assert response.status_code == 303
    assert "Alle Sitzungen von moderation@example.org sind beendet." in admin.get(
        "/dashboard/konten"
    ).get_data(as_text=True)
    assert to_login(facilitator.get("/dashboard")) and to_login(laptop.get("/dashboard"))
    assert admin.get("/dashboard").status_code == 200  # the admin's own session is untouched


def test_admin_ending_own_sessions_keeps_the_current_one(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    other_device = copy_of(app, admin)
    own = user_id(app, "admin@example.org")
    response = admin.post(
        f"/dashboard/konten/{own}/sitzungen-beenden",
        data={"csrf_token": page_token(admin, "/dashboard/konten")},
    )
    assert response.status_code == 303
    assert admin.get("/dashboard").status_code == 200
    assert to_login(other_device.get("/dashboard"))


def test_a_new_password_ends_copied_sessions(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    facilitator = logged_in(app, "moderation@example.org")
    copy = copy_of(app, facilitator)
    url = f"/dashboard/konten/{user_id(app, 'moderation@example.org')}/passwort"
    data = {"csrf_token": page_token(admin, url), "password": PASSWORD_NEW, "confirm": PASSWORD_NEW}
    assert admin.post(url, data=data).status_code == 303
    assert to_login(copy.get("/dashboard")) and to_login(facilitator.get("/dashboard"))


def test_deactivation_ends_copied_sessions_also_after_reactivation(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    facilitator = logged_in(app, "moderation@example.org")
    copy = copy_of(app, facilitator)
    target = user_id(app, "moderation@example.org")
    token = page_token(admin, "/dashboard/konten")
    admin.post(f"/dashboard/konten/{target}/deaktivieren", data={"csrf_token": token})
    admin.post(f"/dashboard/konten/{target}/aktivieren", data={"csrf_token": token})
    assert to_login(copy.get("/dashboard"))  # reactivating does not revive old sessions


def test_session_ids_that_are_not_ours_are_nobody(app):
    logged_in(app, "moderation@example.org")
    with app.test_request_context():
        for session_id in ("1", "1:0", "1:x:abc", f"{2**64}:0:abc", "١:0:abc", "1:٠:abc", ""):
            assert load_user(session_id) is None
