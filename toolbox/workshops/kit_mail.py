""" "Kit per E-Mail": a message with a link to the kit's download page, never the ZIP
itself (it holds the workshop's documents; the link asks for a login).

Sent while the facilitator waits, so the answer on screen is the real outcome: "sent"
only after the server accepted it, "in the outbox" when no mail server is configured,
or the server's refusal.
"""

from __future__ import annotations

import secrets
from email.message import EmailMessage

from flask import current_app, render_template

from toolbox.core.mail import new_message, send, sender_address


def build_kit_message(recipient: str, context: dict) -> EmailMessage:
    """`context`: title, date, download_url, workshop_url, size, built_at (display strings)."""
    msg = new_message(
        f"Workshop-Kit: {context['title']}",
        sender_address(current_app.config.get("TOOLBOX_MAIL_FROM")),
        recipient,
        f"<{secrets.token_hex(20)}@toolbox>",
    )
    msg.set_content(render_template("mail/kit.txt", **context))
    msg.add_alternative(render_template("mail/kit.html", **context), subtype="html")
    return msg


def send_kit_message(msg: EmailMessage) -> str:
    """Deliver now; returns "smtp" or "outbox". Raises mail.MailError."""
    return send(msg)
