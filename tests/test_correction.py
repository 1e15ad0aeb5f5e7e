"""Korrigieren: a submitted form opens again with every field and row it had; submitting
it makes a new submission that replaces the earlier one, whose documents stay."""

from __future__ import annotations

import lxml.html
import pytest
from helpers import docx_text, form_submit, load_data, pdf_text, squash
from werkzeug.datastructures import MultiDict

from toolbox.core.extensions import db
from toolbox.core.time import local_time
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.ops.sweeper import purge
from toolbox.submissions.models import Document, Submission
from toolbox.submissions.tasks import render_job

SLUGS = [slug for slug in INSTRUMENTS]


def browser_values(html: str) -> MultiDict:
    """What a browser sends for the instrument form as shown (checked boxes, selected
    options, text in text areas), without the buttons."""
    form = lxml.html.fromstring(html).get_element_by_id("instrument-form")
    return MultiDict(form.form_values())


def blank_as_none(value):
    if isinstance(value, dict):
        return {k: blank_as_none(v) for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)  # the choices of a multiple choice, in whatever order
    if isinstance(value, list):
        return [blank_as_none(v) for v in value]
    return None if value == "" else value


def stored(app, token: str) -> Submission:
    with app.app_context():
        submission = Submission.query.filter_by(token=token).one()
        db.session.expunge(submission)
        return submission


def correct_unchanged(client, slug: str, token: str) -> str:
    """Open "Korrigieren" for `token` and send the form as it comes; the new token."""
    values = browser_values(
        client.get(f"/instrumente/{slug}?korrektur={token}").get_data(as_text=True)
    )
    values["action"] = "submit"
    return client.post(f"/instrumente/{slug}", data=values).headers["Location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("slug", SLUGS)
def test_korrigieren_shows_every_field_and_row_unchanged(app, client, slug):
    data = load_data(slug)
    token = form_submit(client, slug, data)
    page = client.get(f"/s/{token}").get_data(as_text=True)
    link = f"/instrumente/{slug}?korrektur={token}"
    assert link in page and "Korrigieren" in page

    html = client.get(link).get_data(as_text=True)
    assert "Das Formular enthält alle Angaben der Fassung vom" in html
    values = browser_values(html)
    assert values["ersetzt"] == token
    values["action"] = "submit"
    response = client.post(f"/instrumente/{slug}", data=values)
    assert response.status_code == 303, response.get_data(as_text=True)
    new_token = response.headers["Location"].rsplit("/", 1)[1]
    old, new = stored(app, token), stored(app, new_token)
    # sent back untouched, the form gives exactly the payload it was opened with (a text
    # field the first post left out is None, the browser sends it empty; ticked choices
    # come in the form's order)
    assert blank_as_none(new.payload) == blank_as_none(old.payload)
    assert new.replaces_id == old.id
    assert new_token != token


def test_correction_replaces_and_both_pages_link(app, client):
    slug = "kooperationsvereinbarung"
    data = load_data(slug)
    token = form_submit(client, slug, data)
    with app.app_context():
        render_job(Submission.query.filter_by(token=token).one().job.id)

    html = client.get(f"/instrumente/{slug}?korrektur={token}").get_data(as_text=True)
    values = browser_values(html)
    # fix a typo in the second party's row
    assert values["parteien-1-name"] == data["parteien"][1]["name"]
    values["parteien-1-name"] = "Selbsthilfegruppe „Angst & Panik – Westend“ (korrigiert)"
    values["action"] = "submit"
    new_token = client.post(f"/instrumente/{slug}", data=values).headers["Location"]
    new_token = new_token.rsplit("/", 1)[1]
    old, new = stored(app, token), stored(app, new_token)
    assert new.payload["parteien"][1]["name"].endswith("(korrigiert)")
    assert new.payload["parteien"][0] == old.payload["parteien"][0]
    assert len(new.payload["parteien"]) == len(data["parteien"])

    new_page = client.get(f"/s/{new_token}").get_data(as_text=True)
    assert "Diese Fassung ersetzt die Fassung vom" in new_page
    assert f'href="/s/{token}"' in new_page
    old_page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Diese Fassung wurde korrigiert" in old_page
    assert f'href="/s/{new_token}"' in old_page
    # the old documents are still there
    assert client.get(f"/s/{token}/dokumente/pdf").status_code == 200
    with app.app_context():
        assert Document.query.filter_by(submission_id=old.id).count() == 2


def test_correction_survives_errors_and_drafts(app, client):
    slug = "kooperationsvereinbarung"
    token = form_submit(client, slug, load_data(slug))
    values = browser_values(
        client.get(f"/instrumente/{slug}?korrektur={token}").get_data(as_text=True)
    )
    values["ort"] = ""  # required: the form comes back with the error
    values["action"] = "submit"
    response = client.post(f"/instrumente/{slug}", data=values)
    assert response.status_code == 422
    again = response.get_data(as_text=True)
    assert f'name="ersetzt" value="{token}"' in again
    assert "Das Formular enthält alle Angaben der Fassung vom" in again

    values = browser_values(again)
    values["action"] = "draft"
    draft_link = client.post(f"/instrumente/{slug}", data=values).headers["Location"]
    draft = client.get(draft_link).get_data(as_text=True)
    assert f'name="ersetzt" value="{token}"' in draft
    values = browser_values(draft)
    values["ort"] = "München"
    values["action"] = "submit"
    response = client.post(f"/instrumente/{slug}", data=values)
    assert response.status_code == 303
    new = stored(app, response.headers["Location"].rsplit("/", 1)[1])
    assert new.replaces_id == stored(app, token).id


def test_correction_of_unknown_or_other_instrument_is_404(client):
    token = form_submit(client, "raumnutzung", load_data("raumnutzung"))
    assert client.get(f"/instrumente/raumnutzung?korrektur={'x' * 43}").status_code == 404
    assert client.get(f"/instrumente/reflexion?korrektur={token}").status_code == 404


def test_purging_the_old_version_keeps_the_new_one(app, client):
    slug = "raumnutzung"
    token = form_submit(client, slug, load_data(slug))
    new_token = correct_unchanged(client, slug, token)
    with app.app_context():
        old = Submission.query.filter_by(token=token).one()
        old.created_at = old.created_at.replace(year=old.created_at.year - 5)
        db.session.commit()
        assert purge()["submissions"] == 1
    assert client.get(f"/s/{token}").status_code == 404
    page = client.get(f"/s/{new_token}")
    assert page.status_code == 200
    assert "Diese Fassung ersetzt" not in page.get_data(as_text=True)
    assert stored(app, new_token).replaces_id is None


def test_documents_of_a_correction_say_what_they_replace(app, client):
    slug = "raumnutzung"
    token = form_submit(client, slug, load_data(slug))
    new_token = correct_unchanged(client, slug, token)
    with app.app_context():
        old = Submission.query.filter_by(token=token).one()
        new = Submission.query.filter_by(token=new_token).one()
        when = local_time(old.created_at, "%d.%m.%Y, %H:%M Uhr")
        render_job(old.job.id)
        render_job(new.job.id)
    said = f"ersetzt die Fassung vom {when}"
    for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
        assert said in squash(read(client.get(f"/s/{new_token}/dokumente/{fmt}").data)), fmt
        assert "ersetzt die Fassung" not in read(client.get(f"/s/{token}/dokumente/{fmt}").data)
    assert said in squash(client.get(f"/s/{new_token}/webseite").get_data(as_text=True))
    assert "ersetzt die Fassung" not in client.get(f"/s/{token}/webseite").get_data(as_text=True)
