"""Pages with submitted data or behind the login are never stored by a browser or proxy
(`Cache-Control: no-store`), by the route's shape, checked over every route the app
registers; `Permissions-Policy` on every response, HSTS in production over HTTPS
(issue 14.7)."""

from __future__ import annotations

import pytest
from routes_support import make_world, real_values, routes

from toolbox.core.security import PERMISSIONS_POLICY

ASSETS = {"static", "document_page.stylesheet"}


@pytest.fixture
def world(app):
    return make_world(app)


def get_every_route(app, client, world):
    """(rule, response) for a GET of every route that answers GET."""
    for rule, methods in routes(app):
        if "GET" not in methods:
            continue
        url = app.url_map.bind("localhost").build(rule.endpoint, real_values(rule, world))
        with client.get(url) as response:
            yield rule, response


def private_shape(rule) -> bool:
    return "token" in rule.arguments or rule.rule.startswith(("/dashboard", "/api/v1/submissions"))


def test_token_and_dashboard_routes_are_never_stored_for_anyone(app, world):
    checked = set()
    for rule, response in get_every_route(app, app.test_client(), world):
        if private_shape(rule):
            assert response.headers.get("Cache-Control") == "no-store", (rule.rule, response)
            checked.add(rule.rule)
    # the pages named in the issue are among them, with their data
    for path in ("/s/<token>", "/api/v1/submissions/<token>", "/entwurf/<token>", "/w/<token>"):
        assert path in checked
    anonymous = app.test_client()
    assert anonymous.get(f"/s/{world.submission_token}").status_code == 200
    assert anonymous.get(f"/api/v1/submissions/{world.submission_token}").status_code == 200
    assert anonymous.get(f"/w/{world.workshop_token}").status_code == 200
    assert anonymous.get(f"/entwurf/{world.draft_token}").status_code == 200


@pytest.mark.parametrize("who", ["admin", "facilitator"])
def test_everything_a_logged_in_person_gets_is_never_stored(app, world, who):
    client = getattr(world, who)
    answered = []
    for rule, response in get_every_route(app, client, world):
        if rule.endpoint in ASSETS:
            assert response.headers.get("Cache-Control") != "no-store"
            continue
        assert response.headers.get("Cache-Control") == "no-store", (rule.rule, response)
        assert "Cookie" in response.headers.get("Vary", "")
        answered.append(response.status_code)
    assert answered.count(200) > 20  # real pages, not only redirects and 404s
    assert client.get("/dashboard").status_code == 200
    detail = client.get(f"/dashboard/einreichungen/{world.submission_id}")
    assert detail.headers["Cache-Control"] == "no-store"


def test_public_pages_stay_cacheable_when_logged_out(client):
    for url in ("/", "/ansprechpersonen", "/instrumente/erstgespraech"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")


def test_every_response_has_a_permissions_policy(app, world):
    client = app.test_client()
    for rule, response in get_every_route(app, client, world):
        assert response.headers["Permissions-Policy"] == PERMISSIONS_POLICY, rule.rule
    for response in (
        client.get("/gibt-es-nicht"),
        client.post("/"),
        client.post("/api/v1/submissions", data="x"),
    ):
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert "microphone=()" in response.headers["Permissions-Policy"]
        assert "geolocation=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize(
    "config, expected",
    [
        ({"TOOLBOX_ENV": "production", "TOOLBOX_BASE_URL": "https://toolbox.example.org"}, True),
        ({"TOOLBOX_ENV": "production", "TOOLBOX_BASE_URL": "http://toolbox.example.org"}, False),
        ({"TOOLBOX_ENV": "development", "TOOLBOX_BASE_URL": "https://toolbox.example.org"}, False),
    ],
)
def test_hsts_only_in_production_over_https(make_app, config, expected):
    app = make_app(TESTING=False, **config)
    for url in ("/", "/healthz", "/gibt-es-nicht", "/static/style.css"):
        with app.test_client().get(url) as response:
            hsts = response.headers.get("Strict-Transport-Security")
        assert (hsts == "max-age=31536000") is expected, (url, hsts)


def test_no_hsts_while_testing_or_debugging(make_app):
    config = {"TOOLBOX_ENV": "production", "TOOLBOX_BASE_URL": "https://toolbox.example.org"}
    for app in (make_app(**config), make_app(TESTING=False, DEBUG=True, **config)):
        assert "Strict-Transport-Security" not in app.test_client().get("/").headers
