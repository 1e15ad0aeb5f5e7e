"""Workshops: created in the dashboard, filled in by participants through their link (with
the shared data prefilled), closed after their closing time, seen only by their
facilitators and admins."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from helpers import (
    SHARED,
    WORKSHOP_INSTRUMENTS,
    create_workshop,
    csrf_token,
    form_post,
    form_url,
    load_data,
    logged_in,
    page_token,
    submit_via_link,
    token_of,
)
from werkzeug.datastructures import MultiDict

from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.documents.qr import qr_png, qr_svg
from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.registry import get_instrument
from toolbox.submissions.models import Submission
from toolbox.workshops.models import Workshop


@pytest.fixture
def other(app):
    return logged_in(app, "andere@example.org")


# --- creating and editing ------------------------------------------------------------------


def test_facilitator_creates_a_workshop_with_link_and_qr(app, facilitator):
    workshop_id = create_workshop(facilitator)
    token = token_of(app, workshop_id)
    assert len(token) >= 43
    html = facilitator.get(f"/dashboard/workshops/{workshop_id}").get_data(as_text=True)
    assert "Kooperation gestalten &lt;Herbst&gt;" in html
    assert f"http://127.0.0.1:5000/w/{token}" in html
    # the page is seen under http://localhost, the link uses TOOLBOX_BASE_URL: say so
    assert "nicht mit http://localhost, unter der Sie diese Seite sehen" in html
    assert "Planungsbogen Gruppengründung" in html and "Raumnutzungsvereinbarung" in html
    assert "Klinikum am Westpark" in html
    assert "Kit erstellen" in html
    assert f'src="/dashboard/workshops/{workshop_id}/qr.svg"' in html
    listing = facilitator.get("/dashboard/workshops").get_data(as_text=True)
    assert f'href="/dashboard/workshops/{workshop_id}"' in listing

    svg = facilitator.get(f"/dashboard/workshops/{workshop_id}/qr.svg?download=1")
    assert svg.mimetype == "image/svg+xml" and svg.data.startswith(b"<svg")
    assert "attachment" in svg.headers["Content-Disposition"]
    png = facilitator.get(f"/dashboard/workshops/{workshop_id}/qr.png?download=1")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert (
        png.headers["Content-Disposition"].endswith('.png"')
        or ".png" in png.headers["Content-Disposition"]
    )
    projection = facilitator.get(f"/dashboard/workshops/{workshop_id}/projektion")
    text = projection.get_data(as_text=True)
    assert projection.status_code == 200 and f"/w/{token}" in text
    assert "<script" not in text and "style=" not in text  # CSP: nothing inline


def test_the_qr_code_encodes_the_participant_link(app, facilitator):
    workshop_id = create_workshop(facilitator)
    link = f"http://127.0.0.1:5000/w/{token_of(app, workshop_id)}"
    png = facilitator.get(f"/dashboard/workshops/{workshop_id}/qr.png").data
    svg = facilitator.get(f"/dashboard/workshops/{workshop_id}/qr.svg").data
    if shutil.which("zbarimg"):  # decode it back when the system can
        out = subprocess.run(["zbarimg", "--raw", "-q", "-"], input=png, capture_output=True)
        assert out.stdout.decode().strip() == link
    # segno is deterministic: the same link gives the same code
    assert png == qr_png(link)
    assert svg == qr_svg(link, title=f"QR-Code: {link}")


def test_expired_session_keeps_the_workshop_form(app, facilitator):
    data = {"csrf_token": "abgelaufen", "title": "Kooperation gestalten", "date": "2026-11-22"}
    response = facilitator.post("/dashboard/workshops/neu", data={**data, **SHARED})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Die Sitzung ist abgelaufen. Ihre Eingaben sind erhalten" in html
    assert 'value="Kooperation gestalten"' in html and 'value="Klinikum am Westpark"' in html
    with app.app_context():
        assert Workshop.query.count() == 0


def test_invalid_workshop_form_explains_in_german(facilitator):
    response = facilitator.post(
        "/dashboard/workshops/neu",
        data={"csrf_token": page_token(facilitator, "/dashboard/workshops/neu"), "date": "kein"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte einen Titel angeben." in html
    assert "Bitte mindestens ein Instrument auswählen." in html
    assert "Bitte prüfen Sie Ihre Angaben" in html


def test_edit_changes_instruments_and_closing_time(app, facilitator):
    workshop_id = create_workshop(facilitator)
    page = facilitator.get(f"/dashboard/workshops/{workshop_id}/bearbeiten")
    html = page.get_data(as_text=True)
    assert 'value="Kooperation gestalten &lt;Herbst&gt;"' in html
    assert 'id="instruments-raumnutzung" value="raumnutzung" checked' in html
    response = facilitator.post(
        f"/dashboard/workshops/{workshop_id}/bearbeiten",
        data=MultiDict(
            [
                ("csrf_token", csrf_token(html)),
                ("title", "Neuer Titel"),
                ("date", "2026-12-01"),
                ("instruments", "reflexion"),
                ("closes_at", "2026-12-01T18:30"),
                ("shared_kontaktstelle", "SHZ"),
            ]
        ),
    )
    assert response.status_code == 303
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop.title == "Neuer Titel" and workshop.instruments == ["reflexion"]
        assert workshop.shared == {"kontaktstelle": "SHZ"}
        # 18:30 in Munich in December is 17:30 UTC
        assert workshop.closes_at == dt.datetime(2026, 12, 1, 17, 30)


# --- the participant link ------------------------------------------------------------------


def test_participant_link_lists_instruments_and_prefills_shared_data(app, client, facilitator):
    token = token_of(app, create_workshop(facilitator))
    html = client.get(f"/w/{token}").get_data(as_text=True)
    assert "Kooperation gestalten &lt;Herbst&gt;" in html
    for slug in WORKSHOP_INSTRUMENTS:
        assert f'href="/instrumente/{slug}?workshop={token}"' in html
        assert get_instrument(slug).description in html
    assert "austauschprotokoll" not in html

    form = client.get(form_url(token, "raumnutzung")).get_data(as_text=True)
    assert 'value="Klinikum am Westpark"' in form
    assert 'value="Selbsthilfegruppe „Angst &amp; Panik – Westend“"' in form
    assert f"/w/{token}" in form  # the way back to the workshop's list

    agreement = client.get(form_url(token, "kooperationsvereinbarung")).get_data(as_text=True)
    assert re.search(r'name="parteien-0-name"[^>]*value="Klinikum am Westpark"', agreement)
    # prefilling does not untick what is ticked by default
    assert re.search(r'id="unabhaengigkeit" value="y" checked', agreement)


def test_submissions_through_the_link_belong_to_the_workshop(app, client, facilitator, other):
    workshop_id = create_workshop(facilitator)
    token = token_of(app, workshop_id)
    response = submit_via_link(client, token, "raumnutzung")
    assert response.status_code == 303
    # and one without the link: not the workshop's
    assert form_post(client, load_data("kooperationsvereinbarung")).status_code == 303
    with app.app_context():
        linked, unlinked = Submission.query.order_by(Submission.id).all()
        assert linked.workshop_id == workshop_id and unlinked.workshop_id is None
        linked_id, unlinked_id = linked.id, unlinked.id

    html = facilitator.get("/dashboard").get_data(as_text=True)
    assert re.findall(r'<tr id="s-(\d+)"', html) == [str(linked_id)]
    assert f'<a href="/dashboard/workshops/{workshop_id}">Kooperation gestalten' in html
    assert f'<option value="{workshop_id}"' in html  # the workshop filter
    assert facilitator.get(f"/dashboard/einreichungen/{linked_id}").status_code == 200
    assert facilitator.get(f"/dashboard/einreichungen/{unlinked_id}").status_code == 404
    filtered = facilitator.get(f"/dashboard?workshop={workshop_id}").get_data(as_text=True)
    assert re.findall(r'<tr id="s-(\d+)"', filtered) == [str(linked_id)]
    detail = facilitator.get(f"/dashboard/workshops/{workshop_id}").get_data(as_text=True)
    assert f'href="/dashboard/einreichungen/{linked_id}"' in detail
    # another facilitator sees neither the workshop nor its submission
    assert other.get(f"/dashboard/einreichungen/{linked_id}").status_code == 404
    assert re.findall(r'<tr id="s-(\d+)"', other.get("/dashboard").get_data(as_text=True)) == []


def test_the_workshop_token_is_checked_on_the_server(app, client, facilitator):
    token = token_of(app, create_workshop(facilitator))
    assert client.get("/w/" + "x" * 43).status_code == 404
    assert client.get(form_url("x" * 43, "raumnutzung")).status_code == 404
    # an instrument the workshop does not offer
    assert client.get(form_url(token, "reflexion")).status_code == 404
    formdata, _ = json_to_formdata(get_instrument("raumnutzung"), load_data("raumnutzung"))
    html = client.get("/instrumente/raumnutzung").get_data(as_text=True)
    formdata.add("csrf_token", csrf_token(html))
    formdata.add("workshop", "y" * 43)
    assert client.post("/instrumente/raumnutzung", data=formdata).status_code == 404
    with app.app_context():
        assert Submission.query.count() == 0


def test_a_closed_workshop_refuses_new_submissions(app, client, facilitator):
    workshop_id = create_workshop(facilitator)
    token = token_of(app, workshop_id)
    page = client.get(form_url(token, "raumnutzung")).get_data(as_text=True)
    with app.app_context():
        db.session.get(Workshop, workshop_id).closes_at = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()

    for url in (f"/w/{token}", form_url(token, "raumnutzung")):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 403
        assert "Dieser Workshop nimmt keine Einreichungen mehr an" in html
        assert '<html lang="de">' in html

    # a form opened before the closing time and sent after it
    formdata, _ = json_to_formdata(get_instrument("raumnutzung"), load_data("raumnutzung"))
    formdata.add("csrf_token", csrf_token(page))
    formdata.add("action", "submit")
    formdata.add("workshop", token)
    response = client.post("/instrumente/raumnutzung", data=formdata)
    assert response.status_code == 403
    assert "Ihre Angaben wurden nicht gespeichert." in response.get_data(as_text=True)
    with app.app_context():
        assert Submission.query.count() == 0
    listing = facilitator.get("/dashboard/workshops").get_data(as_text=True)
    assert "geschlossen" in listing


def test_a_draft_keeps_its_workshop(app, client, facilitator):
    workshop_id = create_workshop(facilitator)
    token = token_of(app, workshop_id)
    html = client.get(form_url(token, "raumnutzung")).get_data(as_text=True)
    response = client.post(
        "/instrumente/raumnutzung",
        data={"csrf_token": csrf_token(html), "action": "draft", "workshop": token, "raum": "R 1"},
    )
    assert response.status_code == 303
    resumed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'name="workshop" value="{token}"' in resumed


# --- who sees what -------------------------------------------------------------------------


def test_other_facilitators_get_404_admins_and_co_facilitators_see_it(app, facilitator, other):
    workshop_id = create_workshop(facilitator)
    base = f"/dashboard/workshops/{workshop_id}"
    for url in (
        base,
        f"{base}/bearbeiten",
        f"{base}/qr.svg",
        f"{base}/qr.png",
        f"{base}/projektion",
        f"{base}/kit/status.json",
        f"{base}/kit/download",
    ):
        assert other.get(url).status_code == 404, url
    token = page_token(other, "/dashboard")
    for url in (f"{base}/kit", f"{base}/kit/email", f"{base}/moderation"):
        assert other.post(url, data={"csrf_token": token}).status_code == 404, url
    assert "Kooperation gestalten" not in other.get("/dashboard/workshops").get_data(as_text=True)

    admin = logged_in(app, "admin@example.org", admin=True)
    assert admin.get(base).status_code == 200
    assert "Kooperation gestalten" in admin.get("/dashboard/workshops").get_data(as_text=True)

    # the owner adds the other account as co-facilitator: now it may see and manage it
    response = facilitator.post(
        f"{base}/moderation",
        data={"csrf_token": page_token(facilitator, base), "email": "Andere@Example.org"},
    )
    assert response.status_code == 303
    html = facilitator.get(base).get_data(as_text=True)
    assert "andere@example.org moderiert den Workshop jetzt mit." in html
    assert other.get(base).status_code == 200
    assert other.get(f"{base}/qr.svg").status_code == 200

    # unknown accounts are explained, not added
    facilitator.post(
        f"{base}/moderation",
        data={"csrf_token": page_token(facilitator, base), "email": "niemand@example.org"},
    )
    assert "Es gibt kein aktives Konto" in facilitator.get(base).get_data(as_text=True)

    with app.app_context():
        user_id = db.session.get(Workshop, workshop_id).co_facilitators[0].id
    facilitator.post(
        f"{base}/moderation/{user_id}/entfernen",
        data={"csrf_token": page_token(facilitator, base)},
    )
    assert other.get(base).status_code == 404
