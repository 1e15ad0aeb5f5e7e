"""Absolute links for messages, QR codes and documents: TOOLBOX_BASE_URL + path, the same
whether a request, a worker or the CLI builds them. And the values URLs carry: row ids
(`<id:…>` routes, `parse_id` for query strings) and page numbers, always in range."""

from __future__ import annotations

from flask import Flask, current_app
from werkzeug.routing import IntegerConverter

from toolbox.core.db import MAX_ID


def external_url(path: str) -> str:
    return current_app.config["TOOLBOX_BASE_URL"].rstrip("/") + path


def parse_id(value: str | None) -> int | None:
    """A row id from a query string or a session: ASCII digits in the ids' range, else
    None (never an error: `int("²")` raises, 2**64 overflows the database driver)."""
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def bounded_int(value: str | None, default: int, maximum: int) -> int:
    """A positive number from a query string (e.g. `?page=`), `default` when it is none."""
    if not value or len(value) > 19 or not (value.isascii() and value.isdigit()):
        return default
    return max(1, min(int(value), maximum))


class IdConverter(IntegerConverter):
    """`<id:…>`: a row id in a URL, 1 to MAX_ID; anything else does not match (404).
    Every route that names a row uses it (tests/test_no_500.py checks)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
