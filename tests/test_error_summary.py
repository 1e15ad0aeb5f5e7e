"""The error summary names fields by their labels, in the order the form shows them
(issue 19.11)."""

from __future__ import annotations

import re

from helpers import SLUG, form_post, load_data

from toolbox.instruments.registry import get_instrument


def summary(html: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    return re.findall(r'<li><a href="#([^"]+)">([^<]*)</a></li>', box)


def test_summary_uses_labels_in_form_order(client):
    data = load_data(SLUG)
    data["parteien"][1]["name"] = ""
    data["naechste_ueberpruefung"] = "2027-01-01"  # before the start: a cross-field error
    data["ort"] = ""
    response = form_post(client, data, extra={"email": "keine-adresse"})
    assert response.status_code == 422
    items = summary(response.get_data(as_text=True))
    anchors = [anchor for anchor, _ in items]
    assert anchors[0] == "parteien-1-name" and anchors[-1] == "email", anchors
    names = [f.name for f in get_instrument(SLUG).fields] + ["email"]
    heads = [names.index(anchor.split("-")[0]) for anchor in anchors]
    assert heads == sorted(heads), anchors
    texts = dict(items)
    assert texts["email"] == ("Dokumente per E-Mail an: Bitte eine gültige E-Mail-Adresse angeben.")
    assert texts["parteien-1-name"].startswith("Partei 2: Name: ")
    assert not any(text.startswith(anchor + ":") for anchor, text in items)
