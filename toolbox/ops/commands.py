"""The commands of `toolbox` that need the app (database, configuration): imported only when
one of them runs (toolbox/ops/cli.py), so `toolbox render` does not pay for the web app."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from toolbox.accounts.service import AccountError, check_password_rules, create_user
from toolbox.app import create_app
from toolbox.contacts.service import ContactImportError, decode_csv, export_csv, import_csv, search
from toolbox.core.config import ConfigError
from toolbox.documents.checks import check_instrument
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.ops.cli_database import existing_database
from toolbox.ops.doctor import run_checks
from toolbox.ops.sweeper import purge, sweep
from toolbox.workshops.kit_builds import build_workshop_kit
from toolbox.workshops.service import workshop_by_token


def create_cli_app():
    """The app for a command; a setting it cannot run with ends the command with the
    configuration's own message instead of a traceback."""
    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("purge")
@with_appcontext
@existing_database
def purge_command():
    """Einreichungen und Entwürfe löschen, deren Aufbewahrungsfrist abgelaufen ist."""
    counts = purge()
    days = current_app.config["TOOLBOX_RETENTION_DAYS"]
    click.echo(
        f"{counts['submissions']} Einreichungen und {counts['drafts']} Entwürfe gelöscht "
        f"(älter als {days} Tage)."
    )


@click.command("sweep")
@with_appcontext
@existing_database
def sweep_command():
    """Liegengebliebene Aufträge und E-Mails erneut einreihen (läuft sonst per celery beat)."""
    click.echo(", ".join(f"{k}: {v}" for k, v in sweep().items()))


@click.group("contacts", cls=AppGroup)
def contacts_group():
    """Verzeichnis der Ansprechpersonen als CSV ein- und auslesen."""


@contacts_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Das bisherige Verzeichnis ersetzen.")
@existing_database
def contacts_import(file: Path, replace: bool):
    """Einträge aus einer CSV-Datei übernehmen (alle oder keinen)."""
    try:
        result = import_csv(decode_csv(file.read_bytes()), replace=replace)
    except ContactImportError as exc:
        for error in exc.errors:
            click.echo(f"{file}: {error}", err=True)
        sys.exit(1)
    message = f"{result.added} {'Eintrag' if result.added == 1 else 'Einträge'} übernommen."
    if result.skipped:
        message += f" {result.skipped} {'war' if result.skipped == 1 else 'waren'} schon da."
    click.echo(message)


@contacts_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@existing_database
def contacts_export(file: Path):
    """Das Verzeichnis als CSV-Datei speichern."""
    contacts = search()
    file.write_text(export_csv(contacts), encoding="utf-8")
    click.echo(f"{len(contacts)} Einträge nach {file} geschrieben.")


@click.command("doctor")
@with_appcontext
def doctor_command():
    """Prüfen, ob Konfiguration, Datenbank, Broker, E-Mail, Schriften und Vorlagen passen."""
    checks = run_checks()
    for check in checks:
        click.echo(f"{'✓' if check.ok else '✗'} {check.name}: {check.message}")
    if not all(check.ok for check in checks):
        sys.exit(1)


@click.command("check-templates")
@with_appcontext
def check_templates_command():
    """Prüfen, dass alle Vorlagen lesbar sind und genau die Felder ihres Instruments nutzen."""
    templates_dir = Path(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    problems = [p for i in INSTRUMENTS.values() for p in check_instrument(i, templates_dir)]
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{len(INSTRUMENTS)} Instrumente, alle Vorlagen in Ordnung.")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--admin", is_flag=True, help="Administration: sieht alles, verwaltet Konten.")
@click.option("--password-stdin", is_flag=True, help="Passwort aus der Standardeingabe lesen.")
@existing_database
def create_user_command(email: str, admin: bool, password_stdin: bool):
    """Ein Konto für das Dashboard anlegen (ohne --password-stdin wird das Passwort erfragt)."""
    try:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Passwort", hide_input=True, prompt_suffix=": ")
            check_password_rules(password, (email.strip().lower(),))
            again = click.prompt("Passwort wiederholen", hide_input=True, prompt_suffix=": ")
            if again != password:
                raise AccountError("Die beiden Passwörter stimmen nicht überein.")
        user = create_user(email, password, is_admin=admin)
    except AccountError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    role = "Administration" if user.is_admin else "Moderation"
    click.echo(f"Konto {user.email} ({role}) angelegt.")


@click.command("kit")
@with_appcontext
@click.argument("token")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
@existing_database
def kit_command(token: str, out_file: Path):
    """Das Kit eines Workshops offline erzeugen (ohne Broker), wie „Kit erstellen“."""
    workshop = workshop_by_token(token)
    if workshop is None:
        raise click.ClickException("Keinen Workshop mit diesem Link-Token gefunden.")
    built, _ = build_workshop_kit(
        workshop, progress=lambda percent, step: click.echo(f"{percent:3d} % {step}", err=True)
    )
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(built.content)
    click.echo(f"{out_file}: {len(built.files) + 1} Dateien, {len(built.content)} Bytes")
