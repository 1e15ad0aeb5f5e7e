"""The explicit registry of instruments, in the order of the practice guide.

Adding an instrument means one module in this package (declaring `INSTRUMENT`), its two
templates (templates/html/<slug>.html, templates/docx/<slug>.docx) and a line below.
"""

from __future__ import annotations

from importlib import import_module

from toolbox.instruments.base import Instrument

SLUGS = (
    "beratungsauftrag",
    "erstgespraech",
    "gruendungsplanung",
    "gruendungsprotokoll",
    "kooperationsvereinbarung",
    "raumnutzung",
    "austauschprotokoll",
    "reflexion",
    "jahresplanung",
    "ansprechpersonen",
)

INSTRUMENTS: dict[str, Instrument] = {
    slug: import_module(f"toolbox.instruments.{slug}").INSTRUMENT for slug in SLUGS
}


def get_instrument(slug: str) -> Instrument | None:
    return INSTRUMENTS.get(slug)
