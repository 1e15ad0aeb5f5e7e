""" "Kit per E-Mail": a message with a link to the kit's download page, never the ZIP
itself (it holds the workshop's documents; the link asks for a login).

Sent while the facilitator waits, so the answer on screen is the real outcome: "sent"
only after the server accepted it, "in the outbox" when no mail server is configured,
or the server's refusal.
"""

from __future__ import annotations

import datetime as dt
import secrets
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app, render_template

from toolbox.core.mail import SmtpSettings, send_smtp, sender_address, write_outbox


def build_kit_message(recipient: str, context: dict) -> EmailMessage:
    """`context`: title, date, download_url, workshop_url, size, built_at (display strings)."""
    msg = EmailMessage()
    msg["Subject"] = f"Workshop-Kit: {context['title']}"
    msg["From"] = sender_address(current_app.config.get("TOOLBOX_MAIL_FROM"))
    msg["To"] = recipient
    msg["Message-ID"] = f"<{secrets.token_hex(20)}@toolbox>"
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(render_template("mail/kit.txt", **context))
    msg.add_alternative(render_template("mail/kit.html", **context), subtype="html")
    return msg


def send_kit_message(msg: EmailMessage) -> str:
    """Deliver now; returns "smtp" or "outbox". Raises mail.MailError."""
    config = current_app.config
    smtp_url = config.get("TOOLBOX_SMTP_URL")
    if not smtp_url:
        write_outbox(msg, config["TOOLBOX_OUTBOX_DIR"])
        return "outbox"
    send_smtp(msg, SmtpSettings.from_url(smtp_url))
    return "smtp"
