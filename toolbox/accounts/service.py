"""Dashboard accounts: creating them, checking passwords, switching them off.

Passwords are stored as werkzeug scrypt hashes only. There is no default account and no
default password: the first admin is made with `toolbox create-user EMAIL --admin`.
"""

from __future__ import annotations

import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash, generate_password_hash

from toolbox.accounts.models import User
from toolbox.core.db import utcnow
from toolbox.core.extensions import db

MIN_PASSWORD_LENGTH = 12
# scrypt hashes whatever it gets; a bound keeps a hostile login form from costing much.
MAX_PASSWORD_LENGTH = 1000


class AccountError(ValueError):
    """A German message for the person who made the account request."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein.")


def _hash(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def find_user(email: str) -> User | None:
    return User.query.filter_by(email=normalize_email(email)).one_or_none()


def create_user(email: str, password: str, *, is_admin: bool = False) -> User:
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized
        if address[0] in "=+-@":  # legal, but a formula in a spreadsheet
            raise EmailNotValidError(address)
    except EmailNotValidError as exc:
        raise AccountError("Bitte eine gültige E-Mail-Adresse angeben.") from exc
    address = normalize_email(address)
    check_password_rules(password)
    if find_user(address) is not None:
        raise AccountError("Es gibt bereits ein Konto mit dieser E-Mail-Adresse.")
    user = User(email=address, password_hash=_hash(password), is_admin=is_admin, active=True)
    db.session.add(user)
    db.session.commit()
    return user


@cache
def _dummy_hash() -> str:
    return _hash(secrets.token_urlsafe(32))


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None. A password is hashed
    even when the address is unknown, so the answer takes as long either way."""
    password = password[:MAX_PASSWORD_LENGTH]
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def end_sessions(user: User) -> None:
    """Every open session of the account ends with its next request (each carries the
    account's session version, checked on every request). The caller commits."""
    user.session_version = User.session_version + 1


def end_all_sessions(user: User) -> None:
    end_sessions(user)
    db.session.commit()


def set_password(user: User, password: str) -> None:
    """Also ends the account's sessions."""
    check_password_rules(password)
    user.password_hash = _hash(password)
    end_sessions(user)
    db.session.commit()


def deactivate(user: User) -> None:
    """The account can no longer log in; its open sessions end with the next request."""
    user.active = False
    end_sessions(user)
    db.session.commit()


def reactivate(user: User) -> None:
    user.active = True
    db.session.commit()
