"""Blank forms for workshops (issue 19, item 9): an agreement's blank is the agreement with
lines to fill in, repeating groups get a page of rows, and blank downloads are rendered
once per template version and then served from the database, in every process."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest
from helpers import docx_text, loose, pdf_text, squash

from toolbox.core.extensions import db
from toolbox.documents.blank import blank_cache_key
from toolbox.documents.render import Renderer
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.instruments.types import BLANK_TABLE_ROWS as TABLE_ROWS
from toolbox.workshops.models import BlankRender

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "toolbox" / "documents" / "templates"
TODAY = dt.date(2026, 11, 22)
AGREEMENTS = ("kooperationsvereinbarung", "raumnutzung", "beratungsauftrag")
QUESTIONNAIRE_NOTE = "Bitte gut lesbar ausfüllen"


@pytest.fixture(scope="module")
def renderer():
    return Renderer(TEMPLATES)


def blank_texts(renderer, slug) -> dict[str, str]:
    docs = {d.format: d for d in renderer.render(INSTRUMENTS[slug], {}, today=TODAY, blank=True)}
    assert docs["pdf"].filename == f"2026-11-22_{INSTRUMENTS[slug].document_title}_Vorlage.pdf"
    return {
        "docx": squash(docx_text(docs["docx"].content)),
        "pdf": loose(pdf_text(docs["pdf"].content)),
    }


def test_exactly_the_instruments_with_clauses_print_their_document():
    assert {s for s, i in INSTRUMENTS.items() if i.blank_document} == set(AGREEMENTS)


@pytest.mark.parametrize("slug", AGREEMENTS)
def test_blank_agreement_is_the_document_text_not_a_questionnaire(renderer, slug):
    texts = blank_texts(renderer, slug)
    for kind, text in texts.items():
        assert QUESTIONNAIRE_NOTE not in text, kind
        assert "§ 1" in text and "§ 4" in text, kind
        assert "zwischen" in text, kind
        assert "☐" in text, kind  # choices as boxes to tick
    assert "____" in texts["docx"]  # lines to fill in (the PDF draws them as ruled lines)


def test_blank_cooperation_agreement_has_its_clauses_and_lines_for_three_parties(renderer):
    texts = blank_texts(renderer, "kooperationsvereinbarung")
    for kind, text in texts.items():
        for clause in (
            "Die Selbsthilfe bleibt unabhängig.",
            "Personenbezogene Daten von Patient*innen",
            "Die Parteien überprüfen die Vereinbarung gemeinsam, erstmals am",
        ):
            assert loose(clause) in text if kind == "pdf" else clause in text, (kind, clause)
        assert "☐ unbefristet ☐ befristet bis zum" in text, kind
        assert "☐ vierteljährlich ☐ halbjährlich ☐ jährlich" in squash(text), kind
        assert text.count("vertreten durch") == 6, kind  # parties and their signatures
        assert "Noch zu klären" not in text, kind
    assert "vertreten durch ____" in texts["docx"]


def test_blank_consultation_order_lets_each_condition_be_ticked(renderer):
    for kind, text in blank_texts(renderer, "beratungsauftrag").items():
        assert text.count("☐ Bestätigt ☐ Noch zu klären") == 4, kind
        assert "(vorgesehen:" not in text, kind


def test_blank_room_agreement_has_the_key_and_deposit_clause(renderer):
    for text in blank_texts(renderer, "raumnutzung").values():
        assert "Pfand" in text and "Der Schlüssel wird nicht an Dritte weitergegeben" in text


def test_filled_documents_are_unchanged_by_the_paper_wording(renderer):
    """The boxes belong to the paper version only."""
    payload = {"laufzeit": "unbefristet"}
    docs = renderer.render(INSTRUMENTS["kooperationsvereinbarung"], payload, today=TODAY)
    for doc in docs:
        text = pdf_text(doc.content) if doc.format == "pdf" else docx_text(doc.content)
        assert "☐" not in text and "und ist unbefristet" in squash(text)


def test_questionnaire_tables_have_a_page_of_rows(renderer):
    docs = renderer.render(INSTRUMENTS["jahresplanung"], {}, today=TODAY, blank=True)
    content = next(d.content for d in docs if d.format == "docx")
    (table,) = docx.Document(io.BytesIO(content)).tables
    assert TABLE_ROWS >= 10 and len(table.rows) == TABLE_ROWS + 1  # head + empty rows
    pdf = next(d.content for d in docs if d.format == "pdf")
    assert QUESTIONNAIRE_NOTE in pdf_text(pdf)


def test_cache_key_changes_with_the_instruments_own_template(tmp_path):
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    agreement = INSTRUMENTS["kooperationsvereinbarung"]
    before = blank_cache_key(agreement, copy)
    assert blank_cache_key(agreement, copy) == before
    page = copy / "html" / "kooperationsvereinbarung.html"
    page.write_text(page.read_text() + "\n")
    assert blank_cache_key(agreement, copy) != before
    # a questionnaire does not read the instrument's document template
    plan = INSTRUMENTS["jahresplanung"]
    plan_key = blank_cache_key(plan, copy)
    (copy / "html" / "jahresplanung.html").write_text("changed")
    assert blank_cache_key(plan, copy) == plan_key


def test_blank_download_is_rendered_once_for_every_process(make_app):
    url = "/instrumente/kooperationsvereinbarung/vorlage.pdf"
    first_app = make_app()
    first = first_app.test_client().get(url)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data.startswith(b"%PDF")
    with first_app.app_context():
        rows = BlankRender.query.all()
        assert {r.format for r in rows} == {"docx", "pdf"}
        # Mark the cached PDF: whoever serves the marker did not render.
        pdf_row = next(r for r in rows if r.format == "pdf")
        assert pdf_row.content == first.data
        pdf_row.content = b"%PDF-cached-marker"
        db.session.commit()
    second_app = make_app()  # another process: its own renderer and memory, the same database
    second = second_app.test_client().get(url)
    assert second.status_code == 200 and second.data == b"%PDF-cached-marker"
    assert "Kooperationsvereinbarung_Vorlage.pdf" in second.headers["Content-Disposition"]
    with second_app.app_context():
        assert BlankRender.query.count() == 2
    docx_reply = second_app.test_client().get(url.replace(".pdf", ".docx"))
    assert docx_reply.status_code == 200 and docx_reply.data.startswith(b"PK")
    with second_app.app_context():
        assert BlankRender.query.count() == 2  # the DOCX came from the same cached render
