"""`toolbox render`: documents offline, without the web app, the database or a broker.

Its own module, so that the command imports the renderer and the instruments only
(issue 20: start-up before the first document); toolbox/ops/cli.py loads it by name."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask_babel import Babel

from toolbox.core.config import DEFAULT_TEMPLATES_DIR
from toolbox.documents.render import get_renderer
from toolbox.instruments.forms import to_payload, validated_form
from toolbox.instruments.registry import INSTRUMENTS, get_instrument

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def templates_dir() -> str:
    """As the app reads it (toolbox/core/config.py): a deployment's own copy, or the bundled."""
    return os.environ.get("TOOLBOX_TEMPLATES_DIR", str(DEFAULT_TEMPLATES_DIR))


def offline_app() -> Flask:
    """What validating a form needs, and no more: an app context with German messages
    (the web app's locale; the commands never speak English)."""
    app = Flask("toolbox.render")
    app.config["WTF_CSRF_ENABLED"] = False
    Babel(app, default_locale="de", default_translation_directories=str(TRANSLATIONS))
    return app


@click.command("render")
@click.argument("slug", type=click.Choice(sorted(INSTRUMENTS)))
@click.argument(
    "data_files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--blank", is_flag=True, help="Leere Vorlage zum Ausfüllen von Hand erzeugen.")
def render_command(slug: str, data_files: tuple[Path, ...], out_dir: Path, blank: bool):
    """Dokumente offline erzeugen: je Datendatei (JSON) ein DOCX und ein PDF."""
    if blank == bool(data_files):
        raise click.UsageError("Bitte JSON-Dateien mit Daten angeben oder --blank, nicht beides.")
    instrument = get_instrument(slug)
    renderer = get_renderer(templates_dir())
    out_dir.mkdir(parents=True, exist_ok=True)
    if blank:
        for doc in renderer.render(instrument, {}, blank=True):
            (out_dir / doc.filename).write_bytes(doc.content)
            click.echo(str(out_dir / doc.filename))
        return
    with offline_app().app_context():
        failed = _render_files(instrument, renderer, data_files, out_dir)
    if failed:
        sys.exit(1)


def _render_files(instrument, renderer, data_files: tuple[Path, ...], out_dir: Path) -> bool:
    """Every data file to its documents; True when one of them could not be rendered."""
    failed = False
    for path in data_files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            click.echo(f"{path}: keine gültige JSON-Datei ({exc})", err=True)
            failed = True
            continue
        if not isinstance(data, dict):
            click.echo(f"{path}: Die Datei muss ein JSON-Objekt enthalten.", err=True)
            failed = True
            continue
        form, errors = validated_form(instrument, data)
        if form is None:
            for name, messages in errors.items():
                click.echo(f"{path}: {name}: {' '.join(messages)}", err=True)
            failed = True
            continue
        for doc in renderer.render(instrument, to_payload(form)):
            target = out_dir / doc.filename
            if target.exists() and len(data_files) > 1:
                target = out_dir / f"{path.stem}_{doc.filename}"
            target.write_bytes(doc.content)
            click.echo(str(target))
    return failed
