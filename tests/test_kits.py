"""Workshop kits: the ZIP is complete and checks out (manifest, checksums, every document
opens, index.html links resolve offline), is built in a real worker with its progress
visible, goes out of date and is rebuilt, is built the same by `toolbox kit`, expires
with the retention period, and is sent as a link, never as an attachment."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import time
import zipfile
from html.parser import HTMLParser
from urllib.parse import unquote

import docx
import pytest
from helpers import (
    WORKSHOP_INSTRUMENTS,
    create_workshop,
    logged_in,
    login,
    loose,
    page_token,
    pdf_text,
    render_all,
    request_and_build,
    submit_via_link,
    token_of,
)
from pypdf import PdfReader

from toolbox.core.config import DEFAULT_TEMPLATES_DIR
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.ops.cli import cli
from toolbox.ops.sweeper import purge
from toolbox.submissions.models import Document, Submission
from toolbox.workshops.models import BlankRender, Kit, Workshop

FOLDERS = {
    "gruendungsplanung": "Planungsblatt",
    "kooperationsvereinbarung": "Kooperationsvereinbarung",
    "raumnutzung": "Raumnutzungsvereinbarung",
}


def download(facilitator, workshop_id: int) -> zipfile.ZipFile:
    response = facilitator.get(f"/dashboard/workshops/{workshop_id}/kit/download")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert re.search(
        r"attachment; filename=.*Workshop-Kit_Kooperation-gestalten-Herbst\.zip",
        response.headers["Content-Disposition"],
    )
    return zipfile.ZipFile(io.BytesIO(response.data))


def manifest_rows(archive: zipfile.ZipFile) -> list[dict]:
    text = archive.read("manifest.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def expected_paths(app, workshop_id: int) -> set[str]:
    """Built from the database independently of the kit code."""
    paths = {
        "00_Deckblatt.pdf",
        "index.html",
        "04_Ansprechpersonen.pdf",
        "04_Ansprechpersonen.docx",
    }
    for folder in FOLDERS.values():
        paths |= {f"01_Vorlagen/{folder}_Vorlage.docx", f"01_Vorlagen/{folder}_Vorlage.pdf"}
    with app.app_context():
        documents = (
            Document.query.join(Submission)
            .filter(Submission.workshop_id == workshop_id)
            .order_by(Submission.created_at, Document.id)
            .all()
        )
        for d in documents:
            if d.format == "ics":
                path = f"03_Termine/{d.filename}"
            else:
                path = f"02_Ausgefuellt/{FOLDERS[d.submission.instrument]}/{d.filename}"
            if path in paths:
                stem, ext = path.rsplit(".", 1)
                path = f"{stem}_2.{ext}"
            paths.add(path)
    return paths


def figures(node) -> list[tuple[str, str]]:
    """(structure type, alternative text) of every tagged element that has one."""
    node = node.get_object()
    out = []
    if "/Alt" in node:
        out.append((node.get("/S"), node["/Alt"]))
    kids = node.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid.get_object(), dict):
            out.extend(figures(kid))
    return out


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.sources.append(attrs["src"])


def test_kit_is_complete_and_checks_out(app, facilitator, workshop):
    request_and_build(app, facilitator, workshop)
    archive = download(facilitator, workshop)
    names = set(archive.namelist())
    rows = manifest_rows(archive)

    # exactly the expected files: 1 cover, 6 blanks, 10 filled, 3 calendars, 2 directory,
    # index.html; the manifest lists every file but itself
    expected = expected_paths(app, workshop)
    assert len(expected) == 23
    assert {r["Pfad"] for r in rows} == expected
    assert names == expected | {"manifest.csv"}
    assert len(rows) == len(expected)
    assert "02_Ausgefuellt/Raumnutzungsvereinbarung/" in " ".join(names)
    assert any(n.endswith("_2.pdf") for n in names if n.startswith("02_Ausgefuellt/Raumn"))

    for row in rows:
        content = archive.read(row["Pfad"])
        assert int(row["Größe (Bytes)"]) == len(content), row["Pfad"]
        assert row["SHA-256"] == hashlib.sha256(content).hexdigest(), row["Pfad"]
        assert dt.datetime.fromisoformat(row["Erstellt (UTC)"].rstrip("Z"))
        if row["Pfad"].endswith(".pdf"):
            assert len(PdfReader(io.BytesIO(content)).pages) >= 1
        elif row["Pfad"].endswith(".docx"):
            text = " ".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
            assert len(text.split()) >= 10, row["Pfad"]  # a Word file with its text in it
        elif row["Pfad"].endswith(".ics"):
            assert content.startswith(b"BEGIN:VCALENDAR")
    instruments = {r["Pfad"]: r["Instrument"] for r in rows}
    assert instruments["01_Vorlagen/Planungsblatt_Vorlage.pdf"].startswith("Planungsbogen")
    assert instruments["00_Deckblatt.pdf"] == ""

    # index.html: every file linked, relative, nothing from outside
    index = archive.read("index.html").decode()
    parser = Links()
    parser.feed(index)
    targets = {unquote(h) for h in parser.hrefs}
    assert targets == expected - {"index.html"} | {"manifest.csv"}
    assert targets <= names
    assert parser.sources == []
    assert not re.search(r"(https?:)?//", index.replace("http://www.w3.org", ""))
    assert '<html lang="de">' in index and "Kooperation gestalten &lt;Herbst&gt;" in index

    # the cover: title, date, place, instruments with counts, the link with its QR code
    cover_bytes = archive.read("00_Deckblatt.pdf")
    cover = pdf_text(cover_bytes)
    flat = " ".join(cover.split())
    assert "Kooperation gestalten <Herbst>" in flat
    assert "22. November 2026" in flat and "Selbsthilfezentrum München" in flat
    assert "Kooperationsvereinbarung 2" in flat and "Raumnutzungsvereinbarung 2" in flat
    assert "Planungsbogen Gruppengründung unter dem Dach einer Einrichtung 1" in flat
    token = token_of(app, workshop)
    # pdftotext drops a hyphen at a line break, and tokens may contain hyphens
    assert loose(f"/w/{token}") in loose(flat).replace(" ", "")
    reader = PdfReader(io.BytesIO(cover_bytes))
    assert reader.metadata.title == "Workshop-Kit – Kooperation gestalten <Herbst>"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged PDF
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"
    # the QR code is a tagged figure whose alternative text names the link
    assert ("/Figure", f"QR-Code des Links für Teilnehmende: http://127.0.0.1:5000/w/{token}") in (
        figures(reader.trailer["/Root"]["/StructTreeRoot"])
    )


def test_blank_forms_come_from_the_cache_on_the_second_build(app, facilitator, workshop):
    request_and_build(app, facilitator, workshop)
    first = download(facilitator, workshop)
    with app.app_context():
        cached = {(r.cache_key, r.format): r.created_at for r in BlankRender.query.all()}
    assert len(cached) == 6  # three instruments, DOCX and PDF
    request_and_build(app, facilitator, workshop)
    second = download(facilitator, workshop)
    with app.app_context():
        again = {(r.cache_key, r.format): r.created_at for r in BlankRender.query.all()}
    assert again == cached
    for name in first.namelist():
        if name.startswith("01_Vorlagen/"):
            # a fresh render would differ (the PDF carries its creation time)
            assert first.read(name) == second.read(name), name


def test_kit_is_outdated_after_a_new_submission_and_can_be_rebuilt(
    app, client, facilitator, workshop
):
    kit_id = request_and_build(app, facilitator, workshop)
    status_url = f"/dashboard/workshops/{workshop}/kit/status.json"
    status = facilitator.get(status_url).get_json()
    assert status["state"] == "done" and status["progress"] == 100 and not status["outdated"]
    assert status["ready"] and status["download_url"].endswith("/kit/download")
    page = facilitator.get(f"/dashboard/workshops/{workshop}").get_data(as_text=True)
    assert "Kit herunterladen" in page and "Kit neu erstellen" in page

    token = token_of(app, workshop)
    assert submit_via_link(client, token, "gruendungsplanung").status_code == 303
    assert facilitator.get(status_url).get_json()["outdated"]
    listing = facilitator.get("/dashboard/workshops").get_data(as_text=True)
    assert "veraltet" in listing
    render_all(app)
    assert facilitator.get(status_url).get_json()["outdated"]  # still: not in the kit

    assert request_and_build(app, facilitator, workshop) == kit_id  # rebuilt in place
    status = facilitator.get(status_url).get_json()
    assert status["state"] == "done" and not status["outdated"]
    names = download(facilitator, workshop).namelist()
    assert sum(n.startswith("02_Ausgefuellt/Planungsblatt/") for n in names) == 4
    assert sum(n.startswith("03_Termine/") for n in names) == 4


def test_cli_builds_the_same_kit_offline(app, facilitator, workshop, runner, tmp_path):
    request_and_build(app, facilitator, workshop)
    web_names = sorted(download(facilitator, workshop).namelist())
    out = tmp_path / "kit" / "kit.zip"
    result = runner.invoke(cli, ["kit", token_of(app, workshop), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Deckblatt" in result.output and "24 Dateien" in result.output
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == web_names
    result = runner.invoke(cli, ["kit", "x" * 43, "--out", str(out)])
    assert result.exit_code != 0 and "Keinen Workshop" in result.output


def test_a_failing_build_is_recorded_with_its_reason(app, make_app, facilitator, tmp_path):
    """A real failure: a copy of the templates whose cover sheet does not parse."""
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES_DIR, templates)
    (templates / "html" / "_kit_cover.html").write_text("{% block content %}{% if %}")
    broken = make_app(TOOLBOX_TEMPLATES_DIR=str(templates))
    client = broken.test_client()
    assert login(client, "moderation@example.org").status_code == 303
    workshop_id = create_workshop(client)
    kit_id = request_and_build(broken, client, workshop_id)
    status = client.get(f"/dashboard/workshops/{workshop_id}/kit/status.json").get_json()
    assert status["state"] == "failed" and status["state_label"] == "Fehlgeschlagen"
    assert "TemplateSyntaxError" in status["error"] and not status["ready"]
    page = client.get(f"/dashboard/workshops/{workshop_id}").get_data(as_text=True)
    assert "Das Kit konnte nicht erstellt werden" in page and "TemplateSyntaxError" in page
    assert client.get(f"/dashboard/workshops/{workshop_id}/kit/download").status_code == 404
    with broken.app_context():
        assert db.session.get(Kit, kit_id).content is None


def test_kit_email_sends_a_link_not_the_zip(app, facilitator, workshop, smtp_server):
    request_and_build(app, facilitator, workshop)
    app.config["TOOLBOX_SMTP_URL"] = smtp_server.url
    app.config["TOOLBOX_BASE_URL"] = "https://toolbox.example.org"
    base = f"/dashboard/workshops/{workshop}"
    response = facilitator.post(
        f"{base}/kit/email", data={"csrf_token": page_token(facilitator, base)}
    )
    assert response.status_code == 303
    page = facilitator.get(base).get_data(as_text=True)
    assert "Der Link zum Kit wurde an moderation@example.org gesendet." in page
    (message,) = smtp_server.parsed()
    assert message["To"] == "moderation@example.org"
    assert message["Subject"] == "Workshop-Kit: Kooperation gestalten <Herbst>"
    assert not list(message.iter_attachments())
    body = message.get_body(("plain",)).get_content()
    assert f"https://toolbox.example.org{base}/kit/download" in body

    # a refusing server is reported as such, not as "sent"
    smtp_server.reply = "550 5.1.1 Postfach unbekannt"
    facilitator.post(f"{base}/kit/email", data={"csrf_token": page_token(facilitator, base)})
    page = facilitator.get(base).get_data(as_text=True)
    assert "konnte nicht gesendet werden: Mailserver antwortete 550" in page
    assert len(smtp_server.messages) == 1


def test_kits_expire_with_the_retention_period(app, facilitator, workshop, runner):
    kit_id = request_and_build(app, facilitator, workshop)
    with app.app_context():
        assert purge()["kits"] == 0
        # the oldest submission inside reaches the end of its retention period
        first = Submission.query.order_by(Submission.id).first()
        first.created_at = utcnow() - dt.timedelta(days=91)
        kit = db.session.get(Kit, kit_id)
        kit.oldest_submission_at = first.created_at
        db.session.commit()
        assert purge()["kits"] == 1
        assert db.session.get(Kit, kit_id) is None
    assert facilitator.get(f"/dashboard/workshops/{workshop}/kit/download").status_code == 404


def test_deleting_a_submission_deletes_the_kit_that_holds_it(app, facilitator, workshop):
    request_and_build(app, facilitator, workshop)
    with app.app_context():
        submission_id = Submission.query.filter_by(workshop_id=workshop).first().id
    url = f"/dashboard/einreichungen/{submission_id}/loeschen"
    response = facilitator.post(
        url, data={"csrf_token": page_token(facilitator, url), "confirm": "ja"}
    )
    assert response.status_code == 303
    with app.app_context():
        assert Kit.query.count() == 0
    assert facilitator.get(f"/dashboard/workshops/{workshop}/kit/download").status_code == 404


@pytest.mark.slow
def test_progress_is_reported_while_a_real_worker_builds(make_app, redis_server, start_worker):
    app = make_app(broker_url=redis_server.url)
    facilitator = logged_in(app, "moderation@example.org")
    participant = app.test_client()
    workshop_id = create_workshop(facilitator, instruments=WORKSHOP_INSTRUMENTS)
    token = token_of(app, workshop_id)
    for slug in WORKSHOP_INSTRUMENTS:
        assert submit_via_link(participant, token, slug).status_code == 303
    start_worker(app)
    deadline = time.monotonic() + 60
    with app.app_context():
        while Submission.query.join(Submission.job).filter_by(state="done").count() < 3:
            assert time.monotonic() < deadline, "documents were not rendered"
            db.session.rollback()
            time.sleep(0.1)

    base = f"/dashboard/workshops/{workshop_id}"
    response = facilitator.post(f"{base}/kit", data={"csrf_token": page_token(facilitator, base)})
    assert response.status_code == 303
    seen: list[tuple[str, int, str]] = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        body = facilitator.get(f"{base}/kit/status.json").get_json()
        state = (body["state"], body["progress"], body["step"])
        if not seen or seen[-1] != state:
            seen.append(state)
        if body["state"] in ("done", "failed"):
            break
        time.sleep(0.02)
    states = [s for s, _, _ in seen]
    assert states[-1] == "done", seen
    running = [(p, step) for s, p, step in seen if s == "running"]
    assert len(running) >= 2, seen  # several steps observed while building
    assert all(0 <= p < 100 for p, _ in running)
    assert [p for p, _ in running] == sorted(p for p, _ in running)  # never goes back
    assert any(step.startswith("Leere Vorlage") for _, step in running), seen
    assert seen[-1][1] == 100 and seen[-1][2] == "Fertig"
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop.kit.sha256 and workshop.kit.size == len(workshop.kit.content)
    assert len(download(facilitator, workshop_id).namelist()) == 1 + 6 + 6 + 2 + 2 + 1 + 1
