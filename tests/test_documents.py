"""Renderers: every value lands in DOCX and PDF, literally, in a tagged, titled PDF."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading

import pypdf
import pytest
from helpers import ROOT, docx_text, docx_xml, load_data, loose, pdf_text, squash

from toolbox.documents.pdf import AssetFetcher
from toolbox.documents.render import Renderer
from toolbox.instruments.registry import get_instrument

TODAY = dt.date(2026, 11, 22)
AGREEMENT = get_instrument("kooperationsvereinbarung")


@pytest.fixture(scope="module")
def renderer():
    return Renderer(ROOT / "toolbox" / "documents" / "templates")


def render(renderer, payload, blank=False):
    docs = renderer.render(AGREEMENT, payload, today=TODAY, blank=blank)
    return {d.format: d for d in docs}


def test_scenario_values_appear_in_docx_and_pdf(renderer):
    payload = load_data("kooperationsvereinbarung")
    docs = render(renderer, payload)
    docx_t, pdf_t = squash(docx_text(docs["docx"].content)), loose(pdf_text(docs["pdf"].content))
    expected = [
        *(p["name"] for p in payload["parteien"]),
        *(p["vertreten_durch"] for p in payload["parteien"]),
        "Westparkstraße 12",
        "Patient*innen erfahren regelhaft von der Gruppe.",
        "Flyerständer im Foyer",
        "Max Mustermann, Sozialdienst",
        "halbjährlich",
        "Raumnutzung kostenfrei",
        # German formats
        "1. Februar 2027",
        "15. Januar 2028",
        "München, den 20. Januar 2027",
        "12 Wochen",
        # labels of chosen options, not their codes
        "benannte*r Selbsthilfebeauftragte*r",
        "Sprechstunde in der Einrichtung",
        "öffentliche Einrichtung",
    ]
    for text in expected:
        assert squash(text) in docx_t, text
        assert loose(text) in pdf_t, text
    for heading in (
        "§ 1 Gegenstand und Ziele",
        "§ 4 Unabhängigkeit der Selbsthilfe",
        "§ 7 Laufzeit, Überprüfung, Kündigung",
    ):
        assert heading in docx_t and loose(heading) in pdf_t
    assert "Seite 1 von" in pdf_t
    assert "Erstellt am 22. November 2026" in pdf_t


def test_file_names_are_dated_and_safe(renderer):
    docs = render(renderer, load_data("kooperationsvereinbarung"))
    assert docs["pdf"].filename == (
        "2026-11-22_Kooperationsvereinbarung_Selbsthilfegruppe-Angst-Panik-Westend.pdf"
    )
    assert docs["docx"].filename.endswith(".docx")


def test_pdf_is_tagged_with_language_and_title(renderer):
    docs = render(renderer, load_data("kooperationsvereinbarung"))
    reader = pypdf.PdfReader(io.BytesIO(docs["pdf"].content))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "de-DE"
    assert reader.metadata.title.startswith("Kooperationsvereinbarung – Selbsthilfegruppe")


HOSTILE = [
    "Müller & Söhne <GmbH> \"Zitat\" 'einfach'",
    "</w:t></w:r><w:r><w:t>injiziert",
    "<script>alert(1)</script>",
    "{{ 7*7 }} {% if true %}x{% endif %} {#c#}",
    "Zeile eins\nZeile zwei\n\nZeile vier",
    "مرحبا بالعالم – שלום 👩‍⚕️🙂",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_reproduced_literally(renderer, text):
    payload = load_data("kooperationsvereinbarung")
    payload["praeambel"] = text
    payload["parteien"][0]["name"] = text.replace("\n", " ")
    docs = render(renderer, payload)
    docx_t, pdf_t = docx_text(docs["docx"].content), pdf_text(docs["pdf"].content)
    for line in text.split("\n"):
        if line:
            assert line in docx_t
    # pdftotext cannot re-order bidi text or join emoji sequences faithfully; compare words.
    for word in text.split():
        if word.isascii():
            assert word in squash(pdf_t), word
    assert "49" not in docx_t.split("Präambel")[1].split("§ 1")[0]


def test_newlines_become_line_breaks_not_paragraphs(renderer):
    payload = load_data("kooperationsvereinbarung")
    payload["kosten"] = "erste Zeile\nzweite Zeile"
    xml = docx_xml(render(renderer, payload)["docx"].content)
    assert 'erste Zeile</w:t><w:br/><w:t xml:space="preserve">zweite Zeile' in xml


def test_control_characters_are_dropped_not_turned_into_breaks(renderer):
    payload = load_data("kooperationsvereinbarung")
    payload["kosten"] = "A\x00B\x07C\x0cD\x0bE\tF"
    docs = render(renderer, payload)
    xml = docx_xml(docs["docx"].content)
    assert 'w:type="page"' not in xml
    assert "ABCDE" in docx_text(docs["docx"].content)
    assert "ABCDE" in pdf_text(docs["pdf"].content)


def test_unconfirmed_clauses_show_as_open(renderer):
    payload = load_data("kooperationsvereinbarung")
    payload["datenschutz"] = False
    docs = render(renderer, payload)
    assert "Noch zu klären" in docx_text(docs["docx"].content)
    assert "Noch zu klären" in pdf_text(docs["pdf"].content)


def test_blank_version_has_lines_boxes_and_signatures(renderer):
    docs = render(renderer, {}, blank=True)
    for text in (docx_text(docs["docx"].content), pdf_text(docs["pdf"].content)):
        assert "Kooperationsvereinbarung" in text
        assert "☐ halbjährlich" in text
        assert "____" in text
        # the agreement itself, signed by its parties (tests/test_blank_documents.py)
        assert "vertreten durch" in text and "§ 7 Laufzeit" in text
    assert docs["pdf"].filename == "2026-11-22_Kooperationsvereinbarung_Vorlage.pdf"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - name required by http.server
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"SECRET-FROM-NETWORK")

    def log_message(self, *args):
        pass


def test_pdf_fetches_nothing_outside_the_bundled_assets(renderer):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/x"
    html = f"""<html lang="de"><head><title>t</title>
      <link rel="stylesheet" href="file:///etc/passwd">
      <link rel="stylesheet" href="{url}.css">
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="{url}.txt"></head>
      <body><p>Hallo</p><img src="file:///etc/passwd"><img src="{url}.png">
      <img src="../../../../etc/passwd"></body></html>"""
    try:
        pdf = renderer.pdf.html_to_pdf(html)
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.hits == []
    assert b"root:" not in pdf and b"SECRET-FROM-NETWORK" not in pdf
    assert "Hallo" in pdf_text(pdf)


def test_fetcher_serves_bundled_assets_only(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "a.css").write_text("p{}")
    fetcher = AssetFetcher(assets)
    assert fetcher.fetch((assets / "a.css").as_uri()).read() == b"p{}"
    for url in ("file:///etc/passwd", (assets / ".." / "x").as_uri(), "http://127.0.0.1:1/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
