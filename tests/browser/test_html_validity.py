"""Every page a person can reach is valid HTML for the Nu Html Checker (vnu.jar, installed
by `make vnu` into .venv/vnu, run with Debian's Java): the app's GET pages for an anonymous
visitor and a signed-in administrator, in German and English, with real documents rendered
by a real worker, forms with errors included; and the pages as Chromium holds them after
their scripts ran (live preview, live status, dashboard polling). All pages in one vnu
batch; 0 errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from helpers import CONTACTS_CSV as CSV
from helpers import ENTRY, PASSWORD, ROOT, create_workshop, load_data, logged_in, upload
from playwright.sync_api import expect

from toolbox.contacts.models import Contact
from toolbox.core.extensions import db
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.submissions.models import Submission
from toolbox.workshops.models import Workshop

from .ui import log_in

VNU_JAR = ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("de", "en")


def wait_done(client, token: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get(f"/api/v1/submissions/{token}").get_json()["state"] in ("done", "failed"):
            return
        time.sleep(0.1)
    raise TimeoutError(token)


class Pages:
    """HTML responses collected into files for one vnu run."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.names: dict[Path, str] = {}

    def add(self, name: str, response, expect: int | tuple[int, ...] = 200) -> str:
        expected = (expect,) if isinstance(expect, int) else expect
        assert response.status_code in expected, (name, response.status_code)
        assert response.mimetype == "text/html", (name, response.mimetype)
        html = response.get_data(as_text=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
        path = self.directory / f"{len(self.names):03d}-{safe}.html"
        path.write_text(html, encoding="utf-8")
        self.names[path] = name
        return html

    def get(self, client, url: str, expect=200) -> str:
        return self.add(url, client.get(url), expect)


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def site(live_server, worker):
    """The live app with a real worker and something on every page: submissions of every
    instrument, a workshop, contacts, a second account."""
    app = live_server.app
    app.config["TOOLBOX_SUBMIT_RATE_LIMIT"] = "1000 per minute"  # read on each request
    admin = logged_in(app, "admin@example.org", admin=True)
    logged_in(app, "moderation@example.org")
    workshop_id = create_workshop(admin)
    with app.app_context():
        workshop_token = db.session.get(Workshop, workshop_id).token
    anonymous = app.test_client()
    tokens = {}
    for slug in INSTRUMENTS:
        body = {"instrument": slug, "data": load_data(slug), "email": "person@example.org"}
        response = anonymous.post("/api/v1/submissions", json=body)
        assert response.status_code == 202, response.get_json()
        tokens[slug] = response.get_json()["token"]
    for token in tokens.values():
        wait_done(anonymous, token)
    assert upload(admin, CSV.encode()).status_code in (200, 303)
    with app.app_context():
        submission_ids = {s.token: s.id for s in Submission.query.all()}
        contact_id = Contact.query.first().id
    return {
        "app": app,
        "admin": admin,
        "tokens": tokens,
        "submission_ids": submission_ids,
        "workshop_id": workshop_id,
        "workshop_token": workshop_token,
        "contact_id": contact_id,
    }


def collect_public(pages: Pages, client, site, lang: str) -> None:
    pages.get(client, f"/?lang={lang}")
    for slug in INSTRUMENTS:
        html = pages.get(client, f"/instrumente/{slug}")
        # sent empty: the form again, with its error summary and messages
        pages.add(
            f"{slug}-errors",
            client.post(f"/instrumente/{slug}", data={"csrf_token": csrf(html)}),
            expect=422,
        )
    slug = "kooperationsvereinbarung"
    html = client.get(f"/instrumente/{slug}").get_data(as_text=True)
    saved = client.post(f"/instrumente/{slug}", data={"csrf_token": csrf(html), "action": "draft"})
    assert saved.status_code == 303
    pages.get(client, saved.headers["Location"])  # the draft page
    for slug, token in site["tokens"].items():
        pages.get(client, f"/s/{token}")
        if slug != "ansprechpersonen":
            pages.get(client, f"/s/{token}/webseite")
    pages.get(client, "/ansprechpersonen")
    pages.get(client, f"/w/{site['workshop_token']}")
    pages.get(client, f"/instrumente/gruendungsplanung?workshop={site['workshop_token']}")
    html = pages.get(client, "/login")
    pages.add(
        "login-error",
        client.post("/login", data={"csrf_token": csrf(html), "email": "x@example.org"}),
        expect=(200, 401, 422),
    )
    pages.get(client, "/gibt-es-nicht", expect=404)
    pages.get(client, f"/s/{'x' * 43}", expect=404)


def collect_dashboard(pages: Pages, client, site, lang: str) -> None:
    pages.get(client, f"/dashboard?lang={lang}")
    pages.get(client, "/dashboard?q=Westend&status=done")
    for submission_id in site["submission_ids"].values():
        pages.get(client, f"/dashboard/einreichungen/{submission_id}")
    first = next(iter(site["submission_ids"].values()))
    pages.get(client, f"/dashboard/einreichungen/{first}/loeschen")
    base = "/dashboard/ansprechpersonen"
    pages.get(client, base)
    html = pages.get(client, f"{base}/neu")
    pages.add(
        "contact-errors",
        client.post(f"{base}/neu", data={"csrf_token": csrf(html), **ENTRY, "email": "kaputt"}),
        expect=(200, 422),
    )
    pages.get(client, f"{base}/import")
    pages.get(client, f"{base}/{site['contact_id']}/bearbeiten")
    pages.get(client, f"{base}/{site['contact_id']}/loeschen")
    html = pages.get(client, "/dashboard/konten")
    pages.add(
        "account-errors",
        client.post("/dashboard/konten", data={"csrf_token": csrf(html), "email": "x"}),
        expect=(200, 422),
    )
    pages.get(client, "/dashboard/workshops")
    html = pages.get(client, "/dashboard/workshops/neu")
    pages.add(
        "workshop-errors",
        client.post("/dashboard/workshops/neu", data={"csrf_token": csrf(html)}),
        expect=(200, 422),
    )
    workshop = f"/dashboard/workshops/{site['workshop_id']}"
    pages.get(client, workshop)
    pages.get(client, f"{workshop}/bearbeiten")
    pages.get(client, f"{workshop}/projektion")
    pages.get(client, "/dashboard/einreichungen/999999", expect=404)


def collect_in_browser(pages: Pages, new_context, site, lang: str) -> None:
    """The DOM after the page's scripts ran, serialised by Chromium."""
    context = new_context(locale="de-DE" if lang == "de" else "en-GB")
    page = context.new_page()

    def snapshot(name: str) -> None:
        page.wait_for_load_state("networkidle")
        path = pages.directory / f"{len(pages.names):03d}-dom-{lang}-{name}.html"
        path.write_text(page.content(), encoding="utf-8")
        pages.names[path] = f"DOM {lang} {name}"

    page.goto(f"/?lang={lang}")
    snapshot("start")
    page.goto("/instrumente/kooperationsvereinbarung")
    page.locator('[name="ort"]').press_sequentially("Musterstadt", delay=20)
    expect(page.locator("#preview-document .place-date")).to_contain_text("Musterstadt")
    snapshot("form-with-preview")
    page.locator('button.primary[value="submit"]').click()  # empty: the error summary
    snapshot("form-errors")
    for slug in ("kooperationsvereinbarung", "jahresplanung"):
        page.goto(f"/s/{site['tokens'][slug]}")
        snapshot(f"private-{slug}")
    page.goto("/?lang=de")  # ui.log_in finds the German labels
    log_in(page, "admin@example.org", PASSWORD)
    page.goto(f"/dashboard?lang={lang}")
    page.wait_for_timeout(1500)  # one round of live status polling
    snapshot("dashboard")
    first = next(iter(site["submission_ids"].values()))
    page.goto(f"/dashboard/einreichungen/{first}")
    snapshot("dashboard-detail")
    page.goto(f"/dashboard/workshops/{site['workshop_id']}")
    snapshot("workshop")


def vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    assert java, "Java fehlt (Debian: default-jre-headless)"
    assert VNU_JAR.exists(), f"{VNU_JAR} fehlt: `make vnu` installiert ihn"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stderr)["messages"]


def test_every_page_is_valid_html(site, new_context, tmp_path):
    pages = Pages(tmp_path)
    for lang in LANGUAGES:
        collect_in_browser(pages, new_context, site, lang)
        anonymous = site["app"].test_client()
        collect_public(pages, anonymous, site, lang)
        admin = site["admin"]
        collect_dashboard(pages, admin, site, lang)
        assert f'<html lang="{lang}"' in next(reversed(pages.names)).read_text()
    assert len(pages.names) > 100
    # a page known to be invalid shows that vnu read this batch (valid pages say nothing)
    canary = tmp_path / "canary.html"
    canary.write_text('<!DOCTYPE html><html lang="de"><title>c</title><p></span></html>')
    messages = vnu([canary, *pages.names])
    canary_url = f"file:{canary}"
    assert any(m.get("url") == canary_url and "span" in m["message"] for m in messages)
    messages = [m for m in messages if m.get("url") != canary_url]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    report = "\n".join(
        f"{pages.names.get(Path(m.get('url', '').removeprefix('file:')), m.get('url'))}:"
        f"{m.get('lastLine', '?')}: {m['message']} | {m.get('extract', '').strip()[:120]}"
        for m in errors
    )
    assert not errors, f"{len(errors)} HTML errors:\n{report}"
    checked = {Path(m["url"].removeprefix("file:")) for m in messages if "url" in m}
    assert checked <= set(pages.names)
