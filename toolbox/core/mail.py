"""The mail transport: hand a message to an SMTP server (or the outbox folder).

Errors are sorted into transient (connection problems, timeouts, 4xx replies: try again
later) and permanent (5xx replies: trying again will not help).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import unicodedata
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app

from toolbox.core.files import private_dir, write_private

DEFAULT_FROM = "Kooperations-Werkzeugkasten <noreply@localhost>"
SMTP_TIMEOUT = 10
OUTBOX_KEY_SEPARATOR = "--"


class MailError(Exception):
    """Delivery failed; `str()` is the text recorded for people to read."""


class TransientMailError(MailError):
    pass


class PermanentMailError(MailError):
    pass


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "plain", "starttls" or "tls"
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        schemes = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
        if parts.scheme not in schemes or not parts.hostname:
            raise ValueError("TOOLBOX_SMTP_URL: smtp://, smtp+starttls:// oder smtps:// erwartet")
        security, default_port = schemes[parts.scheme]
        return cls(
            host=parts.hostname,
            port=parts.port or default_port,
            security=security,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def one_line(text: str) -> str:
    """A header value from typed text (a workshop title): one line, whatever was typed —
    line breaks (CR, LF, U+2028 …) become spaces, other control characters go."""
    words = "".join(c if c.isspace() or unicodedata.category(c) != "Cc" else "" for c in text)
    return " ".join(words.split())


def new_message(subject: str, sender: str, recipient: str, message_id: str) -> EmailMessage:
    """A message with the headers every email of the toolbox carries."""
    msg = EmailMessage()
    msg["Subject"] = one_line(subject)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Auto-Submitted"] = "auto-generated"
    return msg


def send(msg: EmailMessage, outbox_key: str | None = None) -> str:
    """Deliver by SMTP if TOOLBOX_SMTP_URL is set, else into the outbox folder; returns
    "smtp" or "outbox". Raises MailError. `outbox_key` (not secret, e.g. "submission-7")
    goes into the outbox file's name so the file can be deleted with what it belongs to."""
    config = current_app.config
    smtp_url = config.get("TOOLBOX_SMTP_URL")
    if not smtp_url:
        write_outbox(msg, config["TOOLBOX_OUTBOX_DIR"], outbox_key)
        return "outbox"
    send_smtp(msg, SmtpSettings.from_url(smtp_url))
    return "smtp"


def send_smtp(msg: EmailMessage, settings: SmtpSettings) -> None:
    """Deliver or raise Transient/PermanentMailError; returns only once accepted."""
    try:
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=SMTP_TIMEOUT,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                client.login(settings.username, settings.password or "")
            refused = client.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        raise _by_code(code, reply) from exc
    except smtplib.SMTPResponseException as exc:
        raise _by_code(exc.smtp_code, exc.smtp_error) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientMailError(
            f"Mailserver nicht erreichbar: {type(exc).__name__}: {exc}"
        ) from exc
    if refused:
        code, reply = next(iter(refused.values()))
        raise _by_code(code, reply)


def _by_code(code: int, reply: bytes | str) -> MailError:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    message = f"Mailserver antwortete {code} {text}"
    return TransientMailError(message) if 400 <= code < 500 else PermanentMailError(message)


def write_outbox(msg: EmailMessage, outbox: Path, key: str | None = None) -> Path:
    """Without SMTP configured, the message is written as a real .eml file instead
    (owner-only: it holds personal data)."""
    private_dir(Path(outbox))
    name = msg["Message-ID"].strip("<>").split("@")[0]
    if key:
        name = f"{key}{OUTBOX_KEY_SEPARATOR}{name}"
    path = Path(outbox) / f"{name}.eml"
    write_private(path, msg.as_bytes(policy=policy.SMTP))  # CRLF, as on the wire
    return path


def delete_outbox(outbox: Path, key: str) -> int:
    """Delete the outbox files written with `key`; returns how many."""
    outbox = Path(outbox)
    if not outbox.is_dir():
        return 0
    count = 0
    for path in outbox.glob(f"{key}{OUTBOX_KEY_SEPARATOR}*.eml"):
        path.unlink(missing_ok=True)
        count += 1
    return count


def sender_address(configured: str | None) -> str:
    name, address = parseaddr(configured or DEFAULT_FROM)
    return formataddr((name, address)) if address else DEFAULT_FROM
