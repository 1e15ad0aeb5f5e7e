"""QR codes of participant links (segno): SVG and PNG for the dashboard, a data: URL for
the kit's cover sheet. Pure: text in, bytes out."""

from __future__ import annotations

import base64
import io

import segno

# "M" recovers from 15 % damage: enough for a projected or printed code, still small.
ERROR_LEVEL = "m"


def _code(text: str) -> segno.QRCode:
    return segno.make(text, error=ERROR_LEVEL, micro=False)


def qr_svg(text: str, title: str = "", scale: int = 8) -> bytes:
    """Scalable: sharp at any size on a projector. Black on white, with a quiet zone."""
    out = io.BytesIO()
    _code(text).save(
        out,
        kind="svg",
        scale=scale,
        border=4,
        dark="#000",
        light="#fff",
        title=title or None,
        xmldecl=False,
        svgns=True,
        nl=False,
    )
    return out.getvalue()


def qr_png(text: str, scale: int = 10) -> bytes:
    out = io.BytesIO()
    _code(text).save(out, kind="png", scale=scale, border=4, dark="#000", light="#fff")
    return out.getvalue()


def qr_data_url(text: str) -> str:
    """For WeasyPrint, whose URL fetcher serves only bundled assets and `data:` URLs."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text)).decode()
