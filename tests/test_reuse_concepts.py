"""Als Vorlage verwenden into related instruments carries what they share with the source,
each concept declared once (toolbox/instruments/shared.py): the agreement's goals become the
rows the Reflexion rates, its start the start of the period reviewed; and the form says
what it took over."""

from __future__ import annotations

import lxml.html
from helpers import form_submit, load_data

from toolbox.instruments.shared import goal_lines

AGREEMENT = "kooperationsvereinbarung"


def form_values(html: str) -> dict:
    return dict(lxml.html.fromstring(html).get_element_by_id("instrument-form").form_values())


def test_agreement_goals_become_the_reflexion_rows(client):
    data = load_data(AGREEMENT)
    token = form_submit(client, AGREEMENT, data)
    html = client.get(f"/instrumente/reflexion?vorlage={token}").get_data(as_text=True)
    values = form_values(html)
    goals = data["ziele"].splitlines()
    assert [values.get(f"ziele-{i}-ziel") for i in range(len(goals) + 1)] == [*goals, None]
    assert values["zeitraum_von"] == data["beginn"]
    note = lxml.html.fromstring(html).get_element_by_id("reuse-note").text_content()
    assert "Übernommen aus „Kooperationsvereinbarung“ vom" in note
    assert "Ziele der Zusammenarbeit, Beginn der Zusammenarbeit" in note
    assert "Name der Selbsthilfegruppe" not in note  # the Reflexion has no such field


def test_reflexion_goals_go_back_into_the_next_agreement(client):
    data = load_data("reflexion")
    token = form_submit(client, "reflexion", data)
    html = client.get(f"/instrumente/{AGREEMENT}?vorlage={token}").get_data(as_text=True)
    values = form_values(html)
    assert values["ziele"].splitlines() == [row["ziel"] for row in data["ziele"]]
    assert "Ziele der Zusammenarbeit" in html


def test_note_names_the_shared_names(client):
    token = form_submit(client, AGREEMENT, load_data(AGREEMENT))
    html = client.get(f"/instrumente/raumnutzung?vorlage={token}").get_data(as_text=True)
    note = lxml.html.fromstring(html).get_element_by_id("reuse-note").text_content()
    assert "Name der Selbsthilfegruppe" in note
    assert "Ziele der Zusammenarbeit" not in note


def test_nothing_shared_means_no_note(client):
    token = form_submit(client, "jahresplanung", load_data("jahresplanung"))
    html = client.get(f"/instrumente/reflexion?vorlage={token}").get_data(as_text=True)
    assert 'id="reuse-note"' not in html


def test_goal_lines_drop_list_marks():
    text = "- Flyer im Foyer\n\n• Sprechstunde\n2. Fortbildung\n* Austausch\n2027 beginnen"
    assert goal_lines(text) == [
        "Flyer im Foyer",
        "Sprechstunde",
        "Fortbildung",
        "Austausch",
        "2027 beginnen",
    ]
