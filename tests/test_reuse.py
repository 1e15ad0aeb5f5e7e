"""Save and resume drafts, start from an earlier submission, download blank forms."""

from __future__ import annotations

import re

from helpers import csrf_token, docx_text, form_post, load_data, pdf_text

from toolbox.core.extensions import db
from toolbox.submissions.models import Draft

SLUG = "kooperationsvereinbarung"
URL = f"/instrumente/{SLUG}"


def test_draft_saves_without_validation_and_resumes(app, client):
    html = client.get(URL).get_data(as_text=True)
    response = client.post(
        URL,
        data={
            "csrf_token": csrf_token(html),
            "action": "draft",
            "parteien-0-name": "Klinikum am Westpark",
            "praeambel": "Halb fertig\nzweite Zeile",
        },
    )
    assert response.status_code == 303
    link = response.headers["Location"]
    token = re.search(r"/entwurf/([^?]+)", link).group(1)
    assert len(token) >= 43
    page = client.get(link).get_data(as_text=True)
    assert "Entwurf gespeichert" in page
    assert f"/entwurf/{token}" in page  # the link is shown on screen
    assert 'value="Klinikum am Westpark"' in page
    assert "Halb fertig\nzweite Zeile</textarea>" in page
    assert f'name="entwurf" value="{token}"' in page
    assert "Bitte prüfen Sie Ihre Angaben" not in page

    # saving again updates the same draft; submitting removes it
    response = client.post(
        URL,
        data={
            "csrf_token": csrf_token(page),
            "action": "draft",
            "entwurf": token,
            "ort": "München",
        },
    )
    assert f"/entwurf/{token}" in response.headers["Location"]
    with app.app_context():
        assert Draft.query.count() == 1
    data = load_data(SLUG)
    response = form_post(client, data, token=csrf_token(page), extra={"entwurf": token})
    assert response.status_code == 303
    assert client.get(f"/entwurf/{token}").status_code == 404
    with app.app_context():
        assert db.session.query(Draft).count() == 0


def test_unknown_draft_is_404(client):
    assert client.get("/entwurf/" + "x" * 43).status_code == 404


def test_als_vorlage_verwenden_prefills_shared_values(client):
    token = form_post(client, load_data(SLUG)).headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Als Vorlage verwenden" in page
    link = f"/instrumente/raumnutzung?vorlage={token}"
    assert link in page
    form = client.get(link).get_data(as_text=True)
    assert 'value="Selbsthilfegruppe „Angst &amp; Panik – Westend“"' in form
    # and back into the agreement: the parties' names become its first rows
    again = client.get(f"{URL}?vorlage={token}").get_data(as_text=True)
    assert re.search(r'name="parteien-0-name"[^>]*value="Klinikum am Westpark, Abteilung', again)
    assert client.get(f"{URL}?vorlage={'x' * 43}").status_code == 404


def test_blank_forms_download(client):
    page = client.get(URL).get_data(as_text=True)
    assert f"{URL}/vorlage.pdf" in page
    pdf = client.get(f"{URL}/vorlage.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    # the agreement's own text with lines to fill in (tests/test_blank_documents.py)
    assert "§ 7 Laufzeit" in pdf_text(pdf.data)
    docx = client.get(f"{URL}/vorlage.docx")
    assert "erstmals am ____" in docx_text(docx.data)
    assert client.get(f"{URL}/vorlage.exe").status_code == 404


def test_shared_concepts_are_declared():
    from toolbox.instruments.registry import INSTRUMENTS
    from toolbox.instruments.shared import ALL_CONCEPTS

    used = {f.shares for i in INSTRUMENTS.values() for f in i.fields if f.shares}
    assert used <= set(ALL_CONCEPTS)
    assert {"gruppe", "einrichtung", "ort"} <= used


def test_prefill_keeps_the_defaults(client):
    """Carried-over values must not untick a box that is ticked by default."""
    token = form_post(client, load_data(SLUG)).headers["Location"].rsplit("/", 1)[1]
    form = client.get(f"{URL}?vorlage={token}").get_data(as_text=True)
    assert re.search(r'id="unabhaengigkeit" value="y" checked', form)
    assert re.search(r'value="unbefristet" checked', form)
