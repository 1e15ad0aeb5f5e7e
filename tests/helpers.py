"""What many test modules share: generated documents read back as text, the way a person
would see them; forms, accounts and submissions sent as a browser or an API client would;
workshops set up as a facilitator would. (Fixtures live in conftest.py.)"""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import docx
import pdfua
import pikepdf
from werkzeug.datastructures import MultiDict

from toolbox.accounts.service import create_user
from toolbox.contacts.models import Contact
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.registry import get_instrument
from toolbox.instruments.values import display_value
from toolbox.ops.sweeper import RUNNING_TIMEOUT
from toolbox.submissions.models import Job, Submission
from toolbox.submissions.tasks import render_job
from toolbox.workshops.models import Kit, Workshop
from toolbox.workshops.tasks import build_kit_task

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def load_data(slug: str) -> dict:
    """The golden data of an instrument (tests/data/<slug>.json, from the scenarios)."""
    return json.loads((DATA / f"{slug}.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Whitespace-insensitive text."""
    return re.sub(r"\s+", " ", text).strip()


def loose(text: str) -> str:
    """For PDF text: pdftotext drops a hyphen where a line broke at one
    ("klinikum-westpark" → "klinikumwestpark"), so compare without hyphens."""
    return squash(text).replace("-", "")


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def docx_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode()


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    # Words hyphenated at a line end (a soft hyphen, U+00AD, in the text layer) are read
    # as one word, the way a Tagged PDF reader does.
    return re.sub("\u00ad\n", "", result.stdout.decode())


def values_of(data) -> list[str]:
    """Every string a person typed, at any depth."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [v for item in data.values() for v in values_of(item)]
    if isinstance(data, list):
        return [v for item in data for v in values_of(item)]
    return []


def shown_values(instrument, payload) -> list[str]:
    """What a person expects to find in the document: every value as it is displayed."""
    out = []
    for f in instrument.fields:
        value = display_value(f, payload.get(f.name))
        rows = value if f.type == "list" else [{f.name: value}]
        for row in rows:
            for v in row.values():
                out.extend(v if isinstance(v, list) else [v])
    # Long text may be laid out line by line (e.g. one goal per numbered item).
    return [line for v in out if isinstance(v, str) for line in v.split("\n") if line.strip()]


# --- forms, accounts and submissions, as a browser or an API client sends them ------------------

SLUG = "kooperationsvereinbarung"
PASSWORD = "Kaffee-und-Kuchen-2026"
LOGIN_FAILED = "E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist nicht aktiv."
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(html: str) -> str:
    return CSRF.search(html).group(1)


def page_token(client, url: str) -> str:
    """The CSRF token of the form on the page at `url`."""
    return csrf_token(client.get(url).get_data(as_text=True))


def make_user(app, email: str, *, admin: bool = False, password: str = PASSWORD) -> int:
    with app.app_context():
        return create_user(email, password, is_admin=admin).id


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    token = page_token(client, "/login")
    url = "/login" if next_url is None else f"/login?next={next_url}"
    return client.post(url, data={"csrf_token": token, "email": email, "password": password})


def logged_in(app, email: str, *, admin: bool = False):
    """A test client with a fresh account, logged in."""
    make_user(app, email, admin=admin)
    client = app.test_client()
    assert login(client, email).status_code == 303
    return client


def submit(client, slug: str = SLUG, data: dict | None = None, **extra) -> str:
    """Send a submission through the API (the scenario's data unless `data`); its token."""
    body = {"instrument": slug, "data": load_data(slug) if data is None else data, **extra}
    response = client.post("/api/v1/submissions", json=body)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["token"]


def ids_of(app, token: str) -> tuple[int, int]:
    """(submission id, job id)"""
    with app.app_context():
        submission = Submission.query.filter_by(token=token).one()
        return submission.id, submission.job.id


def render_now(app, token: str) -> int:
    """Render in this process (the queue is tested elsewhere); the submission's id."""
    submission_id, job_id = ids_of(app, token)
    with app.app_context():
        render_job.run(job_id)
    return submission_id


def form_post(
    client,
    data: dict,
    action: str = "submit",
    token: str | None = None,
    extra: dict | None = None,
    slug: str = SLUG,
):
    """The browser form of `slug` sent with `data` (the API's JSON shape)."""
    url = f"/instrumente/{slug}"
    formdata, errors = json_to_formdata(get_instrument(slug), data)
    assert not errors
    if token is None:
        token = page_token(client, url)
    fields = [(k, v) for k, v in formdata.items(multi=True)]
    fields += [("csrf_token", token), ("action", action), *(extra or {}).items()]
    return client.post(url, data=MultiDict(fields))


def form_submit(client, slug: str, data: dict, extra: dict | None = None) -> str:
    """The browser form of `slug` sent with `data` and accepted; the submission's token."""
    response = form_post(client, data, extra=extra, slug=slug)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def make_stuck(app, attempts: int) -> None:
    """The one job looks like its worker died while running it."""
    with app.app_context():
        job = Job.query.one()
        job.state, job.attempts = "running", attempts
        job.started_at = utcnow() - RUNNING_TIMEOUT - timedelta(seconds=1)
        db.session.commit()


# --- workshops ---------------------------------------------------------------------------------

WORKSHOP_INSTRUMENTS = ("gruendungsplanung", "kooperationsvereinbarung", "raumnutzung")
SHARED = {
    "shared_einrichtung": "Klinikum am Westpark",
    "shared_gruppe": "Selbsthilfegruppe „Angst & Panik – Westend“",
    "shared_ort": "München",
}


def create_workshop(client, instruments=WORKSHOP_INSTRUMENTS, **fields) -> int:
    data = MultiDict(
        {
            "csrf_token": page_token(client, "/dashboard/workshops/neu"),
            "title": "Kooperation gestalten <Herbst>",
            "date": "2026-11-22",
            "place": "Selbsthilfezentrum München",
            **SHARED,
            **fields,
        }
    )
    for slug in instruments:
        data.add("instruments", slug)
    response = client.post("/dashboard/workshops/neu", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def token_of(app, workshop_id: int) -> str:
    with app.app_context():
        return db.session.get(Workshop, workshop_id).token


def form_url(token: str, slug: str) -> str:
    return f"/instrumente/{slug}?workshop={token}"


def submit_via_link(client, token: str, slug: str, data: dict | None = None):
    """Open the form from the participant link and send it, as a browser would."""
    page = client.get(form_url(token, slug))
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    assert f'name="workshop" value="{token}"' in html
    formdata, errors = json_to_formdata(get_instrument(slug), data or load_data(slug))
    assert not errors
    formdata.add("csrf_token", csrf_token(html))
    formdata.add("action", "submit")
    formdata.add("workshop", token)
    return client.post(f"/instrumente/{slug}", data=formdata)


def request_and_build(app, facilitator, workshop_id: int) -> int:
    """ "Kit erstellen" in the dashboard, then run the task here (no worker needed)."""
    base = f"/dashboard/workshops/{workshop_id}"
    response = facilitator.post(f"{base}/kit", data={"csrf_token": page_token(facilitator, base)})
    assert response.status_code == 303
    with app.app_context():
        kit_id = Kit.query.filter_by(workshop_id=workshop_id).one().id
        build_kit_task.run(kit_id)
    return kit_id


# Three directory entries as the dashboard's CSV import takes them.
CONTACTS_CSV = (
    "Organisation;Art;Funktion;E-Mail;Telefon;Anschrift;Zuständigkeit\n"
    "Selbsthilfe-Kontaktstelle Westend;Kontaktstelle;Beratung Gruppengründung;"
    'info@skw.example.org;089 765-4321;"Ganghoferstraße 5\n80339 München";München West\n'
    "Landesarbeitsgemeinschaft Selbsthilfe;Landesstelle/Dachverband;Referentin Kooperation;"
    "kooperation@lag-sh.example.org;;;Bayern\n"
    "Klinikum am Westpark;Selbsthilfebeauftragte*r einer Klinik;Sozialdienst;"
    "selbsthilfe@klinikum-westpark.example.org;;;Psychosomatik, Psychiatrie\n"
)


def post_action(client, submission_id: int, action: str, **data):
    """A button on the dashboard's submission page (e.g. "wiederholen")."""
    url = f"/dashboard/einreichungen/{submission_id}"
    return client.post(f"{url}/{action}", data={"csrf_token": page_token(client, url), **data})


def agreement(name: str) -> dict:
    """The scenario's agreement with another group as its second party."""
    data = load_data("kooperationsvereinbarung")
    data["parteien"][1]["name"] = name
    return data


def render_all(app) -> None:
    """Render every queued job here (no worker needed)."""
    with app.app_context():
        for submission in Submission.query.all():
            if submission.job.state == "queued":
                render_job.run(submission.job.id)


CONTACTS_URL = "/dashboard/ansprechpersonen"
# One directory entry as the dashboard's form takes it.
ENTRY = {
    "organisation": "Selbsthilfe-Kontaktstelle Westend",
    "typ": "kontaktstelle",
    "funktion": "Beratung Gruppengründung",
    "email": "info@skw.example.org",
    "telefon": "089 765-4321",
    "anschrift": "Ganghoferstraße 5\n80339 München",
    "zustaendigkeit": "München West, alle Themen",
}


def upload(client, content: bytes, filename: str = "kontakte.csv", replace: bool = False):
    """The dashboard's CSV import of the contact directory."""
    url = "/dashboard/ansprechpersonen/import"
    data = {
        "csrf_token": page_token(client, url),
        "file": (io.BytesIO(content), filename),
    }
    if replace:
        data["replace"] = "y"
    return client.post(
        "/dashboard/ansprechpersonen/import", data=data, content_type="multipart/form-data"
    )


def contacts(app) -> list[dict]:
    """The directory's entries as stored (the ENTRY fields and the id), in order."""
    with app.app_context():
        rows = Contact.query.order_by(Contact.id).all()
        return [{name: getattr(c, name) for name in ENTRY} | {"id": c.id} for c in rows]


def add_contact(client, **changes):
    """The dashboard's "new entry" form, sent with ENTRY and `changes` (None: left out)."""
    data = {**ENTRY, **changes, "csrf_token": page_token(client, f"{CONTACTS_URL}/neu")}
    return client.post(f"{CONTACTS_URL}/neu", data={k: v for k, v in data.items() if v is not None})


# PDF/UA-1 checks (tests/test_pdfua.py and every test of a final document).
# pdfua 0.1.3's empty-heading rule fails on WeasyPrint's /K arrays (it raises instead of
# reporting); `own_findings` checks that no heading is empty instead.
PDFUA_BROKEN_RULES = {"UA-14-001"}


def ordered_elements(pdf: pikepdf.Pdf) -> list:
    def walk(node):
        if "/S" in node:
            yield node
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid)

    return list(walk(pdf.Root.StructTreeRoot))


def marks_content(node) -> bool:
    kids = node.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for kid in kids:
        if isinstance(kid, int):
            return True
        if isinstance(kid, pikepdf.Dictionary) and ("/MCID" in kid or marks_content(kid)):
            return True
    return False


def scope_of(element) -> str | None:
    attributes = element.get("/A")
    attributes = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    for attribute in attributes:
        if isinstance(attribute, pikepdf.Dictionary) and attribute.get("/O") == "/Table":
            scope = attribute.get("/Scope")
            return str(scope) if scope is not None else None
    return None


def fonts_of(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            yield font
            yield from font.get("/DescendantFonts", [])


def own_findings(content: bytes) -> list[str]:
    findings = []
    with pikepdf.open(io.BytesIO(content)) as pdf:
        root = pdf.Root
        if str(root.get("/Lang")) != "de-DE":
            findings.append(f"/Lang ist {str(root.get('/Lang', ''))!r}")
        if root.get("/MarkInfo", {}).get("/Marked") is not True:
            findings.append("MarkInfo /Marked fehlt")
        if root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") is not True:
            findings.append("DisplayDocTitle fehlt")
        if not str(pdf.open_metadata().get("dc:title", "")).strip():
            findings.append("kein Titel in den XMP-Metadaten")
        for font in fonts_of(pdf):
            if font.get("/Subtype") == "/Type0":
                continue  # its descendant font carries the descriptor
            descriptor = font.get("/FontDescriptor", {})
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                findings.append(f"Schrift nicht eingebettet: {font.get('/BaseFont')}")
        elements = ordered_elements(pdf)
        headers = [e for e in elements if e.S == "/TH"]
        for th in headers:
            if scope_of(th) not in ("/Column", "/Row", "/Both"):
                findings.append("TH ohne /Scope")
        level = 0
        for element in elements:
            match = re.fullmatch(r"/H([1-6])", str(element.S))
            if match:
                if int(match[1]) > level + 1:
                    findings.append(f"Überschrift H{match[1]} nach H{level}")
                if not marks_content(element):
                    findings.append(f"leere Überschrift H{match[1]}")
                level = int(match[1])
        if not any(str(e.S) == "/H1" for e in elements):
            findings.append("keine H1")
    return findings


def pdfua_findings(tmp_path, name: str, content: bytes) -> list[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    report = pdfua.validate(str(path))
    skipped = {outcome.rule_id for outcome in report.skipped}
    assert skipped <= PDFUA_BROKEN_RULES, skipped
    return [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]
