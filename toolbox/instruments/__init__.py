"""The explicit registry of instruments, in the order of the practice guide.

Adding an instrument means one module here (declaring `INSTRUMENT`), its two templates
(templates/html/<slug>.html, templates/docx/<slug>.docx) and a line below.
"""

from __future__ import annotations

from importlib import import_module

from toolbox.instruments.base import CalendarEvent, Field, Instrument

SLUGS = ("kooperationsvereinbarung",)

INSTRUMENTS: dict[str, Instrument] = {
    slug: import_module(f"toolbox.instruments.{slug}").INSTRUMENT for slug in SLUGS
}


def get_instrument(slug: str) -> Instrument | None:
    return INSTRUMENTS.get(slug)


__all__ = ["INSTRUMENTS", "CalendarEvent", "Field", "Instrument", "get_instrument"]
