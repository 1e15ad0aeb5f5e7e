"""A workshop's kit: one ZIP with everything a facilitator takes home.

Pure: plain values and bytes in, ZIP bytes out; no Flask, no database. The Celery task
(jobs/tasks.build_kit_task) and `toolbox kit` gather a `KitSource` (kit_builds.py) and
call `build_kit`, which reports each step through `progress(percent, text)`.

Layout of the ZIP:

    00_Deckblatt.pdf                       title, date, place, instruments, counts, QR code
    01_Vorlagen/<Dokument>_Vorlage.docx|pdf  blank form of every selected instrument
    02_Ausgefuellt/<Dokument>/<file>       every DOCX/PDF made from the workshop's submissions
    03_Termine/<file>.ics                  the calendar files among them
    04_Ansprechpersonen.pdf|docx           the contact directory
    index.html                             opens offline, links every file
    manifest.csv                           path, instrument, created, size, SHA-256 of every
                                           file except manifest.csv itself
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from markupsafe import escape

from toolbox.core.formats import size_text
from toolbox.core.time import to_local
from toolbox.documents.formatting import german_date, safe_filename_part
from toolbox.documents.qr import qr_data_url
from toolbox.documents.render import Renderer
from toolbox.documents.templating import document_environment
from toolbox.instruments.base import Instrument
from toolbox.instruments.registry import get_instrument

COVER = "00_Deckblatt.pdf"
BLANKS = "01_Vorlagen"
FILLED = "02_Ausgefuellt"
CALENDAR = "03_Termine"
CONTACTS = "04_Ansprechpersonen"
INDEX = "index.html"
MANIFEST = "manifest.csv"
MANIFEST_HEADER = ("Pfad", "Instrument", "Erstellt (UTC)", "Größe (Bytes)", "SHA-256")
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class SourceDocument:
    """A generated document of one of the workshop's submissions."""

    instrument: str  # slug
    format: str
    filename: str
    content: bytes
    created: dt.datetime  # naive UTC


@dataclass(frozen=True)
class BlankDocument:
    format: str
    content: bytes
    created: dt.datetime  # naive UTC: when it was rendered (it may come from the cache)


@dataclass(frozen=True)
class KitSource:
    title: str
    date: dt.date
    place: str
    instruments: tuple[str, ...]  # slugs, in the workshop's order
    participant_url: str
    # Submissions per instrument, and how many of them have no documents (yet).
    submissions: dict[str, int]
    without_documents: dict[str, int]
    documents: tuple[SourceDocument, ...]
    contacts_payload: dict
    generated: dt.datetime  # naive UTC


@dataclass(frozen=True)
class KitFile:
    path: str
    content: bytes
    instrument: str  # title, or "" for files about the whole workshop
    created: dt.datetime  # naive UTC

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class BuiltKit:
    content: bytes
    files: list[KitFile] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _folder(instrument: Instrument) -> str:
    return safe_filename_part(instrument.document_title)


def _unique(path: str, taken: set[str]) -> str:
    """Two submissions may make the same file name (same day, same short name)."""
    if path not in taken:
        taken.add(path)
        return path
    stem, dot, ext = path.rpartition(".")
    n = 2
    while f"{stem}_{n}{dot}{ext}" in taken:
        n += 1
    taken.add(f"{stem}_{n}{dot}{ext}")
    return f"{stem}_{n}{dot}{ext}"


@cache
def _environment() -> Environment:
    """Sandboxed and autoescaping, like every document template."""
    return document_environment(PackageLoader("toolbox.workshops.service", "templates/kit"))


def cover_context(source: KitSource) -> dict:
    rows = []
    for slug in source.instruments:
        instrument = get_instrument(slug)
        rows.append(
            {
                "title": instrument.title if instrument else slug,
                "count": source.submissions.get(slug, 0),
                "missing": source.without_documents.get(slug, 0),
            }
        )
    return {
        "document_title": "Workshop-Kit",
        "short_name": source.title,
        "generated": german_date(to_local(source.generated).date()),
        "title": source.title,
        "date": german_date(source.date),
        "place": source.place,
        "instruments": rows,
        "total": sum(source.submissions.values()),
        # Escaped here (markupsafe.Markup), so the PDF renderer does not insert invisible
        # break points into it (a link copied from the PDF or read aloud must be exact).
        "participant_url": escape(source.participant_url),
        "qr": qr_data_url(source.participant_url),
    }


def build_kit(
    source: KitSource,
    renderer: Renderer,
    blanks: Callable[[Instrument], list[BlankDocument]],
    progress: Progress = lambda percent, step: None,
) -> BuiltKit:
    """All files of the kit, zipped. `blanks` returns an instrument's blank DOCX and PDF
    (from a cache, or freshly rendered)."""
    files: list[KitFile] = []
    now = source.generated
    instruments = [i for i in (get_instrument(s) for s in source.instruments) if i is not None]

    progress(2, "Deckblatt")
    cover = renderer.pdf.render_pdf("_kit_cover.html", cover_context(source))
    files.append(KitFile(COVER, cover, "", now))

    for n, instrument in enumerate(instruments):
        progress(5 + 45 * n // max(len(instruments), 1), f"Leere Vorlage: {instrument.title}")
        for blank in blanks(instrument):
            name = f"{BLANKS}/{_folder(instrument)}_Vorlage.{blank.format}"
            files.append(KitFile(name, blank.content, instrument.title, blank.created))

    progress(50, "Ausgefüllte Dokumente")
    taken: set[str] = set()
    for doc in source.documents:
        instrument = get_instrument(doc.instrument)
        title = instrument.title if instrument else doc.instrument
        if doc.format == "ics":
            path = f"{CALENDAR}/{doc.filename}"
        else:
            folder = _folder(instrument) if instrument else safe_filename_part(doc.instrument)
            path = f"{FILLED}/{folder}/{doc.filename}"
        files.append(KitFile(_unique(path, taken), doc.content, title, doc.created))

    progress(70, "Verzeichnis der Ansprechpersonen")
    directory = get_instrument("ansprechpersonen")
    for doc in renderer.render(directory, source.contacts_payload, today=to_local(now).date()):
        files.append(KitFile(f"{CONTACTS}.{doc.format}", doc.content, directory.title, now))

    progress(90, "Inhaltsverzeichnis und Prüfsummen")
    files.append(KitFile(INDEX, render_index(source, files), "", now))
    manifest = render_manifest(files)

    progress(95, "ZIP-Datei")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for f in [*files, KitFile(MANIFEST, manifest, "", now)]:
            info = zipfile.ZipInfo(f.path, date_time=to_local(f.created).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, f.content)
    return BuiltKit(out.getvalue(), files)


def render_manifest(files: list[KitFile]) -> bytes:
    """Semicolon-separated UTF-8 with BOM, like the contact directory's CSV: spreadsheet
    programs open it with umlauts intact."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(MANIFEST_HEADER)
    for f in files:
        created = f.created.replace(microsecond=0).isoformat() + "Z"
        writer.writerow((f.path, f.instrument, created, len(f.content), f.sha256))
    return ("\ufeff" + out.getvalue()).encode()


def render_index(source: KitSource, files: list[KitFile]) -> bytes:
    """A page that opens from the unpacked folder without a network: inline styles,
    relative links only."""
    sections = [
        ("Deckblatt", [f for f in files if f.path == COVER]),
        ("Leere Vorlagen zum Ausdrucken", [f for f in files if f.path.startswith(BLANKS + "/")]),
        ("Ausgefüllte Dokumente", [f for f in files if f.path.startswith(FILLED + "/")]),
        ("Termine (Kalenderdateien)", [f for f in files if f.path.startswith(CALENDAR + "/")]),
        ("Ansprechpersonen", [f for f in files if f.path.startswith(CONTACTS)]),
    ]
    html = (
        _environment()
        .get_template("index.html")
        .render(
            title=source.title,
            date=german_date(source.date),
            place=source.place,
            generated=to_local(source.generated).strftime("%d.%m.%Y, %H:%M Uhr"),
            sections=[(heading, [_link(f) for f in group]) for heading, group in sections if group],
            manifest=MANIFEST,
        )
    )
    return html.encode()


def _link(f: KitFile) -> dict:
    name = f.path.rsplit("/", 1)[-1]
    return {
        "href": quote(f.path),
        "name": name,
        "instrument": f.instrument,
        "format": name.rsplit(".", 1)[-1].upper(),
        "size": size_text(len(f.content)),
    }


def kit_filename(title: str, day: dt.date) -> str:
    short = safe_filename_part(title)
    return f"{day.isoformat()}_Workshop-Kit" + (f"_{short}" if short else "") + ".zip"
