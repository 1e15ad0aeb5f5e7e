"""The documents look as they did before the PDF path was made faster (issue 20): every
page of every golden PDF (tests/data/<slug>.json), rasterised with `pdftoppm -r 50 -gray`,
matches its reference PNG in tests/data/lookalike/ within a small pixel difference.

The references were made by main's renderer before the speed-ups (commit c0693b9). To make
them again after a deliberate change of the layout:

    .venv/bin/python tests/test_lookalike.py
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import DATA, ROOT, load_data
from PIL import Image, ImageChops

from toolbox.app import create_app
from toolbox.documents.render import Renderer
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS

TODAY = dt.date(2026, 11, 22)
REFERENCES = DATA / "lookalike"
SLUGS = sorted(INSTRUMENTS)
# A pixel differs when its grey value moved by more than a quarter of the range; a page
# looks alike when fewer than 0.3 % of its pixels differ (anti-aliasing noise only; one
# moved line of text changes several percent).
DELTA = 64
MAX_SHARE = 0.003


def golden_pdf(renderer: Renderer, slug: str) -> bytes:
    instrument = INSTRUMENTS[slug]
    form, errors = validated_form(instrument, load_data(slug))
    assert not errors, errors
    docs = {d.format: d for d in renderer.render(instrument, to_payload(form), today=TODAY)}
    return docs["pdf"].content


def pages(pdf: bytes) -> list[Image.Image]:
    """Each page as a greyscale image, 50 dpi."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", "50", "-gray", "-png", str(source), str(Path(tmp) / "p")],
            check=True,
            timeout=60,
        )
        return [
            Image.open(io.BytesIO(path.read_bytes())).convert("L")
            for path in sorted(Path(tmp).glob("p-*.png"))
        ]


def differing_share(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > DELTA else 0)
    return diff.histogram()[255] / (a.size[0] * a.size[1])


def reference_pages(slug: str) -> list[Image.Image]:
    return [Image.open(path).convert("L") for path in sorted(REFERENCES.glob(f"{slug}-p*.png"))]


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def test_differing_share_sees_a_moved_line():
    """The measure itself: a shifted page is far over the threshold, the same page is 0."""
    page = reference_pages("kooperationsvereinbarung")[0]
    moved = ImageChops.offset(page, 0, 3)
    assert differing_share(page, page) == 0
    assert differing_share(page, moved) > 5 * MAX_SHARE


@pytest.mark.parametrize("slug", SLUGS)
def test_pdf_pages_look_like_the_reference(app, renderer, slug):
    expected = reference_pages(slug)
    assert expected, f"no reference PNGs for {slug}"
    with app.app_context():
        actual = pages(golden_pdf(renderer, slug))
    assert len(actual) == len(expected), "page count changed"
    for number, (got, want) in enumerate(zip(actual, expected, strict=True), start=1):
        share = differing_share(got, want)
        assert share < MAX_SHARE, f"{slug} page {number}: {share:.2%} of the pixels differ"


def write_references() -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    renderer = Renderer(ROOT / "toolbox" / "documents" / "templates")
    REFERENCES.mkdir(parents=True, exist_ok=True)
    for old in REFERENCES.glob("*.png"):
        old.unlink()
    with app.app_context():
        for slug in SLUGS:
            for number, page in enumerate(pages(golden_pdf(renderer, slug)), start=1):
                page.save(REFERENCES / f"{slug}-p{number}.png", optimize=True)


if __name__ == "__main__":
    write_references()
    sys.exit(0)
