"""`<time datetime>` values are valid HTML: at most three fractional digits, "Z" for UTC
(the stored timestamps are naive UTC with microseconds)."""

from __future__ import annotations

import datetime as dt
import re

from helpers import load_data, logged_in

from toolbox.core.time import html_datetime

VALID = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_microseconds_are_cut_to_milliseconds():
    assert html_datetime(dt.datetime(2026, 12, 1, 23, 28, 42, 535617)) == "2026-12-01T23:28:42.535Z"
    assert html_datetime(dt.datetime(2026, 12, 1, 23, 28, 42)) == "2026-12-01T23:28:42.000Z"


def test_aware_times_are_given_in_utc():
    berlin = dt.datetime(2026, 12, 2, 0, 28, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert html_datetime(berlin) == "2026-12-01T23:28:42.000Z"


def test_dashboard_pages_write_valid_datetimes(app):
    admin = logged_in(app, "admin@example.org", admin=True)
    response = app.test_client().post(
        "/api/v1/submissions",
        json={"instrument": "erstgespraech", "data": load_data("erstgespraech")},
    )
    assert response.status_code == 202
    html = admin.get("/dashboard").get_data(as_text=True)
    values = re.findall(r'<time datetime="([^"]+)"', html)
    assert values and all(VALID.match(v) for v in values), values
    detail = re.search(r'href="(/dashboard/einreichungen/\d+)"', html).group(1)
    values = re.findall(r'<time datetime="([^"]+)"', admin.get(detail).get_data(as_text=True))
    assert values and all(VALID.match(v) for v in values), values
