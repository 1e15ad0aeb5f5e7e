"""Conformance with the standards' own rules (issue 15)."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import MethodNotAllowed

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<{arg}>", "x").replace(f"<string:{arg}>", "x")
            yield url


def test_every_api_405_carries_allow_header(app, client):
    """RFC 9110 15.5.6: a 405 response MUST carry ``Allow``."""
    adapter = app.url_map.bind("localhost")
    checked = 0
    for url in _api_routes(app):
        assert "<" not in url, url
        allowed = set()
        for method in METHODS:
            try:
                adapter.match(url, method=method)
            except MethodNotAllowed:
                continue
            allowed.add(method)
        wrong = [m for m in METHODS if m not in allowed]
        assert wrong, url
        for method in wrong:
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url, response.status_code)
            assert "Allow" in response.headers, (method, url)
            listed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allowed <= listed, (method, url, listed)
            assert response.get_json()["error"]
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize("path", ["/healthz", "/login"])
def test_405_outside_api_carries_allow_header(client, path):
    response = client.open(path, method="DELETE")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
