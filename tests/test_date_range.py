"""Every date field has a plausible range (issue 15: "ab 9. Dezember 443"), declared per
field with a default of 1990–2100, with the same German message in form and API, and
stated in the OpenAPI description."""

from __future__ import annotations

import datetime as dt
import re

from helpers import load_data

from toolbox.instruments.base import DATE_MAX, DATE_MIN, Field
from toolbox.instruments.registry import INSTRUMENTS

SLUG = "kooperationsvereinbarung"
MESSAGE = "Bitte ein Datum vom 01.01.1990 bis 31.12.2100 angeben."


def test_every_date_field_defaults_to_1990_until_2100():
    dates = [
        f
        for i in INSTRUMENTS.values()
        for top in i.fields
        for f in (top.fields or (top,))
        if f.type == "date"
    ]
    assert dates
    assert all((f.min_date, f.max_date) == (DATE_MIN, DATE_MAX) for f in dates)
    assert (dt.date(1990, 1, 1), dt.date(2100, 12, 31)) == (DATE_MIN, DATE_MAX)


def test_api_refuses_a_date_out_of_range(client):
    for value in ("0443-12-09", "1989-12-31", "2101-01-01"):
        data = {**load_data(SLUG), "beginn": value}
        response = client.post("/api/v1/submissions", json={"instrument": SLUG, "data": data})
        assert response.status_code == 400
        assert response.get_json()["errors"]["beginn"] == [MESSAGE]
    for value in ("1990-01-01", "2100-12-31"):
        data = {**load_data(SLUG), "datum": value}  # the date of signing: no other rule
        response = client.post("/api/v1/submissions", json={"instrument": SLUG, "data": data})
        assert response.status_code == 202, response.get_json()


def test_form_refuses_a_date_out_of_range_and_keeps_it(client):
    page = client.get(f"/instrumente/{SLUG}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        f"/instrumente/{SLUG}",
        data={"csrf_token": csrf, "action": "submit", "beginn": "09.12.0443"},
    )
    html = response.get_data(as_text=True)
    assert MESSAGE in html
    assert 'value="0443-12-09"' in html or 'value="09.12.0443"' in html
    assert 'name="beginn"' in html and 'min="1990-01-01" max="2100-12-31"' in html


def test_a_field_declares_its_own_range():
    f = Field("x", "X", "date", min_date=dt.date(2020, 1, 1), max_date=dt.date(2031, 6, 30))
    schema = f.kind.json_schema(f)
    pattern = re.compile(schema["pattern"])
    assert pattern.match("2020-01-01") and pattern.match("2031-06-30")
    assert not pattern.match("2019-12-31") and not pattern.match("2032-01-01")
    assert "01.01.2020" in schema["description"] and "30.06.2031" in schema["description"]


def test_description_states_the_range(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    beginn = doc["components"]["schemas"][f"data_{SLUG}"]["properties"]["beginn"]
    assert beginn["format"] == "date"
    assert "01.01.1990 bis 31.12.2100" in beginn["description"]
    assert not re.match(beginn["pattern"], "0443-12-09")
