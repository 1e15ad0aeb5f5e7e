"""The OpenAPI description is the contract (issue 15), checked by schemathesis against the
app through its WSGI interface: requests generated from the description get documented
status codes and bodies that match the description, never a server error, and nearly all
schema-valid submissions are accepted.

The description states the rules JSON Schema cannot (dates in order, a date in the plan's
year) in `description` and machine-readable in `x-toolbox-rules`; the fuzzer applies those
to a generated body as an integrator's client would, then counts 202 against 400.
"""

from __future__ import annotations

import collections
import datetime as dt

import pytest
import schemathesis
from helpers import load_data
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from toolbox.instruments.registry import INSTRUMENTS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Examples per operation: the submit operation gets more (it carries ten schemas).
EXAMPLES = {("POST", "/api/v1/submissions"): 120}
DEFAULT_EXAMPLES = 15


@pytest.fixture
def api(make_app):
    """The app with the submit limit lifted, so the fuzzer is not throttled."""
    return make_app(TOOLBOX_SUBMIT_RATE_LIMIT="100000/minute")


@pytest.fixture
def schema(api):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api)


# --- applying the published rules ------------------------------------------------------------


def _parse(text):
    if not isinstance(text, str):
        return None
    try:
        return dt.time.fromisoformat(text) if len(text) == 5 else dt.date.fromisoformat(text)
    except ValueError:
        return None


def _shift(value, by: int):
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=by)
    minutes = value.hour * 60 + value.minute + by
    return dt.time(*divmod(minutes, 60)) if 0 <= minutes < 24 * 60 else None


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value.strftime("%H:%M")


def _places(data: dict, path: str):
    """(container, key) pairs a rule path names: `feld` or `liste[].feld`."""
    head, _, sub = path.partition("[].")
    if not sub:
        return [(data, head)] if head in data else []
    return [(row, sub) for row in data.get(head) or [] if sub in row]


def _pairs(data: dict, earlier: str, later: str):
    """The (earlier, later) places a rule compares: within each row when both are fields
    of the same list's rows, else every earlier with every later."""
    head, _, a_sub = earlier.partition("[].")
    later_head, _, b_sub = later.partition("[].")
    if a_sub and b_sub and head == later_head:
        return [
            ((row, a_sub), (row, b_sub))
            for row in data.get(head) or []
            if isinstance(row, dict) and a_sub in row and b_sub in row
        ]
    return [(a, b) for a in _places(data, earlier) for b in _places(data, later)]


def within_budget(data: dict, rule: dict) -> None:
    """Shorten the longest texts until all fit the submission's text budget (a text keeps
    at least one visible character, so a required field stays answered)."""

    def texts(paths):
        return [
            (box, key)
            for path in paths
            for box, key in _places(data, path)
            if isinstance(box.get(key), str)
        ]

    places = texts(rule["fields"])
    while (over := sum(len(b[k]) for b, k in places) - rule["max_chars"]) > 0:
        box, key = max(places, key=lambda p: len(p[0][p[1]]))
        box[key] = box[key][: max(1, len(box[key]) - over)].rstrip() or "x"
    places = texts(rule["line_fields"])
    while (over := sum(b[k].count("\n") + 1 for b, k in places if b[k]) - rule["max_lines"]) > 0:
        box, key = max(places, key=lambda p: p[0][p[1]].count("\n"))
        box[key] = box[key].replace("\n", " ", over)


def apply_rules(rules: list[dict], data: dict) -> None:
    for rule in rules:
        if rule["rule"] == "after":
            for (a_box, a_key), (b_box, b_key) in _pairs(data, rule["earlier"], rule["later"]):
                a, b = _parse(a_box[a_key]), _parse(b_box[b_key])
                if a is None or b is None or type(a) is not type(b):
                    continue
                gap = rule.get("enough_days") or (1 if rule["strict"] else 0)
                if isinstance(a, dt.date) and (b - a).days >= gap:
                    continue
                if isinstance(a, dt.time) and (b > a if gap else b >= a):
                    continue
                gap = gap if isinstance(a, dt.date) else min(gap, 1)
                later = _shift(a, gap)
                if later is not None and _text(later) <= "2100-12-31":
                    b_box[b_key] = _text(later)
                elif (earlier := _shift(b, -gap)) is not None:
                    a_box[a_key] = _text(earlier)
                else:  # times: a at the end of the day, b at midnight; nothing fits around
                    a_box[a_key], b_box[b_key] = "00:00", _text(dt.time(0, gap))
        elif rule["rule"] == "text_budget":
            within_budget(data, rule)
        elif rule["rule"] == "in_year":
            year = data.get(rule["year"])
            for box, key in _places(data, rule["date"]):
                day = _parse(box[key])
                if isinstance(year, int | float) and isinstance(day, dt.date):
                    year = int(year)
                    box[key] = _text(day.replace(year=year, day=min(day.day, 28)))


# --- the fuzz run ---------------------------------------------------------------------------


def fuzz(operation, examples: int, check, mode=GenerationMode.POSITIVE) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: a failure is reproducible
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        check(case)

    run()


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def test_generated_requests_get_documented_answers(schema):
    rules = {
        slug: schema.raw_schema["components"]["schemas"][f"data_{slug}"].get("x-toolbox-rules", [])
        for slug in INSTRUMENTS
    }
    outcomes = collections.Counter()
    refused = collections.Counter()

    def check(case):
        submit = case.operation.path == "/api/v1/submissions"
        if submit:
            apply_rules(rules[case.body["instrument"]], case.body["data"])
        response = case.call_and_validate(checks=CHECKS)
        if submit:
            outcomes[response.status_code] += 1
            if response.status_code == 400:
                for name in response.json()["errors"]:
                    refused[(case.body["instrument"], name)] += 1

    for operation in _operations(schema):
        examples = EXAMPLES.get((operation.method.upper(), operation.path), DEFAULT_EXAMPLES)
        fuzz(operation, examples, check)

    accepted, total = outcomes[202], sum(outcomes.values())
    assert total >= EXAMPLES[("POST", "/api/v1/submissions")] * 0.9
    assert set(outcomes) <= {202, 400}, outcomes
    assert accepted / total >= 0.95, (outcomes, refused.most_common(10))


def test_invalid_submissions_get_documented_refusals(schema):
    """Bodies that break the description: refused with a documented status and body
    (400 with messages per field, 404 for an unknown instrument), never a 500."""
    statuses = collections.Counter()

    def check(case):
        statuses[case.call_and_validate(checks=CHECKS).status_code] += 1

    fuzz(schema["/api/v1/submissions"]["POST"], 15, check, GenerationMode.NEGATIVE)
    assert sum(statuses.values()) >= 10
    assert 202 not in statuses or statuses[202] < sum(statuses.values()) * 0.1, statuses


def test_status_and_resend_answers_match_the_description(schema, api):
    """The 200/202/409 bodies of a real submission (random tokens only reach the 404)."""
    client = api.test_client()
    slug = "gruendungsprotokoll"
    with_mail = client.post(
        "/api/v1/submissions",
        json={"instrument": slug, "data": load_data(slug), "email": "gruppe@example.org"},
    )
    without_mail = client.post(
        "/api/v1/submissions", json={"instrument": slug, "data": load_data(slug)}
    )
    assert with_mail.status_code == without_mail.status_code == 202
    status = schema["/api/v1/submissions/{token}"]["GET"]
    resend = schema["/api/v1/submissions/{token}/email"]["POST"]
    for response in (with_mail, without_mail):
        token = response.get_json()["token"]
        answer = status.Case(path_parameters={"token": token}).call_and_validate(checks=CHECKS)
        assert answer.status_code == 200
        assert answer.json()["instrument"] == slug
    sent = resend.Case(path_parameters={"token": with_mail.get_json()["token"]})
    refused = resend.Case(path_parameters={"token": without_mail.get_json()["token"]})
    assert sent.call_and_validate(checks=CHECKS).status_code in (202, 409)
    assert refused.call_and_validate(checks=CHECKS).status_code == 409


def test_description_covers_every_api_route(api, schema):
    """Every route under /api is described, and nothing else is (no subset check)."""
    routes = set()
    for rule in api.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((method.lower(), path))
    described = {
        (method, path)
        for path, item in schema.raw_schema["paths"].items()
        if path.startswith("/api/")
        for method in item
    }
    assert described == routes
