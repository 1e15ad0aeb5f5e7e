"""German formats for documents: "22. November 2026", "18:00 Uhr", "1.234,50 €"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def german_date(value: dt.date | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def german_time(value: dt.time | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.time.fromisoformat(value)
    return f"{value:%H:%M} Uhr"


def german_number(value: Decimal | int | float | str | None, places: int = 2) -> str:
    if value is None or value == "":
        return ""
    text = f"{Decimal(str(value)):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def euro(value: Decimal | int | float | str | None) -> str:
    text = german_number(value)
    return f"{text} €" if text else ""


_TRANSLIT = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
    "ß": "ss",
    "–": "-",  # dashes separate words ("2027–2028"), they must not glue them together
    "—": "-",
}


def safe_filename_part(text: str, limit: int = 60) -> str:
    """ASCII letters, digits and hyphens only: safe on every file system and mail client."""
    text = "".join(_TRANSLIT.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")
    return text[:limit].rstrip("-")


def document_filename(day: dt.date, title: str, short_name: str, ext: str) -> str:
    parts = [day.isoformat(), safe_filename_part(title)]
    short = safe_filename_part(short_name)
    if short:
        parts.append(short)
    return "_".join(parts) + f".{ext}"
