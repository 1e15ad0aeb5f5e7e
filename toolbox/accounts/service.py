"""Dashboard accounts: creating them, checking passwords, switching them off.

Passwords are stored as werkzeug scrypt hashes only. There is no default account and no
default password: the first admin is made with `toolbox create-user EMAIL --admin`.

A password needs 12 characters and must not be easy to guess: zxcvbn (Dropbox' estimator,
with its lists of common passwords, words and names, keyboard patterns, repetitions,
sequences and dates, and the account's own address) must rate it at least "safely
unguessable" (score 3 of 4). The same rule holds for the CLI, new accounts and new
passwords in the dashboard.
"""

from __future__ import annotations

import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from toolbox.accounts.models import User
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.core.i18n import N_

MIN_PASSWORD_LENGTH = 12
# scrypt hashes whatever it gets; a bound keeps a hostile login form from costing much.
MAX_PASSWORD_LENGTH = 1000


# zxcvbn's score from 0 (too guessable) to 4; 3: "safely unguessable" (about 10^10 guesses)
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses longer input; the first 72 characters decide (a longer password is only
# refused when its beginning is weak already, e.g. 100 times "a").
_ESTIMATE_CHARS = 72

WEAK_PASSWORD = N_("Dieses Passwort ist zu leicht zu erraten.")
WEAK_REASONS = {
    "repeat": N_("Es wiederholt Zeichen oder Zeichenfolgen (wie „aaaa“ oder „passwortpasswort“)."),
    "sequence": N_("Es besteht vor allem aus einer Folge wie „abcd“ oder „1234“."),
    "spatial": N_("Es besteht vor allem aus einem Tastaturmuster wie „qwertz“."),
    "dictionary": N_("Es besteht vor allem aus einem häufigen Passwort, Wort oder Namen."),
    "date": N_("Es besteht vor allem aus einem Datum oder einer Jahreszahl."),
    "personal": N_("Es enthält die E-Mail-Adresse des Kontos."),
    "other": N_("Es ist zu gleichförmig."),
}
WEAK_ADVICE = N_(
    "Besser: mehrere zufällige Wörter mit Zeichen dazwischen, z. B. „Tulpe-Fahrrad-Nebel-42“."
)


class AccountError(ValueError):
    """A German message for the person who made the account request."""


class WeakPassword(AccountError):
    """Long enough but easy to guess; `parts` are message ids (translate each)."""

    def __init__(self, reason: str):
        self.parts = (WEAK_PASSWORD, WEAK_REASONS[reason], WEAK_ADVICE)
        super().__init__(" ".join(self.parts))


def password_weakness(password: str, user_inputs: tuple[str, ...] = ()) -> str | None:
    """None for a password that is hard enough to guess, else why not (a WEAK_REASONS
    key): the kind of pattern that covers most of it."""
    inputs = [v for value in user_inputs if value for v in (value, value.split("@")[0])]
    result = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=inputs)
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    covered: dict[str, int] = {}
    for match in result["sequence"]:
        pattern = match["pattern"]
        if pattern == "dictionary" and match.get("dictionary_name") == "user_inputs":
            pattern = "personal"
        elif pattern == "regex":  # zxcvbn's only regex: recent years
            pattern = "date"
        covered[pattern] = covered.get(pattern, 0) + len(match["token"])
    if "personal" in covered:
        return "personal"
    covered.pop("bruteforce", None)
    return max(covered, key=covered.get) if covered else "other"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Raises AccountError (WeakPassword for a guessable one); `user_inputs`: the
    account's address, which must not make up the password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Das Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen lang sein.")
    reason = password_weakness(password, user_inputs)
    if reason is not None:
        raise WeakPassword(reason)


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
    check_password_rules(password, (address,))
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
    check_password_rules(password, (user.email,))
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
