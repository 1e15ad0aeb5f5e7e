"""The limits and the renderer agree (issue 14): the largest submission the limits allow
is legal, one character or line more is refused with a German message (input kept), and
the largest legal submission of every instrument renders well within the worker's soft
time limit – so nobody can submit something that cannot finish."""

from __future__ import annotations

import time

import pytest
from helpers import ROOT, csrf_token
from werkzeug.datastructures import MultiDict
from worst_case import prose, worst_case

from toolbox.documents.render import Renderer, warm_up
from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.forms import line_count, text_values, to_payload, validated_form
from toolbox.instruments.limits import (
    SUBMISSION_MAX_CHARS,
    SUBMISSION_MAX_LINES,
    TEXT_MAX_CHARS,
    TEXTAREA_MAX_CHARS,
)
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.jobs import SOFT_TIME_LIMIT
from toolbox.submissions.models import Submission

HOWS = ("spread", "in_order")
# The limits are chosen so that the worst case takes under a third of the soft limit
# (docs/LIMITS.md). Measured in CPU time of this process: the renderer is single-threaded,
# and the wall-clock time on a shared machine is that times however many others run.
RENDER_BUDGET = SOFT_TIME_LIMIT / 3


def budget_used(instrument, payload) -> tuple[int, int]:
    texts = list(text_values(instrument, payload))
    chars = sum(len(v) for _, _, v in texts)
    lines = sum(line_count(v) for _, kind, v in texts if kind.name == "textarea")
    return chars, lines


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("slug", list(INSTRUMENTS))
def test_the_worst_case_is_legal_and_at_the_limits(app, slug, how):
    instrument = INSTRUMENTS[slug]
    with app.app_context():
        form, errors = validated_form(instrument, worst_case(instrument, how))
        assert not errors, errors
        chars, lines = budget_used(instrument, to_payload(form))
    for f in instrument.fields:
        if f.type == "list":
            assert len(form[f.name].data) == f.max_entries
    # the whole budget, or every text field full where they cannot hold it
    capacity = sum(
        TEXTAREA_MAX_CHARS if kind.name == "textarea" else TEXT_MAX_CHARS
        for _, kind, _ in text_values(instrument, to_payload(form))
    )
    assert chars == min(SUBMISSION_MAX_CHARS, capacity)
    assert lines <= SUBMISSION_MAX_LINES


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    renderer = Renderer(ROOT / "toolbox" / "documents" / "templates")
    warm_up(renderer, INSTRUMENTS.values())  # as worker.py does before the pool forks
    return renderer


@pytest.mark.slow
@pytest.mark.parametrize("slug", list(INSTRUMENTS))
def test_the_worst_case_renders_well_within_the_time_limit(renderer, slug):
    instrument = INSTRUMENTS[slug]
    for how in HOWS:
        data = worst_case(instrument, how)
        start = time.process_time()
        documents = renderer.render(instrument, data)
        elapsed = time.process_time() - start
        assert {d.format for d in documents} == set(instrument.formats)
        assert elapsed < RENDER_BUDGET, f"{slug} ({how}): {elapsed:.1f} s CPU"


SLUG = "austauschprotokoll"


def over_budget() -> tuple[dict, str]:
    """The worst case with one character more, and the field that gets the message (the
    longest one; all are equally long, the first wins)."""
    data = worst_case(INSTRUMENTS[SLUG], "spread")
    data["tagesordnung"][0]["ergebnis"] += "x"
    return data, "tagesordnung-0-ergebnis"


def stored(app) -> int:
    with app.app_context():
        return Submission.query.count()


def test_the_api_refuses_a_submission_over_the_text_budget(app, client):
    data, longest = over_budget()
    response = client.post("/api/v1/submissions", json={"instrument": SLUG, "data": data})
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert list(errors) == [longest]
    assert errors[longest] == [
        f"Alle Textfelder zusammen dürfen höchstens {SUBMISSION_MAX_CHARS} Zeichen haben, "
        f"es sind {SUBMISSION_MAX_CHARS + 1}. Bitte kürzen Sie, am besten hier: Dies ist "
        "das längste Feld."
    ]
    assert stored(app) == 0


def test_the_api_refuses_a_submission_over_the_line_budget(app, client):
    instrument = INSTRUMENTS[SLUG]
    data = worst_case(instrument, "spread")
    # every long text gets as many lines as its share allows, then one field one more
    areas = [
        (row, key)
        for f in instrument.fields
        if f.type == "list"
        for row in data[f.name]
        for key in [s.name for s in f.fields if s.type == "textarea"]
    ]
    per_field = -(-SUBMISSION_MAX_LINES // len(areas))  # rounded up: over the budget
    for row, key in areas:
        row[key] = prose(len(row[key]), per_field)
    response = client.post("/api/v1/submissions", json={"instrument": SLUG, "data": data})
    assert response.status_code == 400
    messages = [m for ms in response.get_json()["errors"].values() for m in ms]
    assert messages == [
        f"Alle Textfelder zusammen dürfen höchstens {SUBMISSION_MAX_LINES} Zeilen haben, es "
        f"sind {per_field * len(areas)}. Bitte kürzen Sie, am besten hier: Dieses Feld hat "
        "die meisten Zeilen."
    ]
    assert stored(app) == 0


def test_the_form_refuses_it_and_keeps_the_input(app, client):
    data, longest = over_budget()
    formdata, errors = json_to_formdata(INSTRUMENTS[SLUG], data)
    assert not errors
    url = f"/instrumente/{SLUG}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    pairs = [*formdata.items(multi=True), ("csrf_token", token), ("action", "submit")]
    response = client.post(url, data=MultiDict(pairs))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"höchstens {SUBMISSION_MAX_CHARS} Zeichen haben" in page
    assert f'href="#{longest}"' in page
    assert data["tagesordnung"][0]["ergebnis"].splitlines()[0] in page  # input kept
    assert stored(app) == 0
