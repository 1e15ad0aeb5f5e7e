"""The template checker finds unknown variables, missing fields and syntax errors."""

from __future__ import annotations

import shutil

from helpers import ROOT

from toolbox.documents.checks import check_instrument
from toolbox.instruments.registry import get_instrument
from toolbox.ops.cli import cli

AGREEMENT = get_instrument("kooperationsvereinbarung")


def copy_templates(tmp_path):
    target = tmp_path / "templates"
    shutil.copytree(ROOT / "toolbox" / "documents" / "templates", target)
    return target


def test_shipped_templates_pass(runner):
    result = runner.invoke(cli, ["check-templates"])
    assert result.exit_code == 0, result.output
    assert "alle Vorlagen in Ordnung" in result.output


def test_unknown_variable_and_missing_field_are_reported(tmp_path):
    templates = copy_templates(tmp_path)
    html = templates / "html" / "kooperationsvereinbarung.html"
    source = html.read_text().replace("{{ praeambel }}", "{{ praeambl }}")
    html.write_text(source.replace("raw.laufzeit", "raw.laufzit"))
    problems = check_instrument(AGREEMENT, templates)
    assert "kooperationsvereinbarung (HTML): unbekannte Variable 'praeambl'" in problems
    assert "kooperationsvereinbarung (HTML): unbekanntes Feld raw.laufzit" in problems
    assert "kooperationsvereinbarung (HTML): Feld 'laufzeit' kommt nicht vor" in problems


def test_docx_problems_are_reported(tmp_path):
    import docx

    templates = copy_templates(tmp_path)
    path = templates / "docx" / "kooperationsvereinbarung.docx"
    document = docx.Document(str(path))
    document.add_paragraph("{{ gibt_es_nicht }} {% if %}")
    document.save(str(path))
    problems = check_instrument(AGREEMENT, templates)
    assert any("kooperationsvereinbarung.docx" in p for p in problems), problems

    document = docx.Document(str(path))
    document.paragraphs[-1].text = "{{ gibt_es_nicht }}"
    document.save(str(path))
    assert check_instrument(AGREEMENT, templates) == [
        "kooperationsvereinbarung (DOCX): unbekannte Variable 'gibt_es_nicht'"
    ]


def test_missing_template_is_reported(tmp_path):
    templates = copy_templates(tmp_path)
    (templates / "docx" / "kooperationsvereinbarung.docx").unlink()
    assert any("DOCX-Vorlage fehlt" in p for p in check_instrument(AGREEMENT, templates))
