"""Maintaining the contact directory in the dashboard: list, add, edit, delete, CSV import
and export from the browser, and taking a submitted suggestion into the directory."""

from __future__ import annotations

import csv
import io
import re

import pytest
from helpers import CONTACTS_CSV, ENTRY, contacts, load_data, page_token, upload
from helpers import CONTACTS_URL as BASE
from helpers import add_contact as add

from toolbox.core.extensions import db
from toolbox.instruments.base import TEXT_MAX_CHARS
from toolbox.submissions.models import Submission


def text(response) -> str:
    return response.get_data(as_text=True)


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", BASE),
        ("get", f"{BASE}/neu"),
        ("post", f"{BASE}/neu"),
        ("get", f"{BASE}/1/bearbeiten"),
        ("get", f"{BASE}/1/loeschen"),
        ("get", f"{BASE}/export.csv"),
        ("get", f"{BASE}/import"),
    ],
)
def test_anonymous_requests_go_to_the_login(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_every_account_can_reach_the_directory_from_the_dashboard(facilitator):
    page = text(facilitator.get("/dashboard"))
    assert f'href="{BASE}"' in page
    page = text(facilitator.get(BASE))
    assert (
        "Das Verzeichnis ist noch leer" in page and 'aria-current="page">Ansprechpersonen' in page
    )


# --- add, edit, delete ----------------------------------------------------------------------


def test_add_shows_the_entry_here_and_on_the_public_page(app, client, facilitator):
    response = add(facilitator)
    assert response.status_code == 303 and response.headers["Location"] == BASE
    page = text(facilitator.get(BASE))
    assert "„Selbsthilfe-Kontaktstelle Westend“ steht jetzt im Verzeichnis." in page
    assert "1 Eintrag." in page and "info@skw.example.org" in page
    [stored] = contacts(app)
    assert {k: v for k, v in stored.items() if k != "id"} == ENTRY
    public = text(client.get("/ansprechpersonen?q=westend"))
    assert "Selbsthilfe-Kontaktstelle Westend" in public and "Ganghoferstraße 5" in public


def test_invalid_entry_gets_german_messages_and_keeps_the_input(app, facilitator):
    response = add(facilitator, organisation="", typ=None, email="keine-adresse")
    assert response.status_code == 422
    page = text(response)
    assert "Bitte prüfen Sie Ihre Angaben" in page
    assert "Bitte ausfüllen." in page and "Bitte auswählen." in page
    assert "Bitte eine gültige E-Mail-Adresse angeben." in page
    assert 'value="keine-adresse"' in page and 'value="Beratung Gruppengründung"' in page
    assert "Ganghoferstraße 5\n80339 München</textarea>" in page
    assert contacts(app) == []


def test_expired_session_keeps_the_input_and_saves_nothing(app, facilitator):
    data = {**ENTRY, "csrf_token": "abgelaufen"}
    response = facilitator.post(f"{BASE}/neu", data=data)
    assert response.status_code == 422
    page = text(response)
    assert "Die Sitzung ist abgelaufen" in page
    assert 'value="Selbsthilfe-Kontaktstelle Westend"' in page
    assert contacts(app) == []


def test_unknown_choice_is_refused(app, facilitator):
    response = add(facilitator, typ="selbsthilfegruppe")
    assert response.status_code == 422
    assert "Bitte eine der angebotenen Möglichkeiten wählen." in text(response)
    assert contacts(app) == []


def test_edit_starts_from_the_stored_entry_and_saves_changes(app, client, facilitator):
    add(facilitator)
    [stored] = contacts(app)
    url = f"{BASE}/{stored['id']}/bearbeiten"
    page = text(facilitator.get(url))
    assert 'value="Selbsthilfe-Kontaktstelle Westend"' in page
    assert re.search(r'value="kontaktstelle" checked', page)
    changed = {**ENTRY, "funktion": "Kooperation mit Kliniken", "telefon": ""}
    response = facilitator.post(url, data={**changed, "csrf_token": page_token(facilitator, url)})
    assert response.status_code == 303
    assert "Die Änderungen an „Selbsthilfe-Kontaktstelle Westend“" in text(facilitator.get(BASE))
    [after] = contacts(app)
    assert after["funktion"] == "Kooperation mit Kliniken" and after["telefon"] == ""
    assert after["id"] == stored["id"]
    public = text(client.get("/ansprechpersonen"))
    assert "Kooperation mit Kliniken" in public and "089 765-4321" not in public


def test_failed_edit_changes_nothing(app, facilitator):
    add(facilitator)
    [stored] = contacts(app)
    url = f"{BASE}/{stored['id']}/bearbeiten"
    data = {**ENTRY, "organisation": " ", "csrf_token": page_token(facilitator, url)}
    response = facilitator.post(url, data=data)
    assert response.status_code == 422 and "Bitte ausfüllen." in text(response)
    assert contacts(app) == [stored]


def test_delete_asks_first_then_removes_the_entry(app, client, facilitator):
    add(facilitator, organisation="Kontaktstelle Zitronenfalter-7f3a")
    add(facilitator, organisation="Kontaktstelle Bleibt")
    gone = next(c for c in contacts(app) if "Zitronenfalter" in c["organisation"])
    url = f"{BASE}/{gone['id']}/loeschen"
    page = text(facilitator.get(url))
    assert "„Kontaktstelle Zitronenfalter-7f3a“ aus dem Verzeichnis löschen?" in page
    assert facilitator.post(url).status_code == 400  # no CSRF token: nothing happens
    assert len(contacts(app)) == 2
    response = facilitator.post(url, data={"csrf_token": page_token(facilitator, url)})
    assert response.status_code == 303
    assert "wurde aus dem Verzeichnis gelöscht" in text(facilitator.get(BASE))
    assert [c["organisation"] for c in contacts(app)] == ["Kontaktstelle Bleibt"]
    assert "Zitronenfalter" not in text(client.get("/ansprechpersonen"))
    assert facilitator.get(url).status_code == 404
    assert facilitator.get(f"{BASE}/{gone['id']}/bearbeiten").status_code == 404


def test_long_entries_are_stored_whole(app, facilitator):
    """The columns hold what the instrument's fields accept (on PostgreSQL too)."""
    long = "Selbsthilfe-Kontaktstelle " + "Westend-" * ((TEXT_MAX_CHARS - 26) // 8)
    long = long + "x" * (TEXT_MAX_CHARS - len(long))
    response = add(facilitator, organisation=long, zustaendigkeit=long, telefon=long)
    assert response.status_code == 303
    [stored] = contacts(app)
    assert stored["organisation"] == long and stored["telefon"] == long
    response = add(facilitator, organisation=long + "x")
    assert response.status_code == 422
    assert f"Höchstens {TEXT_MAX_CHARS} Zeichen." in text(response)


def test_markup_is_shown_as_text(app, client, facilitator):
    add(facilitator, organisation='<script>alert("x")</script> Kontaktstelle', funktion="{{ 7*7 }}")
    page = text(facilitator.get(BASE))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Kontaktstelle" in page
    assert "{{ 7*7 }}" in page
    assert "<script>alert" not in text(client.get("/ansprechpersonen"))


def test_search_in_the_dashboard(facilitator):
    upload(facilitator, CONTACTS_CSV.encode())
    page = text(facilitator.get(BASE, query_string={"q": "klinik"}))
    assert "1 Treffer für „klinik“." in page
    assert "Klinikum am Westpark" in page and "Landesarbeitsgemeinschaft" not in page


# --- CSV ---------------------------------------------------------------------------------------


def test_export_downloads_the_directory_as_csv(facilitator):
    upload(facilitator, CONTACTS_CSV.encode())
    response = facilitator.get(f"{BASE}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=\d{4}-\d\d-\d\d_Ansprechpersonen\.csv", disposition)
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Organisation",
        "Art",
        "Funktion",
        "E-Mail",
        "Telefon",
        "Anschrift",
        "Zuständigkeit",
    ]
    assert len(rows) == 4
    westend = next(r for r in rows if r[0] == "Selbsthilfe-Kontaktstelle Westend")
    assert westend[1] == "Kontaktstelle" and westend[5] == "Ganghoferstraße 5\n80339 München"
    hits = facilitator.get(f"{BASE}/export.csv", query_string={"q": "bayern"}).get_data()
    assert [r[0] for r in csv.reader(io.StringIO(hits.decode("utf-8-sig")), delimiter=";")] == [
        "Organisation",
        "Landesarbeitsgemeinschaft Selbsthilfe",
    ]


def test_import_adds_entries_once_and_can_replace_the_directory(app, facilitator):
    response = upload(facilitator, ("\ufeff" + CONTACTS_CSV).encode())
    assert response.status_code == 303 and response.headers["Location"] == BASE
    assert "3 Einträge übernommen." in text(facilitator.get(BASE))
    assert len(contacts(app)) == 3

    response = upload(facilitator, CONTACTS_CSV.encode())  # the same file again adds nothing
    assert "0 Einträge übernommen. 3 waren schon im Verzeichnis." in text(facilitator.get(BASE))
    assert len(contacts(app)) == 3

    add(facilitator, organisation="Gesundheitsamt Landkreis Nord", typ="sonstige")
    exported = facilitator.get(f"{BASE}/export.csv").get_data()
    assert len(contacts(app)) == 4
    one = CONTACTS_CSV.split("\n", 2)
    upload(facilitator, "\n".join(one[:2]).encode(), replace=True)
    assert [c["organisation"] for c in contacts(app)] == ["Selbsthilfe-Kontaktstelle Westend"]
    upload(facilitator, exported, replace=True)  # the export restores the directory
    assert sorted(c["organisation"] for c in contacts(app)) == [
        "Gesundheitsamt Landkreis Nord",
        "Klinikum am Westpark",
        "Landesarbeitsgemeinschaft Selbsthilfe",
        "Selbsthilfe-Kontaktstelle Westend",
    ]


def test_import_with_errors_names_the_lines_and_takes_nothing(app, facilitator):
    add(facilitator, organisation="Schon da", typ="sonstige")
    bad = CONTACTS_CSV + "Ohne Art;;;\nGesundheitsamt;sonstige;;keine-mail;;;\n"
    response = upload(facilitator, bad.encode(), replace=True)
    assert response.status_code == 422
    page = text(response)
    assert "Die Datei „kontakte.csv“ wurde nicht importiert" in page
    assert "Es wurde nichts übernommen." in page
    assert "Zeile 5: Art: Bitte auswählen." in page
    assert "Zeile 6: E-Mail: Bitte eine gültige E-Mail-Adresse angeben." in page
    assert 'name="replace" id="replace" value="y" checked' in page
    assert [c["organisation"] for c in contacts(app)] == ["Schon da"]  # not replaced either

    page = text(upload(facilitator, b"Name;Ort\nx;y\n"))
    assert "Zeile 1: Spalte fehlt: Organisation, Art" in page
    page = text(upload(facilitator, b"Organisation;Art\n"))
    assert "Die Datei enthält keine Einträge." in page
    assert len(contacts(app)) == 1


def test_import_reads_what_excel_writes(app, facilitator):
    """Excel's "CSV (Trennzeichen-getrennt)" is Windows-1252: umlauts arrive intact."""
    response = upload(facilitator, CONTACTS_CSV.encode("cp1252"))
    assert response.status_code == 303
    westend = next(c for c in contacts(app) if "Westend" in c["organisation"])
    assert westend["funktion"] == "Beratung Gruppengründung"
    assert westend["anschrift"] == "Ganghoferstraße 5\n80339 München"


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"", None, "Bitte eine CSV-Datei auswählen."),
        (b"PK\x03\x04", "kontakte.xlsx", "Bitte eine CSV-Datei wählen"),
        (b"Organisation;Art\n\x81\x8d;sonstige\n", "kontakte.csv", "weder UTF-8 noch Windows-1252"),
    ],
)
def test_import_refuses_what_it_cannot_read(app, facilitator, content, filename, message):
    data = {"csrf_token": page_token(facilitator, f"{BASE}/import")}
    if filename:
        data["file"] = (io.BytesIO(content), filename)
    response = facilitator.post(f"{BASE}/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert message in text(response)
    assert contacts(app) == []


def test_import_with_an_expired_session_says_so(app, facilitator):
    data = {"csrf_token": "abgelaufen", "file": (io.BytesIO(CONTACTS_CSV.encode()), "kontakte.csv")}
    response = facilitator.post(f"{BASE}/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Die Sitzung ist abgelaufen" in text(response)
    assert contacts(app) == []


# --- suggestions from the public form ---------------------------------------------------------


def suggest(client, *entries: dict) -> int:
    data = {"eintraege": list(entries), "einwilligung": True}
    response = client.post(
        "/api/v1/submissions", json={"instrument": "ansprechpersonen", "data": data}
    )
    assert response.status_code == 202, response.get_json()
    with client.application.app_context():
        return Submission.query.filter_by(token=response.get_json()["token"]).one().id


def test_a_suggestion_is_taken_into_the_directory_once(app, client, admin):
    submission_id = suggest(
        client, ENTRY, {"organisation": "Klinikum am Westpark", "typ": "klinik"}
    )
    detail = f"/dashboard/einreichungen/{submission_id}"
    page = text(admin.get(detail))
    assert "Einträge ins Verzeichnis übernehmen" in page
    url = f"{BASE}/aus-einreichung/{submission_id}"
    assert admin.post(url).status_code == 400  # CSRF
    response = admin.post(url, data={"csrf_token": page_token(admin, detail)})
    assert response.status_code == 303 and response.headers["Location"] == detail
    assert "2 Einträge übernommen." in text(admin.get(detail))
    assert sorted(c["organisation"] for c in contacts(app)) == [
        "Klinikum am Westpark",
        "Selbsthilfe-Kontaktstelle Westend",
    ]
    westend = next(c for c in contacts(app) if "Westend" in c["organisation"])
    assert westend["anschrift"] == ENTRY["anschrift"]
    admin.post(url, data={"csrf_token": page_token(admin, detail)})
    assert "2 waren schon im Verzeichnis." in text(admin.get(detail))
    assert len(contacts(app)) == 2


def test_suggestions_follow_the_submission_rules(app, client, admin, facilitator):
    submission_id = suggest(client, ENTRY)
    url = f"{BASE}/aus-einreichung/{submission_id}"
    # a facilitator does not see submissions outside their workshops: 404
    token = page_token(facilitator, BASE)
    assert facilitator.post(url, data={"csrf_token": token}).status_code == 404
    assert contacts(app) == []
    # only suggestions for the directory can be taken into it
    other = client.post(
        "/api/v1/submissions",
        json={"instrument": "ansprechpersonen", "data": {"eintraege": [], "einwilligung": True}},
    )
    assert other.status_code == 400
    agreement = client.post(
        "/api/v1/submissions",
        json={
            "instrument": "kooperationsvereinbarung",
            "data": load_data("kooperationsvereinbarung"),
        },
    )
    with app.app_context():
        agreement_id = Submission.query.filter_by(token=agreement.get_json()["token"]).one().id
    response = admin.post(
        f"{BASE}/aus-einreichung/{agreement_id}", data={"csrf_token": page_token(admin, BASE)}
    )
    assert response.status_code == 404
    assert "Einträge ins Verzeichnis übernehmen" not in text(
        admin.get(f"/dashboard/einreichungen/{agreement_id}")
    )


def test_a_stored_suggestion_that_no_longer_validates_is_refused(app, client, admin):
    submission_id = suggest(client, ENTRY)
    with app.app_context():
        submission = db.session.get(Submission, submission_id)
        submission.payload_json = submission.payload_json.replace("kontaktstelle", "gibt-es-nicht")
        db.session.commit()
    detail = f"/dashboard/einreichungen/{submission_id}"
    response = admin.post(
        f"{BASE}/aus-einreichung/{submission_id}", data={"csrf_token": page_token(admin, detail)}
    )
    assert response.status_code == 303
    page = text(admin.get(detail))
    assert "Die Einträge lassen sich nicht übernehmen" in page
    assert "Eintrag 1: Art: Bitte eine der angebotenen Möglichkeiten wählen." in page
    assert contacts(app) == []
