"""The explicit registry of instruments. Adding one means one module plus two templates."""

from __future__ import annotations

from toolbox.instruments import kooperationsvereinbarung
from toolbox.instruments.base import Field, Instrument

INSTRUMENTS: dict[str, Instrument] = {
    module.INSTRUMENT.slug: module.INSTRUMENT for module in (kooperationsvereinbarung,)
}


def get_instrument(slug: str) -> Instrument | None:
    return INSTRUMENTS.get(slug)


__all__ = ["INSTRUMENTS", "Field", "Instrument", "get_instrument"]
