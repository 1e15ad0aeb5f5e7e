"""Absolute links for messages, QR codes and documents: TOOLBOX_BASE_URL + path, the same
whether a request, a worker or the CLI builds them."""

from __future__ import annotations

from flask import current_app


def external_url(path: str) -> str:
    return current_app.config["TOOLBOX_BASE_URL"].rstrip("/") + path
