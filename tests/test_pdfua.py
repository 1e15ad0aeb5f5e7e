"""PDF/UA-1 structure of every generated PDF (issue 15): the `pdfua` checker, plus own
checks with pikepdf for what it does not cover: table header scopes, heading order,
/Lang, DisplayDocTitle, embedded fonts, MarkInfo; and layout hyphens as soft hyphens."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pikepdf
import pypdf
import pytest
from helpers import ROOT, load_data, ordered_elements, own_findings, pdfua_findings, scope_of
from lxml import html as lxml_html
from weasyprint import HTML

from toolbox.documents.blank import blank_context
from toolbox.documents.pdf import PdfRenderer
from toolbox.documents.render import Renderer
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS

TODAY = dt.date(2026, 11, 22)
SLUGS = sorted(INSTRUMENTS)
HTML_DIR = ROOT / "toolbox" / "documents" / "templates" / "html"


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def blank_html(renderer, **context) -> str:
    ctx = {**blank_context(INSTRUMENTS["austauschprotokoll"], "22. November 2026"), **context}
    return renderer.pdf.render_html("_blank.html", ctx)


def pdf_of(docs) -> bytes:
    return next(d.content for d in docs if d.format == "pdf")


def filled_and_blank(app, renderer, slug) -> dict[str, bytes]:
    instrument = INSTRUMENTS[slug]
    with app.app_context():
        form, errors = validated_form(instrument, load_data(slug))
    assert not errors, errors
    return {
        "ausgefüllt": pdf_of(renderer.render(instrument, to_payload(form), today=TODAY)),
        "Vorlage": pdf_of(renderer.render(instrument, {}, today=TODAY, blank=True)),
    }


@pytest.mark.parametrize("slug", SLUGS)
def test_every_pdf_passes_the_structural_checks(app, renderer, tmp_path, slug):
    for kind, content in filled_and_blank(app, renderer, slug).items():
        assert pdfua_findings(tmp_path, kind, content) == [], (slug, kind)
        assert own_findings(content) == [], (slug, kind)


def test_own_checks_catch_what_they_promise(renderer):
    """A PDF as WeasyPrint writes it without the finisher fails the scope check, and a
    document with a skipped heading level or another language fails too."""
    bare = blank_html(renderer)
    html = bare.replace('lang="de-DE"', 'lang="en"').replace("<h2", "<h3").replace("</h2", "</h3")
    plain = pdf_weasyprint_only(renderer.pdf, html)
    findings = own_findings(plain)
    assert "TH ohne /Scope" in findings
    assert "/Lang ist 'en'" in findings
    assert any(f.startswith("Überschrift H3 nach H1") for f in findings), findings


def pdf_weasyprint_only(pdf_renderer: PdfRenderer, html: str) -> bytes:
    document = HTML(string=html, base_url=(pdf_renderer.html_dir / "assets").as_uri() + "/")
    return document.write_pdf(
        stylesheets=[pdf_renderer.css], font_config=pdf_renderer.fonts, pdf_variant="pdf/ua-1"
    )


def template_scopes(name: str) -> list[tuple[str, str]]:
    """(position, scope attribute) of every <th> in a template's HTML."""
    tree = lxml_html.fromstring((HTML_DIR / name).read_text(encoding="utf-8"))
    out = []
    for th in tree.iter("th"):
        row = th.getparent()
        in_head = row.getparent().tag == "thead"
        beside_data = any(cell.tag == "td" for cell in row)
        position = "row" if beside_data and not in_head else "column"
        out.append((position, th.get("scope")))
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in HTML_DIR.glob("*.html")))
def test_positional_scope_matches_the_templates_scope_attributes(name):
    """The finisher scopes header cells by position; the templates say the same with
    `scope`, so the PDF and the HTML agree (rowgroup headers head the columns below)."""
    for position, scope in template_scopes(name):
        expected = {"row": {"row"}, "column": {"col", "colgroup", "rowgroup"}}[position]
        assert scope in expected, (name, position, scope)


def test_table_header_scopes_in_the_pdf(app, renderer):
    """Row headers of a facts table are /Row, the column headers of a list /Column."""
    content = filled_and_blank(app, renderer, "austauschprotokoll")["ausgefüllt"]
    with pikepdf.open(io.BytesIO(content)) as pdf:
        scopes = {}
        for th in (e for e in ordered_elements(pdf) if e.S == "/TH"):
            row = th.P
            kinds = {str(k.S) for k in row.K if isinstance(k, pikepdf.Dictionary)}
            scopes.setdefault((str(row.P.S), "/TD" in kinds), set()).add(scope_of(th))
    assert scopes == {
        ("/TBody", True): {"/Row"},  # Datum, Ort, … beside their values
        ("/THead", False): {"/Column"},  # Organisation, Funktion; Ziel, Maßnahme, …
        ("/TBody", False): {"/Column"},  # "Bereich" heading the rows below it
    }


HYPHENATING = (
    "Psychosomatik Selbsthilfekontaktstelle Kooperationsvereinbarung "
    "Gesundheitsförderung Patientenfürsprecherin Klinikum-Westpark."
)
WORDS = ["Psychosomatik", "Selbsthilfekontaktstelle", "Kooperationsvereinbarung"]
WORDS += ["Gesundheitsförderung", "Patientenfürsprecherin", "Klinikum-Westpark"]


@pytest.fixture(scope="module")
def hyphenated_pdf(renderer) -> bytes:
    """A narrow paragraph of long German words: WeasyPrint must hyphenate them."""
    html = blank_html(renderer).replace(
        "<body>", f'<body><p style="width: 32mm">{HYPHENATING}</p>', 1
    )
    return renderer.pdf.html_to_pdf(html)


def test_layout_hyphens_are_soft_hyphens_in_pdftotext(hyphenated_pdf):
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-l", "1", "-", "-"],
        input=hyphenated_pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "\u2010" not in text
    assert text.count("\u00ad\n") >= 3, text  # the document does hyphenate
    joined = text.replace("\u00ad\n", "")
    for word in WORDS:
        assert word in joined, (word, text)


def test_layout_hyphens_are_soft_hyphens_in_pypdf(hyphenated_pdf):
    text = pypdf.PdfReader(io.BytesIO(hyphenated_pdf)).pages[0].extract_text()
    assert "\u2010" not in text
    assert text.count("\u00ad\n") >= 3, text
    joined = text.replace("\u00ad\n", "")
    for word in WORDS:
        assert word in joined, (word, text)


def test_typed_hyphen_stays_a_hyphen(renderer):
    """A U+2010 the user typed is a real hyphen: it must not turn into a soft hyphen."""
    html = blank_html(renderer, description="Gruppe Angst\u2010Panik Westend")
    text = pypdf.PdfReader(io.BytesIO(renderer.pdf.html_to_pdf(html))).pages[0].extract_text()
    assert "Angst-Panik" in text
    assert "\u00ad" not in text.replace("\u00ad\n", "")
