"""The browser-facing pages, driven through Flask's test client (no JavaScript)."""

from __future__ import annotations

import re

import pytest
from helpers import form_post, load_data, pdf_text

from toolbox.instruments.registry import get_instrument
from toolbox.submissions.models import Job, Submission
from toolbox.submissions.tasks import render_job

SLUG = "kooperationsvereinbarung"
URL = f"/instrumente/{SLUG}"


def test_start_page_lists_the_instrument(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="de">' in html
    assert f'href="{URL}"' in html and "Kooperationsvereinbarung" in html


def test_form_shows_every_field_with_two_party_rows(client):
    html = client.get(URL).get_data(as_text=True)
    for f in get_instrument(SLUG).fields:
        assert f'id="{f.name}"' in html or f'id="{f.name}-0"' in html, f.name
    assert 'name="parteien-0-name"' in html and 'name="parteien-1-name"' in html
    assert 'name="parteien-2-name"' not in html
    assert "Gesundheits-/Sozialeinrichtung" in html
    # independence is confirmed by default
    assert re.search(r'id="unabhaengigkeit" value="y" checked', html)


def test_valid_form_redirects_to_private_page(app, client):
    response = form_post(client, load_data(SLUG))
    assert response.status_code == 303
    token = response.headers["Location"].rsplit("/", 1)[1]
    assert len(token) >= 43
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "In Warteschlange" in page and 'aria-live="polite"' in page
    assert 'http-equiv="refresh"' in page  # live without JavaScript, too
    with app.app_context():
        assert Submission.query.filter_by(token=token).one().job.state == "queued"


def test_invalid_form_keeps_input_and_explains_in_german(client):
    data = load_data(SLUG)
    data["parteien"][1]["name"] = ""
    data["naechste_ueberpruefung"] = "2027-01-01"
    data["praeambel"] = 'Zeile 1\nZeile <2> & "3"'
    response = form_post(client, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bitte prüfen Sie Ihre Angaben" in html
    assert 'href="#parteien-1-name"' in html and "Partei 2: Name" in html
    assert "Die nächste Überprüfung muss nach dem Beginn der Zusammenarbeit liegen." in html
    assert 'aria-describedby="naechste_ueberpruefung-hint naechste_ueberpruefung-error"' in html
    # everything typed is still there, escaped
    assert 'value="Klinikum am Westpark, Abteilung für Psychosomatik"' in html
    assert "Zeile 1\nZeile &lt;2&gt; &amp; &#34;3&#34;</textarea>" in html
    assert 'value="2027-01-01"' in html


def test_add_row_without_javascript_keeps_input(client):
    data = load_data(SLUG)
    html = form_post(client, data, action="add:parteien").get_data(as_text=True)
    assert 'name="parteien-3-name"' in html
    assert "Selbsthilfe-Kontaktstelle Westend (SKW)" in html
    assert "Partei hinzugefügt." in html
    assert "Bitte prüfen Sie Ihre Angaben" not in html


def test_remove_row_without_javascript_renumbers(client):
    data = load_data(SLUG)
    html = form_post(client, data, action="remove:parteien:0").get_data(as_text=True)
    assert "Klinikum am Westpark, Abteilung" not in html
    assert re.search(r'name="parteien-0-name"[^>]*value="Selbsthilfegruppe', html)
    assert 'name="parteien-2-name"' not in html


def test_row_limit_is_explained(client):
    data = load_data(SLUG)
    data["parteien"] = data["parteien"] * 4  # 12 rows > max 10 via API check is separate
    data["parteien"] = data["parteien"][:10]
    html = form_post(client, data, action="add:parteien").get_data(as_text=True)
    assert "Höchstens 10 Zeilen sind möglich." in html
    assert 'name="parteien-10-name"' not in html


def test_expired_csrf_token_keeps_input(client):
    response = form_post(client, load_data(SLUG), token="abgelaufen")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Die Sitzung ist abgelaufen" in html
    assert 'value="Erika Beispiel (Gruppensprecherin)"' in html


def test_hostile_text_is_escaped_in_the_page(client):
    data = load_data(SLUG)
    data["parteien"][0]["name"] = '<script>alert("x")</script>'
    data["ziele"] = ""
    html = form_post(client, data).get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_downloads_are_attachments_and_not_cached(app, client):
    token = form_post(client, load_data(SLUG)).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        render_job.run(Job.query.one().id)
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Fertig" in page and "PDF herunterladen" in page
    response = client.get(f"/s/{token}/dokumente/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Kooperationsvereinbarung" in pdf_text(response.data)
    docx = client.get(f"/s/{token}/dokumente/docx")
    assert docx.mimetype.endswith("wordprocessingml.document")
    assert client.get(f"/s/{token}/dokumente/exe").status_code == 404


@pytest.mark.parametrize("path", ["/", URL, "/s/" + "x" * 43, "/gibt-es-nicht"])
def test_security_headers_everywhere(client, path):
    response = client.get(path)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_unknown_pages_are_german_404(client):
    for path in ("/s/" + "x" * 43, "/instrumente/gibt-es-nicht", "/s/kurz/dokumente/pdf"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Diese Seite gibt es nicht" in response.get_data(as_text=True)
