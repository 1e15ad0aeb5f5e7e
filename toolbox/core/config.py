"""Configuration: defaults, overridden by TOOLBOX_* environment variables.

With no environment at all the product runs on the embedded default: an SQLite database
and an SQLite-backed Celery broker under the data directory, so nothing else needs to be
installed. PostgreSQL and Redis are used when their URLs are given.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from toolbox.core.files import private_dir, write_private
from toolbox.core.ratelimits import sqlite_storage_url

# The document templates that ship inside the package (toolbox/documents/templates/{docx,html});
# a deployment can point TOOLBOX_TEMPLATES_DIR at its own copy (see templates/README.md).
DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "documents" / "templates"


class ConfigError(RuntimeError):
    """A setting the product cannot run with; the message says what to set."""


def _secret_key(data_dir: Path, production: bool) -> str:
    key = os.environ.get("TOOLBOX_SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("TOOLBOX_SECRET_KEY muss in Produktion gesetzt sein.")
    # Development: generate once and keep it, so sessions survive restarts.
    path = data_dir / "secret_key"
    if not path.exists():
        write_private(path, secrets.token_urlsafe(48).encode())
    return path.read_text().strip()


def base_url_problem(url: str) -> str | None:
    """Why `url` cannot be the public address of a production installation (links in
    emails, the participants' link and its QR code), or None."""
    if not url:
        return (
            "TOOLBOX_BASE_URL muss in Produktion gesetzt sein: die öffentliche Adresse, "
            "unter der Teilnehmende und Empfänger von E-Mails den Dienst erreichen, "
            "z. B. https://toolbox.example.org."
        )
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return (
            f"TOOLBOX_BASE_URL={url!r} passt nicht zur Produktion: erwartet wird eine "
            "https-Adresse wie https://toolbox.example.org (Anmelde-Cookies werden in "
            "Produktion nur über https gesendet)."
        )
    if parts.query or parts.fragment:
        return f"TOOLBOX_BASE_URL={url!r}: bitte ohne ? und # angeben."
    host = parts.hostname
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    if loopback:
        return (
            f"TOOLBOX_BASE_URL={url!r} zeigt auf diesen Rechner ({host}); Links in E-Mails "
            "und der QR-Code für Teilnehmende gingen ins Leere. Bitte die öffentliche "
            "Adresse eintragen."
        )
    return None


def _base_url(env, production: bool) -> str:
    url = env.get("TOOLBOX_BASE_URL", "").strip()
    if production:
        problem = base_url_problem(url)
        if problem:
            raise ConfigError(problem)
        return url
    if url:
        return url
    # Development: the port the web server listens on (gunicorn.conf.py binds PORT;
    # `make run` passes TOOLBOX_BASE_URL to web and worker alike, since honcho gives
    # every process its own PORT).
    port = env.get("PORT", "").strip() or "5000"
    if not port.isdigit():
        raise ConfigError(f"PORT: eine Portnummer erwartet, nicht {port!r}.")
    return f"http://127.0.0.1:{int(port)}"


def database_url(url: str) -> str:
    """PostgreSQL URLs as people write them (postgresql://, postgres://) use psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def from_environment() -> dict:
    """Build the Flask config mapping from the environment."""
    env = os.environ
    mode = env.get("TOOLBOX_ENV", "development")
    if mode not in ("development", "production"):
        # A typo must not quietly run production with development settings.
        raise ConfigError(f"TOOLBOX_ENV: „production“ oder „development“ erwartet, nicht {mode!r}.")
    production = mode == "production"
    data_dir = Path(env.get("TOOLBOX_DATA_DIR", "var")).resolve()
    private_dir(data_dir)
    broker_url = env.get("TOOLBOX_BROKER_URL", f"sqla+sqlite:///{data_dir / 'broker.sqlite'}")
    return {
        "TOOLBOX_ENV": "production" if production else "development",
        "TOOLBOX_DATA_DIR": str(data_dir),
        "SECRET_KEY": _secret_key(data_dir, production),
        # Old keys still accepted for existing sessions while a new key is rolled out.
        "SECRET_KEY_FALLBACKS": [
            k for k in env.get("TOOLBOX_SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
        ],
        "SQLALCHEMY_DATABASE_URI": database_url(
            env.get("TOOLBOX_DATABASE_URL", f"sqlite:///{data_dir / 'toolbox.sqlite'}")
        ),
        "TOOLBOX_BROKER_URL": broker_url,
        # Seconds; 0: the safe default (toolbox.jobs). Tests set a short one to provoke
        # duplicate deliveries.
        "TOOLBOX_BROKER_VISIBILITY_TIMEOUT": int(env.get("TOOLBOX_BROKER_VISIBILITY_TIMEOUT", "0")),
        # Public address for links in emails, the participants' link and its QR code.
        "TOOLBOX_BASE_URL": _base_url(env, production),
        "TOOLBOX_TEMPLATES_DIR": env.get("TOOLBOX_TEMPLATES_DIR", str(DEFAULT_TEMPLATES_DIR)),
        "TOOLBOX_RETENTION_DAYS": int(env.get("TOOLBOX_RETENTION_DAYS", "90")),
        # A party of a circulated agreement who has not answered gets one reminder after
        # this many days (toolbox.cooperation).
        "TOOLBOX_COOPERATION_REMINDER_DAYS": int(env.get("TOOLBOX_COOPERATION_REMINDER_DAYS", "7")),
        # Seconds between two runs of the sweeper (celery beat); tests run it more often.
        "TOOLBOX_SWEEP_INTERVAL": float(env.get("TOOLBOX_SWEEP_INTERVAL", "30")),
        "TOOLBOX_LOG_FORMAT": env.get("TOOLBOX_LOG_FORMAT", "text"),
        "TOOLBOX_LOG_LEVEL": env.get("TOOLBOX_LOG_LEVEL", "INFO"),
        # Number of reverse proxies in front of the app whose X-Forwarded-* headers to trust.
        "TOOLBOX_PROXIES": int(env.get("TOOLBOX_PROXIES", "0")),
        # Unset: messages are written as .eml files into the outbox folder instead.
        "TOOLBOX_SMTP_URL": env.get("TOOLBOX_SMTP_URL") or None,
        "TOOLBOX_MAIL_FROM": env.get("TOOLBOX_MAIL_FROM"),
        "TOOLBOX_MAIL_MAX_ATTACHMENT_BYTES": int(
            env.get("TOOLBOX_MAIL_MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024))
        ),
        "TOOLBOX_OUTBOX_DIR": data_dir / "outbox",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Dashboard sessions end after this much inactivity (the session is permanent and
        # refreshed by every request except the dashboard's background polling).
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(env.get("TOOLBOX_SESSION_IDLE_MINUTES", "60"))
        ),
        # Counted in the Redis broker when there is one, otherwise in a file in the data
        # directory: either way all web processes share the counts (toolbox.core.ratelimits).
        # A storage outage must not stop submissions.
        "RATELIMIT_STORAGE_URI": env.get("TOOLBOX_RATELIMIT_STORAGE_URL")
        or (
            broker_url
            if broker_url.startswith("redis")
            else sqlite_storage_url(data_dir / "ratelimits.sqlite")
        ),
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "TOOLBOX_LOGIN_RATE_LIMIT": env.get("TOOLBOX_LOGIN_RATE_LIMIT", "10 per minute"),
        # Failed logins per account (whatever the address): slows guessing from many
        # addresses; the account's owner can log in again after the window.
        "TOOLBOX_LOGIN_ACCOUNT_RATE_LIMIT": env.get(
            "TOOLBOX_LOGIN_ACCOUNT_RATE_LIMIT", "10 per 15 minutes"
        ),
        # Per client address (behind a proxy see TOOLBOX_PROXIES): a workshop room behind
        # one address shares it, hence generous.
        "TOOLBOX_DIRECTORY_RATE_LIMIT": env.get("TOOLBOX_DIRECTORY_RATE_LIMIT", "30 per minute"),
        "TOOLBOX_SUBMIT_RATE_LIMIT": env.get("TOOLBOX_SUBMIT_RATE_LIMIT", "30 per minute"),
        # The live preview asks after every pause in typing: a room of typists needs more.
        "TOOLBOX_PREVIEW_RATE_LIMIT": env.get("TOOLBOX_PREVIEW_RATE_LIMIT", "600 per minute"),
        # "Send the email again" per client address (API), across submissions; each
        # submission also has its own limits (toolbox.submissions.mail_limits).
        "TOOLBOX_RESEND_RATE_LIMIT": env.get("TOOLBOX_RESEND_RATE_LIMIT", "20 per hour"),
        # Emails one signed-in account may trigger (kit links, re-sends).
        "TOOLBOX_ACCOUNT_MAIL_RATE_LIMIT": env.get(
            "TOOLBOX_ACCOUNT_MAIL_RATE_LIMIT", "20 per hour"
        ),
        # Large enough for any legitimate form, small enough to refuse abuse (→ 413).
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # The largest form (the contact directory: 500 rows of 7 fields) plus headroom.
        "MAX_FORM_PARTS": 5000,
        # Database errors must not carry submitted values into logs.
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    }
