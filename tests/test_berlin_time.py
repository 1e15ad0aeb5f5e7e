"""Everything a person reads is in German time (Europe/Berlin), whatever the server's
time zone: the draft page, the email status, file names and the date in the documents
(issue 19.3)."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from helpers import ROOT, load_data, pdf_text, squash, submit
from werkzeug.datastructures import MultiDict

from toolbox.core.extensions import db
from toolbox.documents.formatting import german_date
from toolbox.documents.render import get_renderer
from toolbox.instruments.registry import get_instrument
from toolbox.submissions.drafts import save_draft
from toolbox.submissions.models import Submission

LATE = dt.datetime(2026, 12, 1, 23, 30)  # naive UTC: 00:30 on 2 December in Berlin


def test_draft_page_shows_german_time(app, client):
    with app.app_context():
        draft = save_draft("kooperationsvereinbarung", MultiDict({"ort": "München"}))
        draft.updated_at = LATE
        db.session.commit()
        token = draft.token
    html = client.get(f"/entwurf/{token}").get_data(as_text=True)
    assert "Zuletzt gespeichert: 02.12.2026, 00:30 Uhr." in html
    assert "UTC" not in html


def test_email_status_shows_german_time(app, client):
    token = submit(client)
    with app.app_context():
        submission = Submission.query.filter_by(token=token).one()
        submission.email_state, submission.email_transport = "sent", "smtp"
        submission.email_sent_at = LATE
        db.session.commit()
    html = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Die E-Mail wurde am 02.12.2026, 00:30 Uhr verschickt." in html
    assert "UTC" not in html


@pytest.fixture
def far_time_zone(monkeypatch):
    """A server time zone whose date differs from Berlin's right now (one of the two
    always does: together they span 26 hours)."""
    berlin = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    for name in ("Etc/GMT-14", "Etc/GMT+12"):
        if dt.datetime.now(ZoneInfo(name)).date() != berlin:
            monkeypatch.setenv("TZ", name)
            time.tzset()
            break
    assert dt.date.today() != berlin
    yield berlin
    monkeypatch.undo()
    time.tzset()


def test_file_names_and_documents_use_the_german_date(far_time_zone):
    slug = "kooperationsvereinbarung"
    renderer = get_renderer(str(ROOT / "toolbox" / "documents" / "templates"))
    documents = renderer.render(get_instrument(slug), load_data(slug))
    assert documents and all(d.filename.startswith(far_time_zone.isoformat()) for d in documents), [
        d.filename for d in documents
    ]
    blank = renderer.render(get_instrument(slug), {}, blank=True)
    assert all(d.filename.startswith(far_time_zone.isoformat()) for d in blank)
    pdf = next(d for d in documents if d.format == "pdf")
    assert german_date(far_time_zone) in squash(pdf_text(pdf.content))  # the footer's date
