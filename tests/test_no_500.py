"""Never a 500 (issue 14.11): each class of input that used to crash is handled where it
enters — row ids in URLs (one `<id:…>` converter with the ids' range), page numbers and id
lists in query strings, login `next`, typed text in mail headers — and a crawler sends
such values to every route the app registers, logged out and logged in, GET and POST.
(CSV files with any line ending: tests/test_csv_safety.py.)"""

from __future__ import annotations

import email
import itertools
from urllib.parse import quote, urlencode

import pytest
from helpers import login, page_token, request_and_build
from routes_support import make_world, real_values, routes
from werkzeug.routing import IntegerConverter

from toolbox.core.extensions import db
from toolbox.core.urls import IdConverter, bounded_int, parse_id
from toolbox.workshops.models import Workshop

HUGE = str(2**63)  # one past the largest id
HOSTILE = (
    HUGE,
    "9" * 40,
    "1e20",
    "-1",
    "²",
    "a\r\nSet-Cookie: x=1",
    "x\x00y",
    "//[",
    "x" * 5000,
)
QUERY_KEYS = (
    "page", "ids", "next", "q", "workshop", "from", "to", "instrument", "state", "email",
    "lang", "vorlage", "download", "gespeichert", "fmt",
)  # fmt: off
FORM_KEYS = (
    "email", "password", "confirm", "title", "date", "place", "closes_at", "instruments",
    "organisation", "typ", "telefon", "anschrift", "action", "replace", "workshop", "token",
    "name", "eintraege-0-organisation",
)  # fmt: off
LIMITS = {
    "TOOLBOX_LOGIN_RATE_LIMIT": "100000 per minute",
    "TOOLBOX_LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute",
    "TOOLBOX_SUBMIT_RATE_LIMIT": "100000 per minute",
    "TOOLBOX_RESEND_RATE_LIMIT": "100000 per minute",
    "TOOLBOX_ACCOUNT_MAIL_RATE_LIMIT": "100000 per minute",
}


@pytest.fixture
def world(app):
    return make_world(app)


# --- ids in URLs: one converter with a range -------------------------------------------------


def test_every_route_that_names_a_row_uses_the_id_converter(app):
    id_routes = 0
    for rule, _ in routes(app):
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, IdConverter), (rule.rule, name)
            if name.endswith("_id"):
                assert isinstance(converter, IdConverter), (rule.rule, name)
                id_routes += 1
    assert id_routes >= 20


def test_ids_out_of_range_are_404_on_every_id_route(app, world):
    for value, client in itertools.product(
        [HUGE, "9" * 40, "0", "-1", "01x"], (world.admin, world.facilitator)
    ):
        token = page_token(client, "/dashboard")
        for rule, methods in routes(app):
            if not any(isinstance(c, IdConverter) for c in rule._converters.values()):
                continue
            real = real_values(rule, world)
            for name in rule.arguments:
                if not isinstance(rule._converters[name], IdConverter):
                    continue
                path = _path(rule, {**real, name: value})
                for method in methods:
                    response = client.open(path, method=method, data={"csrf_token": token})
                    assert response.status_code == 404, (method, path, response.status_code)


def test_ids_in_query_strings_are_parsed_in_range():
    assert parse_id("42") == 42 and parse_id(str(2**63 - 1)) == 2**63 - 1
    for value in (None, "", "0", "-1", HUGE, "9" * 5000, "²", "١", " 1", "1e3", "0x10"):
        assert parse_id(value) is None, value
    assert bounded_int("1e20", 1, 1000) == 1
    assert bounded_int("9" * 30, 1, 1000) == 1  # too long for a page number: the first
    assert bounded_int("12345", 1, 1000) == 1000
    assert bounded_int("0", 1, 1000) == 1


def test_any_page_number_shows_a_page(world):
    for page in ["1e20", "100000000000000000000", HUGE, "-5", "²", "abc", ""]:
        response = world.admin.get("/dashboard", query_string={"page": page})
        assert response.status_code == 200, page
        response = world.admin.get("/dashboard", query_string={"page": page, "workshop": page})
        assert response.status_code == 200, page


def test_status_json_takes_any_ids(world):
    for ids in ["²,³", "9" * 40, f"{HUGE},1", "1,,x,-2", "1e20", "\x00", ",".join(["1"] * 5000)]:
        response = world.admin.get("/dashboard/status.json", query_string={"ids": ids})
        assert response.status_code == 200, ids[:20]
        assert set(response.get_json()) == {"counts", "newest_id", "rows"}
    real = world.admin.get(
        "/dashboard/status.json", query_string={"ids": f"²,{HUGE},{world.submission_id}"}
    )
    assert [r["id"] for r in real.get_json()["rows"]] == [world.submission_id]


# --- text that ends up in headers -----------------------------------------------------------


def test_login_next_with_line_breaks_goes_to_the_dashboard(app, world):
    for target in (
        "/dashboard\r\nSet-Cookie: boese=1",
        "/dashboard\nLocation: https://angreifer.example",
        "/dashboard\x00",
        "//[",
        "/\x85x",
        "/" + "x" * 5000,
    ):
        client = app.test_client()
        response = login(client, "moderation@example.org", next_url=quote(target, safe="/"))
        assert response.status_code == 303, repr(target[:30])
        assert response.headers["Location"] == "/dashboard"
        assert "boese" not in str(response.headers) and "angreifer" not in str(response.headers)
        logged = world.facilitator.get("/login", query_string={"next": target})
        assert logged.status_code == 302 and logged.headers["Location"] == "/dashboard"
    response = login(app.test_client(), "moderation@example.org", next_url="/dashboard/workshops")
    assert response.headers["Location"] == "/dashboard/workshops"  # a harmless next still works


def test_kit_email_with_line_breaks_in_the_title(app, world, data_dir):
    with app.app_context():
        workshop = db.session.get(Workshop, world.workshop_id)
        workshop.title = "Kit\r\nBcc: boese@example.org\u2028Teil 2"  # (PostgreSQL stores no NUL)
        db.session.commit()
    request_and_build(app, world.facilitator, world.workshop_id)
    base = f"/dashboard/workshops/{world.workshop_id}"
    response = world.facilitator.post(
        f"{base}/kit/email", data={"csrf_token": page_token(world.facilitator, base)}
    )
    assert response.status_code == 303
    (eml,) = (data_dir / "outbox").glob("*.eml")
    message = email.message_from_bytes(eml.read_bytes())
    assert message["Subject"] == "Workshop-Kit: Kit Bcc: boese@example.org Teil 2"
    assert message["Bcc"] is None and message["To"] == "moderation@example.org"


# --- the crawler -------------------------------------------------------------------------------


def _path(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        converter = rule._converters[name]
        placeholder = f"<id:{name}>" if isinstance(converter, IdConverter) else f"<{name}>"
        if placeholder not in path:
            placeholder = next(p for p in _placeholders(path) if p.endswith(f":{name}>"))
        path = path.replace(placeholder, quote(str(value), safe=""))
    return path


def _placeholders(path: str) -> list[str]:
    out, start = [], path.find("<")
    while start >= 0:
        end = path.index(">", start)
        out.append(path[start : end + 1])
        start = path.find("<", end)
    return out


# In path segments (each argument in turn, the others real): one of each kind.
PATH_HOSTILE = (HUGE, "1e20", "-1", "²", "a\r\nSet-Cookie: x=1", "%00", "x" * 5000)


def _requests(rule, methods, world, *, paths: bool = True):
    """(method, url, body) for the rule: every hostile value in every query parameter and
    form field with real path values, and (`paths`) hostile values in each path argument."""
    real = real_values(rule, world)
    base = _path(rule, real)
    for value in HOSTILE:
        query = urlencode({k: value for k in QUERY_KEYS})
        body = {k: value for k in FORM_KEYS}
        for method in methods:
            yield method, f"{base}?{query}", body
    for name, value in itertools.product(rule.arguments if paths else (), PATH_HOSTILE):
        path = _path(rule, {**real, name: value})
        for method in methods:
            yield method, path, {k: value for k in FORM_KEYS}


def test_no_route_answers_5xx_to_hostile_values(make_app, data_dir):
    app = make_app(**LIMITS)
    world = make_world(app)
    anonymous = app.test_client()
    failures = []
    seen = 0
    crawls = (
        ("anonym", anonymous, True),
        ("admin", world.admin, True),
        ("moderation", world.facilitator, False),  # the admin's crawl has the paths
    )
    for who, client, paths in crawls:
        for rule, methods in routes(app):
            if rule.endpoint == "auth.logout":
                continue  # would end the session the crawl goes on with (tests/test_sessions.py)
            for method, url, body in _requests(rule, methods, world, paths=paths):
                seen += 1
                try:
                    with client.open(
                        url, method=method, data=body if method == "POST" else None
                    ) as response:
                        status = response.status_code
                        # "wird erstellt, bitte in … Sekunden erneut": the directory
                        # before its first render; a promise to come back, not a failure
                        busy = status == 503 and "Retry-After" in response.headers
                except Exception as exc:  # noqa: BLE001 - TESTING propagates what would be a 500
                    failures.append((who, method, url[:120], repr(exc)[:200]))
                    continue
                if status >= 500 and not busy:
                    failures.append((who, method, url[:120], status))
    assert not failures, "\n".join(map(str, failures[:30]))
    assert seen > 1500
    assert world.admin.get("/dashboard").status_code == 200  # still logged in throughout
