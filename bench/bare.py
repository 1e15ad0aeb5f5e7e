"""The bare renderers: what `toolbox render` does, in a warm process, without web,
broker or database. Everything else is measured against these numbers."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import statistics
import time
from dataclasses import dataclass

from flask import Flask

from bench.procs import ROOT, CpuMeter, children
from toolbox.documents.docx import render_docx
from toolbox.documents.render import Renderer
from toolbox.instruments.base import Instrument
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS

DATA_DIR = ROOT / "tests" / "data"


@dataclass(frozen=True)
class BareResult:
    slug: str
    formats: tuple[str, ...]
    docx: float  # seconds, median
    pdf: float
    full: float  # one whole submission: every format, as the worker renders it


def load_data() -> dict[str, dict]:
    """The realistic API payload of every instrument (the same files the tests use)."""
    return {
        slug: json.loads((DATA_DIR / f"{slug}.json").read_text(encoding="utf-8"))
        for slug in INSTRUMENTS
    }


def validated_payloads(app: Flask, data: dict[str, dict]) -> dict[str, dict]:
    """What the API would store: the renderer gets validated payloads, never raw JSON."""
    payloads = {}
    with app.app_context():
        for slug, raw in data.items():
            form, errors = validated_form(INSTRUMENTS[slug], raw)
            if form is None:
                raise ValueError(f"{slug}: bench data invalid: {errors}")
            payloads[slug] = to_payload(form)
    return payloads


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(renderer: Renderer, payloads: dict[str, dict], n: int) -> list[BareResult]:
    """Median of `n` per instrument; DOCX, PDF and the whole submission are interleaved so
    background noise hits all three alike."""
    results = []
    for slug, payload in payloads.items():
        instrument = INSTRUMENTS[slug]
        renderer.render(instrument, payload)  # warm-up: compiles the templates
        docx_fn, pdf_fn = _single_format(renderer, instrument, payload)
        times: dict[str, list[float]] = {"docx": [], "pdf": [], "full": []}
        for _ in range(n):
            times["docx"].append(_timed(docx_fn))
            times["pdf"].append(_timed(pdf_fn))
            times["full"].append(_timed(lambda i=instrument, p=payload: renderer.render(i, p)))
        medians = {k: statistics.median(v) for k, v in times.items()}
        results.append(BareResult(slug, instrument.formats, **medians))
    return results


def median_pdf(renderer: Renderer, instrument: Instrument, payload: dict, n: int) -> float:
    """Median seconds of our PDF alone (warm), for a comparison measured at another time."""
    _, pdf_fn = _single_format(renderer, instrument, payload)
    pdf_fn()
    return statistics.median(_timed(pdf_fn) for _ in range(n))


def _single_format(renderer: Renderer, instrument: Instrument, payload: dict):
    """One format alone, from the same context `Renderer.render` builds."""
    ctx = renderer.context(instrument, payload, dt.date.today())
    title = instrument.document_title
    template = renderer.docx_dir / f"{instrument.slug}.docx"
    return (
        lambda: render_docx(template, ctx, title),
        lambda: renderer.pdf.render_pdf(f"{instrument.slug}.html", ctx),
    )


# --- the same renderers on every core ------------------------------------------------------

_WORK: list[tuple[Renderer, Instrument, dict]] = []


def _render_one(index: int) -> int:
    renderer, instrument, payload = _WORK[index]
    return len(renderer.render(instrument, payload))


def parallel_rate(
    renderer: Renderer, payloads: dict[str, dict], processes: int, count: int
) -> tuple[float, float, float]:
    """Submissions per second with `processes` forked copies of this warm process, each
    rendering whole submissions in a loop: the ceiling the pipeline is compared with.
    Also the CPU seconds one submission took there, and the cores others kept busy."""
    slugs = list(payloads)
    _WORK[:] = [
        (renderer, INSTRUMENTS[slugs[i % len(slugs)]], payloads[slugs[i % len(slugs)]])
        for i in range(count)
    ]
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(_render_one, range(min(processes, count)), chunksize=1)  # forked, ready
            with CpuMeter({"pool": lambda: children(os.getpid())}) as meter:
                pool.map(_render_one, range(count), chunksize=1)
            return count / meter.elapsed, meter.used["pool"] / count, meter.others
    finally:
        _WORK.clear()
