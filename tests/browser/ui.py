"""What a person does in the browser, as reusable steps: fill an instrument from the same
JSON the API tests use, check a page with axe-core, take screenshots."""

from __future__ import annotations

import json
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from toolbox.instruments.base import Field, Instrument
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import get_instrument
from toolbox.submissions.models import Submission

_AXE = Axe()
SUBMIT = "Absenden und Dokumente erstellen"
PRIVATE_PAGE = re.compile(r"/s/[\w-]{40,}$")  # where the browser lands after submitting


def axe_violations(page) -> list[dict]:
    """Every axe-core violation on the page (all rules, best practices included), and
    every check axe could not decide ("incomplete"): those are problems too, e.g. an
    aria-describedby pointing at an id that does not exist."""
    results = _AXE.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    return results["violations"] + results["incomplete"]


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    if violations:
        lines = []
        for v in violations:
            lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
            for node in v["nodes"][:5]:
                lines.append(f"    {node['target']}: {node['failureSummary']}")
                lines.append(f"      {node['html'][:200]}")
        raise AssertionError(f"axe on {what} ({page.url}):\n" + "\n".join(lines))


def assert_accessible_without_js(page, helper_page, what: str) -> None:
    """axe needs scripts to run, so a page seen without JavaScript is checked as a copy:
    its HTML, with the <noscript> parts shown and no scripts, in a scripting page."""
    html = page.content()
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S)
    html = re.sub(r"<meta http-equiv=\"refresh\"[^>]*>", "", html)
    html = html.replace("<noscript>", "").replace("</noscript>", "")
    helper_page.goto(page.url)  # same origin: style sheets load as on the real page
    helper_page.set_content(html)
    assert_accessible(helper_page, what)


def _value_for_input(spec: Field, value) -> str:
    if spec.type == "decimal":
        return str(value).replace(".", ",")
    return str(value)


def fill_field(page, spec: Field, name: str, value, scope=None) -> None:
    """Fill one field the way a person would: type text, pick radios, tick boxes."""
    root = scope or page
    if spec.type == "multichoice":
        for box in root.locator(f'input[type=checkbox][name="{name}"]').all():
            box.set_checked(box.get_attribute("value") in (value or []))
    elif spec.type == "boolean":
        root.locator(f'input[type=checkbox][name="{name}"]').set_checked(bool(value))
    elif spec.type == "choice":
        radios = root.locator(f'input[type=radio][name="{name}"]')
        if radios.count():
            if value:
                radios.and_(page.locator(f'[value="{value}"]')).check()
        else:
            root.locator(f'select[name="{name}"]').select_option(value or "")
    else:
        text = "" if value is None else _value_for_input(spec, value)
        root.locator(f'[name="{name}"]').fill(text)


def list_rows(page, list_name: str):
    return page.locator(f'fieldset.list[data-list="{list_name}"] > fieldset.row')


def fill_instrument(page, instrument: Instrument, data: dict) -> None:
    """Fill the whole form from API-style data, adding list rows with the form's own
    "+ … hinzufügen" button as needed (JavaScript or not)."""
    for spec in instrument.fields:
        if spec.name not in data:
            continue
        value = data[spec.name]
        if spec.type != "list":
            fill_field(page, spec, spec.name, value)
            continue
        rows = list_rows(page, spec.name)
        while rows.count() < len(value):
            before = rows.count()
            page.locator(f'fieldset.list[data-list="{spec.name}"] > button.add-row').click()
            expect(rows).to_have_count(before + 1)  # in place, or a new page without JS
        for i, row_data in enumerate(value):
            row = list_rows(page, spec.name).nth(i)
            index = row.get_attribute("data-row")
            for sub in spec.fields:
                if sub.name in row_data:
                    fill_field(page, sub, f"{spec.name}-{index}-{sub.name}", row_data[sub.name])


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def screenshots(page, directory: Path, name: str, widths=(375, 1280)) -> list[Path]:
    """Full-page screenshots at a phone's and a desktop's width."""
    paths = []
    original = page.viewport_size
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        path = directory / f"{slug_of(name)}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
        # Nothing may stick out sideways: a phone user would have to scroll horizontally.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (
            f"{name} is {overflow}px wider than the {width}px screen: {_too_wide(page)}"
        )
    page.set_viewport_size(original)
    return paths


def _too_wide(page) -> list[str]:
    """The outermost elements that stick out on the right."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth, out = [];
        for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            const parent = el.parentElement.getBoundingClientRect();
            if (r.right > width + 1 && parent.right <= width + 1)
                out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)}px)`);
        }
        return out.slice(0, 10);
    }"""
    )


def log_in(page, email: str, password: str) -> None:
    """Log in through the login form; the dashboard opens."""
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1, name="Einreichungen")).to_be_visible()


def expected_payload(app, slug: str, data: dict) -> dict:
    """What the API would store for the same data: the browser entered every value."""
    with app.test_request_context():
        form, errors = validated_form(get_instrument(slug), data)
        assert not errors, errors
        return blank_is_none(to_payload(form))


def stored_payload(app, page) -> dict:
    token = page.url.rsplit("/", 1)[1]
    with app.app_context():
        return blank_is_none(Submission.query.filter_by(token=token).one().payload)


def blank_is_none(value):
    """A browser sends an empty field as "" (the API: left out, None), and ticked boxes
    in the form's order (the API: in the order given)."""
    if isinstance(value, dict):
        return {k: blank_is_none(v) for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return sorted(value)
    if isinstance(value, list):
        return [blank_is_none(v) for v in value]
    return None if value == "" else value
