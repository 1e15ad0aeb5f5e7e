"""No tokens, no client addresses and no forged lines in any log line.

Private links are bearer tokens (`/s/<token>`, `/w/<token>`, `/entwurf/<token>`, the API's
`/api/v1/submissions/<token>`): whoever reads a log could open them. Every line that goes
through the web's handlers (application and gunicorn's access and error logs) has

- the path segment after those prefixes, and any other token-like run of 32 or more
  URL-safe characters, replaced by `<token>`;
- control characters (CR, LF, …, and Unicode line separators) written as `\\xNN` escapes,
  so a request for `/s/x%0a… ERROR …` cannot start a line of its own;
- in gunicorn's access log, the client address shortened (IPv4 /24, IPv6 /48).
"""

from __future__ import annotations

import ipaddress
import logging
import re

from gunicorn.glogging import Logger as GunicornBaseLogger

PRIVATE_PREFIXES = re.compile(r"(/(?:s|w|entwurf|api/v1/submissions)/)[^/\s\"'?#]+")
TOKEN_LIKE = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
REDACTED = "<token>"


def escape_controls(text: str) -> str:
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def redact_tokens(text: str) -> str:
    return TOKEN_LIKE.sub(REDACTED, PRIVATE_PREFIXES.sub(r"\1" + REDACTED, text))


def clean(text: str) -> str:
    """One safe log line: control characters escaped, tokens replaced."""
    return redact_tokens(escape_controls(text))


def shorten_address(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback) before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string: log what there is
            message = str(record.msg)
        record.msg, record.args = clean(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # A traceback spans lines by nature; only the tokens go.
            record.exc_text = redact_tokens(record.exc_text)
        return True


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger with the filter on its access and error logs (gunicorn.conf.py:
    `logger_class`)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactingFilter) for f in log.filters):
                log.addFilter(RedactingFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = shorten_address(atoms.get("h", ""))
        return atoms
