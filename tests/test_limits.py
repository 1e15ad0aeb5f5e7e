"""Input limits, each with a German message: characters and lines per field, rows per
group, request size and number of form parts. Nothing over a limit is stored."""

from __future__ import annotations

import pytest
from helpers import csrf_token, load_data
from werkzeug.datastructures import MultiDict

from toolbox.instruments.base import TEXT_MAX_CHARS, TEXTAREA_MAX_CHARS, TEXTAREA_MAX_LINES
from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.registry import INSTRUMENTS, get_instrument
from toolbox.submissions.models import Submission

SLUG = "kooperationsvereinbarung"
URL = f"/instrumente/{SLUG}"


def api(client, data: dict):
    return client.post("/api/v1/submissions", json={"instrument": SLUG, "data": data})


def form(client, data: dict, extra: list | None = None):
    formdata, errors = json_to_formdata(get_instrument(SLUG), data)
    assert not errors
    token = csrf_token(client.get(URL).get_data(as_text=True))
    pairs = [*formdata.items(multi=True), *(extra or []), ("csrf_token", token)]
    return client.post(URL, data=MultiDict([*pairs, ("action", "submit")]))


def stored(app) -> int:
    with app.app_context():
        return Submission.query.count()


LIMITS = [
    # field, value at the limit, value over it, message
    (
        "ort",
        "x" * TEXT_MAX_CHARS,
        "x" * (TEXT_MAX_CHARS + 1),
        f"Höchstens {TEXT_MAX_CHARS} Zeichen.",
    ),
    (
        "kosten",
        "x" * TEXTAREA_MAX_CHARS,
        "x" * (TEXTAREA_MAX_CHARS + 1),
        f"Höchstens {TEXTAREA_MAX_CHARS} Zeichen.",
    ),
    (
        "kosten",
        "\n".join(["Zeile"] * TEXTAREA_MAX_LINES),
        "\n".join(["Zeile"] * (TEXTAREA_MAX_LINES + 1)),
        f"Bitte höchstens {TEXTAREA_MAX_LINES} Zeilen eingeben.",
    ),
    (  # every kind of line end counts, as it becomes one
        "kosten",
        "\r\n".join(["Zeile"] * TEXTAREA_MAX_LINES),
        "\u2028".join(["Zeile"] * (TEXTAREA_MAX_LINES + 1)),
        f"Bitte höchstens {TEXTAREA_MAX_LINES} Zeilen eingeben.",
    ),
]


@pytest.mark.parametrize(("field", "at_limit", "over", "message"), LIMITS)
def test_text_limits_through_the_api(app, client, field, at_limit, over, message):
    data = load_data(SLUG)
    data[field] = over
    response = api(client, data)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {field: [message]}
    assert stored(app) == 0
    data[field] = at_limit
    assert api(client, data).status_code == 202


@pytest.mark.parametrize(("field", "at_limit", "over", "message"), LIMITS[:3])
def test_text_limits_in_the_browser(app, client, field, at_limit, over, message):
    data = load_data(SLUG)
    data[field] = over
    response = form(client, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'href="#' + field + '"' in html
    assert stored(app) == 0


def test_rows_per_group_api(app, client):
    data = load_data(SLUG)
    data["parteien"] = (data["parteien"] * 4)[:11]
    response = api(client, data)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"parteien": ["Höchstens 10 Zeilen."]}
    assert stored(app) == 0


def test_rows_per_group_browser_are_refused_not_dropped(app, client):
    """WTForms would silently keep the first ten rows; the eleventh must not vanish."""
    data = load_data(SLUG)
    data["parteien"] = (data["parteien"] * 4)[:10]
    eleventh = [(f"parteien-10-{k}", v) for k, v in data["parteien"][0].items() if v]
    response = form(client, data, extra=eleventh)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Höchstens 10 Zeilen sind möglich." in html
    assert stored(app) == 0


def test_request_too_large_browser_gets_a_german_page(app, client):
    response = client.post(URL, data={"kosten": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html and "Die gesendeten Daten sind zu groß." in html
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert stored(app) == 0


def test_request_too_large_api_gets_german_json(client):
    response = client.post(
        "/api/v1/submissions",
        data=b'{"instrument":"' + b"x" * (2 * 1024 * 1024) + b'"}',
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.get_json() == {"error": "Die gesendeten Daten sind zu groß."}


def test_too_many_form_parts_is_413(app, client):
    """Also for url-encoded bodies, which Werkzeug does not count: 1 MiB of them would
    be 100 000 fields, and row handling grows with their square."""
    limit = app.config["MAX_FORM_PARTS"]
    body = "&".join(f"parteien-{i}-name=x" for i in range(limit + 1))
    response = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Die gesendeten Daten sind zu groß." in response.get_data(as_text=True)


def _largest_form(fields) -> int:
    parts = 0
    for f in fields:
        if f.type == "list":
            parts += f.max_entries * _largest_form(f.fields)
        elif f.type == "multichoice":
            parts += len(f.choices)
        else:
            parts += 1
    return parts


@pytest.mark.parametrize("slug", list(INSTRUMENTS))
def test_every_form_fits_the_limits(app, slug):
    """The largest form an instrument allows (every row, every box) is not refused as
    "too many parts" (csrf_token, action, entwurf and email on top)."""
    assert _largest_form(get_instrument(slug).fields) + 4 <= app.config["MAX_FORM_PARTS"]


def test_largest_contact_directory_is_accepted(app, client):
    """As many rows as a directory submission may have, through the browser form."""
    slug = "ansprechpersonen"
    rows = get_instrument(slug).field("eintraege").max_entries
    row = load_data(slug)["eintraege"][0]
    data = {**load_data(slug), "eintraege": [row] * rows}
    formdata, errors = json_to_formdata(get_instrument(slug), data)
    assert not errors
    url = f"/instrumente/{slug}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    pairs = [*formdata.items(multi=True), ("csrf_token", token), ("action", "submit")]
    response = client.post(url, data=MultiDict(pairs))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    with app.app_context():
        assert len(Submission.query.one().payload["eintraege"]) == rows


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999"])
def test_non_numbers_are_field_errors(client, value):
    data = load_data("raumnutzung")
    data["betrag"] = value
    response = client.post("/api/v1/submissions", json={"instrument": "raumnutzung", "data": data})
    assert response.status_code == 400
    assert "betrag" in response.get_json()["errors"]


def test_absurdly_nested_json_is_400_not_500(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/submissions", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"errors": {"_body": ["Bitte ein JSON-Objekt senden."]}}
