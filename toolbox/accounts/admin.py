"""Account management for admins: create, deactivate, reactivate, reset a password, end
all sessions of an account."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from toolbox.accounts.models import User
from toolbox.accounts.service import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    AccountError,
    WeakPassword,
    check_password_rules,
    create_user,
    deactivate,
    end_all_sessions,
    reactivate,
    set_password,
)
from toolbox.accounts.views import SessionUser, admin_required
from toolbox.core.extensions import db
from toolbox.core.i18n import translated

bp = Blueprint("admin", __name__, url_prefix="/dashboard/konten")

_PASSWORD_HINT = _l(
    "Mindestens %(count)s Zeichen, nicht leicht zu erraten: am besten mehrere zufällige Wörter.",
    count=MIN_PASSWORD_LENGTH,
)


def not_guessable(form, field):
    """The service's rule (toolbox.accounts.service), in the UI language; the account's
    address (`form.account_email` or the form's email field) must not make it up."""
    if not field.data or not MIN_PASSWORD_LENGTH <= len(field.data) <= MAX_PASSWORD_LENGTH:
        return  # the length has its own message
    email = getattr(form, "account_email", None) or getattr(form, "email", None)
    address = email if isinstance(email, str) else getattr(email, "data", None)
    try:
        check_password_rules(field.data, ((address or "").strip().lower(),))
    except WeakPassword as exc:
        raise ValidationError(" ".join(_(part) for part in exc.parts)) from None


def _password_fields():
    password = PasswordField(
        _l("Passwort"),
        description=_PASSWORD_HINT,
        validators=[
            InputRequired(_l("Bitte ein Passwort angeben.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "Das Passwort muss mindestens %(count)s Zeichen lang sein.",
                    count=MIN_PASSWORD_LENGTH,
                ),
            ),
            not_guessable,
        ],
    )
    confirm = PasswordField(
        _l("Passwort wiederholen"),
        validators=[EqualTo("password", _l("Die beiden Passwörter stimmen nicht überein."))],
    )
    return password, confirm


class PasswordForm(FlaskForm):
    password, confirm = _password_fields()
    account_email: str | None = None  # whose password: checked against it


class AccountForm(FlaskForm):
    email = StringField(
        _l("E-Mail-Adresse"),
        validators=[
            InputRequired(_l("Bitte die E-Mail-Adresse angeben.")),
            Length(max=254, message=_l("Die E-Mail-Adresse ist zu lang.")),
        ],
    )
    password, confirm = _password_fields()
    is_admin = BooleanField(_l("Administration (sieht alle Einreichungen und verwaltet Konten)"))


def _back():
    return redirect(url_for("admin.accounts"), code=303)


@bp.route("", methods=["GET", "POST"])
@admin_required
def accounts():
    form = AccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, is_admin=form.is_admin.data)
        except AccountError as exc:
            form.email.errors.append(translated(str(exc)))
        else:
            flash(_("Das Konto %(email)s wurde angelegt.", email=user.email), "success")
            return _back()
    if form.is_submitted():
        status = 422
    users = User.query.order_by(User.email).all()
    return render_template("dashboard/accounts.html", form=form, users=users), status


@bp.post("/<id:user_id>/deaktivieren")
@admin_required
def deactivate_account(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("Sie können Ihr eigenes Konto nicht deaktivieren."), "error")
    else:
        deactivate(user)
        flash(_("Das Konto %(email)s ist deaktiviert.", email=user.email), "success")
    return _back()


@bp.post("/<id:user_id>/aktivieren")
@admin_required
def reactivate_account(user_id: int):
    user = db.get_or_404(User, user_id)
    reactivate(user)
    flash(_("Das Konto %(email)s ist wieder aktiv.", email=user.email), "success")
    return _back()


@bp.post("/<id:user_id>/sitzungen-beenden")
@admin_required
def end_sessions(user_id: int):
    """Every device logged in to the account is logged out (e.g. a lost laptop); the
    admin's own current session stays."""
    user = db.get_or_404(User, user_id)
    end_all_sessions(user)
    if user.id == current_user.id:
        login_user(SessionUser(user))
        flash(_("Ihre anderen Sitzungen sind beendet."), "success")
    else:
        flash(_("Alle Sitzungen von %(email)s sind beendet.", email=user.email), "success")
    return _back()


@bp.route("/<id:user_id>/passwort", methods=["GET", "POST"])
@admin_required
def reset_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        set_password(user, form.password.data)
        if user.id == current_user.id:
            login_user(SessionUser(user))  # a new password ends all sessions: keep this one
        flash(_("Das Passwort von %(email)s wurde geändert.", email=user.email), "success")
        return _back()
    status = 422 if form.is_submitted() else 200
    return render_template("dashboard/password.html", form=form, user=user), status
