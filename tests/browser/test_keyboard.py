"""The agreement, completed with the keyboard alone: Tab and Shift+Tab to move, typing,
Space for check boxes, Enter for buttons, arrow keys inside radio groups and select boxes
(as their keyboard pattern prescribes). Every stop must show a visible focus indicator,
the order must follow the form, and focus must never get stuck."""

from __future__ import annotations

import datetime as dt

from helpers import load_data
from playwright.sync_api import expect
from werkzeug.datastructures import MultiDict

from toolbox.instruments.formdata import json_to_formdata
from toolbox.instruments.registry import get_instrument

from .ui import PRIVATE_PAGE, SUBMIT, expected_payload, stored_payload

SLUG = "kooperationsvereinbarung"
MAX_STEPS = 800

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const row = el.closest("fieldset.row");
    const list = el.closest("fieldset.list");
    return {
        tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
        id: el.id || "", value: el.value === undefined ? "" : String(el.value),
        checked: !!el.checked, text: (el.innerText || "").trim().replace(/\\s+/g, " "),
        rows: list ? list.querySelectorAll(":scope > fieldset.row").length : 0,
        rowIndex: row ? Number(row.dataset.row) : null,
        list: list ? list.dataset.list : null,
        // date and time inputs: Tab also stops on the picker button inside them
        focusVisible: el.matches(":focus-visible")
            || (/^(date|time|datetime-local)$/.test(el.type) && el.matches(":focus-within")),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== "none",
        onScreen: rect.width > 1 && rect.height > 1 && rect.bottom > 0 && rect.right > 0
            && rect.top < innerHeight && rect.left < innerWidth,
    };
}"""


def key_of(info: dict) -> str:
    """One focus stop: a radio group counts as one stop (Tab skips inside it)."""
    if info["type"] == "radio":
        return f"radio:{info['name']}"
    if info["tag"] == "button":
        return f"button:{info['value']}:{info['text']}"
    return f"{info['tag']}:{info['id'] or info['name'] or info['text']}"


def field_of(info: dict) -> str | None:
    """The instrument field a stop belongs to (rows: the list's name)."""
    name = info["name"] or info["id"]
    if info["list"]:
        return info["list"]
    return name or None


def compress(stops: list[str]) -> list[str]:
    """Date and time inputs take one Tab per part (day, month, year): one stop."""
    out: list[str] = []
    for stop in stops:
        if not out or out[-1] != stop:
            out.append(stop)
    return out


def probe_layouts(context) -> tuple[str, bool]:
    """How this Chromium orders a date's parts (its UI locale, not the page's) and whether
    times have AM/PM: typed digits must match what the browser shows."""
    page = context.new_page()
    page.set_content('<input type="date" id="d"><input type="time" id="t">')
    page.focus("#d")
    page.keyboard.type("01022003")
    order = {"2003-01-02": "mdy", "2003-02-01": "dmy"}.get(page.input_value("#d"), "ymd")
    page.focus("#t")
    page.keyboard.type("1805")
    twelve_hours = page.input_value("#t") != "18:05"
    page.close()
    return order, twelve_hours


def date_keys(iso: str, order: str) -> str:
    day = dt.date.fromisoformat(iso)
    parts = {"d": f"{day.day:02}", "m": f"{day.month:02}", "y": f"{day.year}"}
    return "".join(parts[c] for c in order)


def time_keys(value: str, twelve_hours: bool) -> str:
    hour, minute = (int(x) for x in value.split(":"))
    if not twelve_hours:
        return f"{hour:02}{minute:02}"
    return f"{(hour % 12) or 12:02}{minute:02}{'P' if hour >= 12 else 'A'}"


class KeyboardUser:
    """Walks the form with Tab and does what each focused control needs."""

    def __init__(self, page, targets: MultiDict, rows: dict[str, int], layouts):
        self.page = page
        self.kb = page.keyboard
        self.targets = targets
        self.rows = rows
        self.date_order, self.twelve_hours = layouts
        self.extra_rows = {"ansprechpersonen": 1}  # add one row too many, then remove it
        self.stops: list[str] = []
        self.fields: list[str] = []

    def focused(self) -> dict:
        info = self.page.evaluate(FOCUSED)
        if info["tag"] != "body":
            where = f"{info['tag']} {info['name'] or info['id'] or info['text']!r}"
            assert info["focusVisible"], f"{where}: no :focus-visible {info}"
            assert info["outline"] or info["shadow"], f"{where}: no visible focus style"
            assert info["onScreen"], f"{where}: focused but not on the screen"
            self.stops.append(key_of(info))
            field = field_of(info)
            if field and (not self.fields or self.fields[-1] != field):
                self.fields.append(field)
        return info

    def press_until(self, key: str, done, limit: int = 12) -> None:
        for _ in range(limit):
            if done(self.page.evaluate(FOCUSED)):
                return
            self.kb.press(key)
        raise AssertionError(f"{key} ×{limit} did not get there")

    def act(self, el: dict) -> str | None:
        """Handle the focused control; returns "moved" if focus already moved on, or
        "submitted"."""
        name, kind = el["name"], el["type"]
        wanted = self.targets.getlist(name)
        if el["tag"] == "button":
            action = el["value"]
            if action.startswith("add:"):
                list_name = action.split(":")[1]
                if el["rows"] < self.rows.get(list_name, 0) + self.extra_rows.get(list_name, 0):
                    self.kb.press("Enter")  # the new row's first field takes the focus
                    return "moved"
            elif action.startswith("remove:"):
                list_name, index = action.split(":")[1], int(action.split(":")[2])
                if self.extra_rows.get(list_name) and index >= self.rows[list_name]:
                    self.extra_rows[list_name] = 0
                    self.kb.press("Enter")  # focus goes back to the "add" button
                    return "moved"
            elif action == "submit" and el["text"] == SUBMIT:
                self.look_back()
                self.kb.press("Enter")
                return "submitted"
            return None
        if kind == "checkbox":
            should = el["value"] in wanted if wanted else False
            if el["checked"] != should:
                self.kb.press("Space")
        elif kind == "radio":
            if wanted and wanted[0]:
                # arrows move within the group and select; Tab would leave it
                self.press_until("ArrowDown", lambda e: e["value"] == wanted[0] and e["checked"])
        elif el["tag"] == "select":
            if wanted and wanted[0] and el["value"] != wanted[0]:
                self.press_until("ArrowDown", lambda e: e["value"] == wanted[0])
        elif kind == "date":
            if wanted and wanted[0] and el["value"] != wanted[0]:
                self.kb.type(date_keys(wanted[0], self.date_order))
        elif kind == "time":
            if wanted and wanted[0] and el["value"] != wanted[0]:
                self.kb.type(time_keys(wanted[0], self.twelve_hours))
        elif el["tag"] in ("input", "textarea") and wanted and not el["value"]:
            self.kb.type(wanted[0])
        return None

    def look_back(self, count: int = 15) -> None:
        """Shift+Tab retraces the last stops in reverse; Tab comes back to this button."""
        forward = compress(self.stops)[-count:]
        back: list[str] = []
        for _ in range(4 * count):
            self.kb.press("Shift+Tab")
            back.append(key_of(self.page.evaluate(FOCUSED)))
            if len(compress(back)) >= count - 1:
                break
        assert compress(back) == list(reversed(forward))[1:], (forward, back)
        self.press_until("Tab", lambda e: e["text"] == SUBMIT, limit=4 * count)

    def complete(self) -> None:
        self.kb.press("Tab")
        for _ in range(MAX_STEPS):
            el = self.focused()
            outcome = self.act(el)
            if outcome == "submitted":
                return
            if outcome != "moved":
                self.kb.press("Tab")
        raise AssertionError(f"never reached the submit button; last stops {self.stops[-10:]}")


def targets_for(app, data: dict) -> MultiDict:
    with app.app_context():
        formdata, errors = json_to_formdata(get_instrument(SLUG), data)
    assert not errors
    return formdata


def test_agreement_with_the_keyboard_alone(new_context, live_server, worker):
    context = new_context()
    layouts = probe_layouts(context)
    page = context.new_page()
    data = load_data(SLUG)
    instrument = get_instrument(SLUG)
    page.goto(f"/instrumente/{SLUG}")

    # the first stop is the skip link, visible when focused, and it leads to the content
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    rows = {f.name: len(data[f.name]) for f in instrument.fields if f.type == "list"}
    user = KeyboardUser(page, targets_for(live_server.app, data), rows, layouts)
    user.complete()
    assert user.extra_rows == {"ansprechpersonen": 0}, "the spare row was never removed"

    expect(page).to_have_url(PRIVATE_PAGE)
    # the order of the stops follows the form: each field once, in its declared order
    order = [f.name for f in instrument.fields] + ["email"]
    visited = [f for f in user.fields if f in order]
    assert visited == sorted(set(visited), key=order.index), visited
    assert set(order) - {"email"} <= set(visited), set(order) - set(visited)
    # and everything typed arrived as if sent through the API
    assert stored_payload(live_server.app, page) == expected_payload(live_server.app, SLUG, data)


def test_tab_runs_through_each_page_once_and_leaves_it(new_context, live_server):
    page = new_context().new_page()
    for url in ("/", "/ansprechpersonen", "/login", f"/instrumente/{SLUG}"):
        page.goto(url)
        seen = []
        for _ in range(400):
            page.keyboard.press("Tab")
            info = page.evaluate(FOCUSED)
            if info["tag"] == "body":
                break  # past the last control: focus goes back to the browser
            assert info["focusVisible"] and (info["outline"] or info["shadow"]), info
            assert info["onScreen"], info
            seen.append(key_of(info))
        else:
            raise AssertionError(f"{url}: Tab never left the page: {seen[-10:]}")
        stops = compress(seen)
        assert len(stops) == len(set(stops)), f"{url}: a control came twice: {stops}"
