"""Cooperation (issue 16): a signed agreement circulated to its three parties over real
SMTP (aiosmtpd): one asks for a change, the author makes version 2 through "Korrigieren",
all agree, the final PDF carries the three consents and the recomputed SHA-256; misuse
and bad input are refused in German, never with a 500."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from datetime import timedelta

import lxml.html
from helpers import csrf_token, form_submit, load_data, page_token, pdf_text, render_all, squash
from werkzeug.datastructures import MultiDict

from toolbox.cooperation.models import (
    Circulation,
    CirculationMail,
    CirculationState,
    Invitation,
    MailState,
)
from toolbox.cooperation.service import send_reminders
from toolbox.cooperation.tasks import finalize_circulation, send_circulation_mail
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.submissions.models import Submission

SLUG = "kooperationsvereinbarung"
EMAILS = ["klinik@example.org", "gruppe@example.org", "kontaktstelle@example.org"]
LINK = re.compile(r"https?://[^\s]+/z/([A-Za-z0-9_-]{43})")
SIGNERS = [
    ("Dr. Erika Mustermann", "Chefärztin"),
    ("Erika Beispiel", "Gruppensprecherin"),
    ("Max Beispiel", "Geschäftsführung"),
]


def send_pending(app) -> int:
    """Run the mail task here for every pending circulation mail (the queue is tested
    with a real worker below)."""
    with app.app_context():
        ids = db.session.scalars(
            db.select(CirculationMail.id).where(CirculationMail.state == MailState.PENDING)
        ).all()
        for mail_id in ids:
            send_circulation_mail(mail_id)
    return len(ids)


def links_in(messages) -> list[str]:
    return [LINK.search(m.get_body(("plain",)).get_content()).group(1) for m in messages]


def circulate(client, token: str, emails=EMAILS):
    url = f"/s/{token}/abstimmung"
    html = client.get(url, follow_redirects=True).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html)}
    data.update({f"email-{i}": e for i, e in enumerate(emails)})
    return client.post(url, data=data)


def answer(client, token: str, action: str, csrf: str | None = None, **data):
    csrf = csrf or page_token(client, f"/z/{token}")
    return client.post(f"/z/{token}/{action}", data={"csrf_token": csrf, **data})


def agree(client, token: str, name: str, function: str, version: int, csrf=None):
    return answer(
        client,
        token,
        "zustimmen",
        csrf,
        name=name,
        function=function,
        authorised="ja",
        version=version,
    )


def browser_values(html: str) -> MultiDict:
    form = lxml.html.fromstring(html).get_element_by_id("instrument-form")
    return MultiDict(form.form_values())


def correct(client, token: str, change) -> str:
    """Korrigieren: the form opens with this version's answers; `change` edits them."""
    html = client.get(f"/instrumente/{SLUG}?korrektur={token}").get_data(as_text=True)
    values = browser_values(html)
    change(values)
    values["action"] = "submit"
    response = client.post(f"/instrumente/{SLUG}", data=values)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def started(app, client) -> str:
    token = form_submit(client, SLUG, load_data(SLUG))
    render_all(app)
    return token


def test_three_parties_change_version_two_all_agree_final_pdf(make_app, smtp_server):
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url, TOOLBOX_BASE_URL="https://toolbox.example.org")
    client = app.test_client()
    token = started(app, client)

    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "Zur Abstimmung senden" in page
    form = client.get(f"/s/{token}/abstimmung").get_data(as_text=True)
    assert "E-Mail für Klinikum am Westpark, Abteilung für Psychosomatik" in form
    assert form.count('type="email"') == 3

    # a bad address: the form comes back in German, what was typed kept
    response = circulate(client, token, [EMAILS[0], "kein-at-zeichen", EMAILS[2]])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "kein-at-zeichen" in html and EMAILS[0] in html and 'aria-invalid="true"' in html

    assert circulate(client, token).status_code == 303
    assert send_pending(app) == 3
    messages = smtp_server.parsed()
    assert sorted(m["To"] for m in messages) == sorted(EMAILS)
    first = messages[0].get_body(("plain",)).get_content()
    assert "Sie werden gebeten" in first and "zustimmen oder eine Änderung vorschlagen" in first
    assert messages[0]["Subject"].startswith("Bitte um Zustimmung: Kooperationsvereinbarung")
    by_address = dict(zip([m["To"] for m in messages], links_in(messages), strict=True))
    links = [by_address[e] for e in EMAILS]
    # a second circulation of the same version is refused
    response = circulate(client, token)
    assert response.status_code == 409
    assert "bereits in Abstimmung" in response.get_data(as_text=True)

    # the private page follows each party
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert page.count("eingeladen (Version 1)") == 3

    klinik, gruppe, stelle = (app.test_client() for _ in range(3))
    party_page = klinik.get(f"/z/{links[0]}").get_data(as_text=True)
    assert "Ich bin berechtigt, für Klinikum am Westpark, Abteilung für Psychosomatik" in party_page
    assert "einfache elektronische Signatur" in party_page and "auf Papier" in party_page
    assert "Ziele der Zusammenarbeit" in party_page or "Ziele" in party_page
    assert klinik.get(f"/z/{links[0]}/dokumente/pdf").data.startswith(b"%PDF")
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "geöffnet (Version 1)" in page and "geöffnet am" in page

    # bad input: German message, input kept, nothing stored
    response = answer(
        klinik, links[0], "zustimmen", name="", function="Chefärztin", authorised="ja", version=1
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Bitte geben Sie Ihren vollständigen Namen ein." in html
    assert 'value="Chefärztin"' in html
    response = answer(
        klinik, links[0], "zustimmen", name="Dr. Erika Mustermann", function="Chefärztin", version=1
    )
    assert response.status_code == 400
    assert "Bitte bestätigen Sie, dass Sie berechtigt sind" in response.get_data(as_text=True)
    assert answer(klinik, links[0], "aenderung", text="  ", version=1).status_code == 400
    assert (
        answer(klinik, links[0], "zustimmen", name="A", function="B", version="x").status_code
        == 400
    )

    assert agree(klinik, links[0], *SIGNERS[0], version=1).status_code == 303
    response = answer(
        gruppe, links[1], "aenderung", text="Bitte den Infostand ergänzen.", version=1
    )
    assert response.status_code == 303
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert "zugestimmt (Version 1)" in page
    assert "Änderung vorgeschlagen (Version 1)" in page
    assert "Bitte den Infostand ergänzen." in page

    # Version 2 through Korrigieren, then sent to all parties
    def add_infostand(values):
        values.add("leistungen_selbsthilfe", "infostand")

    new_token = correct(client, token, add_infostand)
    render_all(app)
    new_page = client.get(f"/s/{new_token}").get_data(as_text=True)
    assert "Als Version 2 an alle Parteien senden" in new_page
    csrf = page_token(client, f"/s/{new_token}")
    response = client.post(f"/s/{new_token}/abstimmung/version", data={"csrf_token": csrf})
    assert response.status_code == 303
    smtp_server.messages.clear()
    assert send_pending(app) == 3
    summary = smtp_server.parsed()[0].get_body(("plain",)).get_content()
    assert "Version 2" in summary
    assert "Leistungen der Selbsthilfe: hinzugefügt „Infostand“" in summary

    # the consent to version 1 is void; answering version 1 now is refused clearly
    page = client.get(f"/s/{new_token}").get_data(as_text=True)
    assert page.count("eingeladen (Version 2)") == 3
    response = agree(stelle, links[2], *SIGNERS[2], version=1)
    assert response.status_code == 409
    assert "Sie haben Version 1 beantwortet, sie ist überholt" in response.get_data(as_text=True)
    # the old version stays readable
    old = stelle.get(f"/z/{links[2]}/version?nr=1")
    assert old.status_code == 200 and "überholt" in old.get_data(as_text=True)
    assert "hinzugefügt „Infostand“" in stelle.get(f"/z/{links[2]}").get_data(as_text=True)

    klinik_csrf = page_token(klinik, f"/z/{links[0]}")
    for client_, link, signer in zip((klinik, gruppe, stelle), links, SIGNERS, strict=True):
        assert agree(client_, link, *signer, version=2).status_code == 303
    with app.app_context():
        circulation = Circulation.query.one()
        assert circulation.state == CirculationState.COMPLETING
        circulation_id = circulation.id
        version_payload = circulation.current.payload
    with app.app_context():
        finalize_circulation(circulation_id)
    with app.app_context():
        done_row = db.session.get(Circulation, circulation_id)
        assert done_row.state == CirculationState.COMPLETED, done_row.final_error
    smtp_server.messages.clear()
    assert send_pending(app) == 3
    finals = smtp_server.parsed()
    assert sorted(m["To"] for m in finals) == sorted(EMAILS)
    pdf = next(
        p.get_content()
        for p in finals[0].iter_attachments()
        if p.get_content_type() == "application/pdf"
    )
    text = pdf_text(pdf)
    last = squash([p for p in text.split("\f") if p.strip()][-1])
    assert "Zustimmungsnachweis" in last and "Endfassung, Version 2" in last
    for name, function in SIGNERS:
        assert name in last and function in last
    recomputed = hashlib.sha256(
        json.dumps(
            {"instrument": SLUG, "payload": version_payload, "version": 2},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
    ).hexdigest()
    assert "".join(re.findall(r"\b[0-9a-f]{32}\b", text)) == recomputed
    assert "infostand" in version_payload["leistungen_selbsthilfe"]

    # after completion: the link shows the final documents, not the form
    done = klinik.get(f"/z/{links[0]}").get_data(as_text=True)
    assert "Endfassung als PDF herunterladen" in done and 'name="authorised"' not in done
    assert klinik.get(f"/z/{links[0]}/dokumente/pdf").data == pdf
    response = agree(klinik, links[0], *SIGNERS[0], version=2, csrf=klinik_csrf)
    assert response.status_code == 409
    assert "Die Abstimmung ist abgeschlossen" in response.get_data(as_text=True)
    # the author cannot change the completed agreement: a new version is refused
    third = correct(client, new_token, lambda v: v.__setitem__("ort", "Berlin"))
    page = client.get(f"/s/{third}").get_data(as_text=True)
    assert "Als Version 3" not in page
    csrf = page_token(client, f"/s/{third}")
    response = client.post(f"/s/{new_token}/abstimmung/version", data={"csrf_token": csrf})
    assert response.status_code == 409
    assert "abgeschlossen und kann nicht mehr geändert werden" in response.get_data(as_text=True)
    assert client.get(f"/s/{new_token}/abstimmung/endfassung/pdf").data == pdf


def test_other_links_reminders_and_limits(make_app, smtp_server):
    app = make_app(TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    first, second = started(app, client), started(app, client)
    assert circulate(client, first).status_code == 303
    assert circulate(client, second).status_code == 303
    send_pending(app)
    with app.app_context():
        one, two = Circulation.query.order_by(Circulation.id).all()
        link_one = one.invitations[0].token
        link_two = two.invitations[0].token
    # unknown links and the other circulation's links find nothing of this one
    assert client.get("/z/" + "A" * 43).status_code == 404
    csrf = page_token(client, f"/s/{first}")
    url = f"/s/{first}/abstimmung/erneut"
    assert client.post(url, data={"csrf_token": csrf, "partei": "9"}).status_code == 404
    assert client.get(f"/z/{link_one}/version?nr=x").status_code == 404
    party = app.test_client()
    assert agree(party, link_one, *SIGNERS[0], version=1).status_code == 303
    page = client.get(f"/s/{second}").get_data(as_text=True)
    assert "zugestimmt" not in page  # the answer counts for its own circulation only
    assert "geöffnet (Version 1)" not in page
    # a version number that does not exist in this circulation
    response = agree(party, link_two, *SIGNERS[0], version=7)
    assert response.status_code == 409
    # a missing CSRF token is a 400, not a 500
    assert party.post(f"/z/{link_two}/zustimmen", data={"name": "x"}).status_code == 400

    # reminders: none before N days; after them one per party who has not answered, once
    with app.app_context():
        assert send_reminders(now=utcnow() + timedelta(days=6)) == 0
        later = utcnow() + timedelta(days=7, minutes=1)
        assert send_reminders(now=later) == 5  # 2 + 3 parties, one of 6 agreed
        assert send_reminders(now=later + timedelta(days=7)) == 0
    smtp_server.messages.clear()
    assert send_pending(app) == 5
    reminder = smtp_server.parsed()[0]
    assert reminder["Subject"].startswith("Erinnerung")
    assert "Dies ist die einzige Erinnerung." in reminder.get_body(("plain",)).get_content()
    page = client.get(f"/s/{second}").get_data(as_text=True)
    assert "erinnert" in page

    # re-sending an invitation is limited
    url = f"/s/{second}/abstimmung/erneut"
    resend = {"csrf_token": page_token(client, f"/s/{second}"), "partei": "1"}
    codes = [client.post(url, data=resend).status_code for _ in range(3)]
    assert codes[:2] == [303, 303] and codes[2] == 429
    assert "in der letzten Stunde" in client.post(url, data=resend).get_data(as_text=True)

    # the purge of the submission removes the circulation whole
    with app.app_context():
        submission = Submission.query.filter_by(token=first).one()
        db.session.delete(submission)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 3
    assert client.get(f"/z/{link_one}").status_code == 404
    assert dt  # (datetime used for type of now)
