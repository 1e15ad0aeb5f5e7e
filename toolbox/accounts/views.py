"""Logging in and out of the dashboard.

A session belongs to one account, one password and one session version: the session id
carries the account's session version (a number on its row) and a fingerprint of the
password hash, both checked on every request. Logging out, a new password, deactivating
the account and an admin's "Alle Sitzungen beenden" raise the version, so every session
of the account, also a copied cookie, ends with its next request. Sessions end after
`PERMANENT_SESSION_LIFETIME` without activity; the dashboard's background polling does not
count as activity (see `not_activity`).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from toolbox.accounts.models import User
from toolbox.accounts.service import MAX_PASSWORD_LENGTH, authenticate, end_all_sessions
from toolbox.core.extensions import csrf, db, limiter, login_manager
from toolbox.core.urls import parse_id

bp = Blueprint("auth", __name__)

MAX_NEXT_CHARS = 2000
LOGIN_FAILED = _l("E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist nicht aktiv.")


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


class SessionUser(UserMixin):
    """What a request knows about the logged-in account: plain values, no database row."""

    def __init__(self, user: User):
        self.id = user.id
        self.email = user.email
        self.is_admin = user.is_admin
        self._session_id = f"{user.id}:{user.session_version}:{_fingerprint(user.password_hash)}"

    def get_id(self) -> str:
        return self._session_id


def load_user(session_id: str) -> SessionUser | None:
    """The account of a session, on every request; None (logged out) if the account is
    gone or inactive, or its session version or password changed since the login."""
    user_id, version, fingerprint = (session_id.split(":", 2) + ["", ""])[:3]
    user_id = parse_id(user_id)
    if user_id is None or not (version.isascii() and version.isdigit() and len(version) < 20):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or int(version) != user.session_version:
        return None
    if not hmac.compare_digest(fingerprint, _fingerprint(user.password_hash)):
        return None
    return SessionUser(user)


class IdleSessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose lifetime is renewed by every request a person makes,
    but not by requests marked with `not_activity()` (background polling)."""

    def should_set_cookie(self, app, session) -> bool:
        if g.get("not_activity"):
            return False
        return super().should_set_cookie(app, session)


def not_activity() -> None:
    """This request does not extend the session's idle time."""
    g.not_activity = True


@bp.record_once
def _setup(state) -> None:
    state.app.session_interface = IdleSessionInterface()
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    login_manager.localize_callback = str  # the lazy message in the request's language
    login_manager.login_message_category = "info"


def admin_required(view):
    """Login required, and admin: everyone else gets a 404, as if the page did not exist."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[
            InputRequired(_l("Bitte die E-Mail-Adresse angeben.")),
            Length(max=254, message=_l("Die E-Mail-Adresse ist zu lang.")),
        ],
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[
            InputRequired(_l("Bitte das Passwort angeben.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("Das Passwort ist zu lang.")),
        ],
    )


def _login_limit() -> str:
    return current_app.config["TOOLBOX_LOGIN_RATE_LIMIT"]


def _login_account_limit() -> str:
    return current_app.config["TOOLBOX_LOGIN_ACCOUNT_RATE_LIMIT"]


def _login_account_key() -> str:
    """Failed logins count per account too: guessing from many addresses at one
    account is throttled like guessing from one."""
    return "login-account:" + (request.form.get("email") or "").strip().lower()[:254]


def _login_failed(response) -> bool:
    return response.status_code != 303


def _safe_next(target: str | None) -> str:
    """Only paths on this site: `next` must not send anyone elsewhere after logging in,
    nor put a line break (a forged header) or other control character into `Location`."""
    if (
        target
        and target.startswith("/")
        and "\\" not in target
        and len(target) <= MAX_NEXT_CHARS
        and not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in target)
    ):
        try:
            parts = urlsplit(target)
        except ValueError:  # e.g. "//[" (an unclosed IPv6 host)
            parts = None
        if parts is not None and not parts.scheme and not parts.netloc:
            return target
    return url_for("dashboard.index")


# The form checks its own CSRF token, so an expired one shows the form again (with the
# address kept) instead of an error page.
@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(
    _login_account_limit,
    key_func=_login_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    if request.method == "POST":
        if form.validate():
            user = authenticate(form.email.data, form.password.data)
            if user is not None:
                next_url = _safe_next(request.args.get("next"))
                session.clear()
                session.permanent = True
                login_user(SessionUser(user))
                return redirect(next_url, code=303)
            error = LOGIN_FAILED
        elif form.csrf_token.errors:
            error = _("Die Sitzung ist abgelaufen. Bitte melden Sie sich noch einmal an.")
        status = 400 if form.csrf_token.errors else 200
        return render_template("auth/login.html", form=form, error=error), status
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        user = db.session.get(User, current_user.id)
        if user is not None:
            end_all_sessions(user)  # a copy of this session's cookie ends too
    logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("auth.login"), code=303)
