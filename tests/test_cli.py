"""`toolbox render`: the offline renderer (no broker, no web)."""

from __future__ import annotations

import json

from helpers import DATA, ROOT, pdf_text

from toolbox.ops.cli import cli

SLUG = "kooperationsvereinbarung"


def test_render_several_files_in_one_process(runner, tmp_path):
    other = json.loads((DATA / f"{SLUG}.json").read_text())
    other["parteien"][1]["name"] = "Selbsthilfegruppe Zweite"
    second = tmp_path / "zweite.json"
    second.write_text(json.dumps(other))
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["render", SLUG, str(DATA / f"{SLUG}.json"), str(second), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 2 and len(list(out.glob("*.docx"))) == 2
    texts = [pdf_text(p.read_bytes()) for p in pdfs]
    assert any("Selbsthilfegruppe Zweite" in t for t in texts)


def test_render_blank(runner, tmp_path):
    out = tmp_path / "blank"
    result = runner.invoke(cli, ["render", SLUG, "--blank", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf"]


def test_render_reports_invalid_data_per_file(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"parteien": []}))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = runner.invoke(
        cli, ["render", SLUG, str(bad), str(broken), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "bad.json: parteien: Bitte mindestens 2 Zeilen ausfüllen." in result.output
    assert "broken.json: keine gültige JSON-Datei" in result.output


def test_console_script_is_declared():
    assert "toolbox = toolbox.ops.cli:cli" in (ROOT / "setup.cfg").read_text()
