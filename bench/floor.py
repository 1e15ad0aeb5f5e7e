"""WeasyPrint's floor (issue 20): the same text as our PDF, rendered by WeasyPrint from
minimal HTML – our document's HTML without its stylesheets (no `document.css`, no
template `<style>`, so no hyphenation), only the fonts and the page size – as a plain PDF
(no PDF/UA tagging). Interleaved with our PDF render, median of n, in the same process."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from toolbox.documents.render import Renderer
from toolbox.instruments.registry import INSTRUMENTS

_STYLE = re.compile(r"<style\b.*?</style>|<link\b[^>]*>", re.S | re.I)
MINIMAL_CSS = (
    "@page { size: A4; margin: 22mm 20mm 25mm 22mm } "
    'html { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 10.5pt }'
)


def minimal_html(html: str) -> str:
    return _STYLE.sub("", html)


def measure(
    renderer: Renderer, payloads: dict[str, dict], n: int
) -> dict[str, tuple[float, float]]:
    """slug → (our PDF, floor), seconds, median of n each."""
    fonts = FontConfiguration()
    css = CSS(string=MINIMAL_CSS, font_config=fonts)
    out = {}
    for slug, payload in payloads.items():
        ctx = renderer.context(INSTRUMENTS[slug], payload, dt.date.today())
        html = renderer.pdf.render_html(f"{slug}.html", ctx)
        bare = minimal_html(html)

        def floor(bare=bare):
            HTML(string=bare).write_pdf(stylesheets=[css], font_config=fonts)

        def ours(slug=slug, ctx=ctx):
            renderer.pdf.render_pdf(f"{slug}.html", ctx)

        floor(), ours()  # warm-up
        times: dict[str, list[float]] = {"ours": [], "floor": []}
        for _ in range(n):
            for name, fn in (("ours", ours), ("floor", floor)):
                begin = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - begin)
        out[slug] = (statistics.median(times["ours"]), statistics.median(times["floor"]))
    return out
