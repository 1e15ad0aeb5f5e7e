"""`toolbox doctor`: is this installation able to work? Each check says in plain words
what is wrong and what to do."""

from __future__ import annotations

import shutil
import smtplib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from toolbox.core.config import base_url_problem
from toolbox.core.extensions import db
from toolbox.core.mail import SmtpSettings
from toolbox.documents.checks import check_instrument
from toolbox.documents.render import get_renderer
from toolbox.instruments.registry import INSTRUMENTS
from toolbox.ops.probes import check_broker, check_database


@dataclass
class Check:
    name: str
    ok: bool
    message: str


def run_checks() -> list[Check]:
    return [
        check_configuration(),
        check_db(),
        Check("Broker", *_result(check_broker(), "Broker erreichbar.", "Broker nicht erreichbar")),
        check_mail(),
        check_fonts(),
        check_templates(),
        check_pdf(),
    ]


def _result(status: str, good: str, bad: str) -> tuple[bool, str]:
    return (True, good) if status == "ok" else (False, f"{bad} ({status}).")


def check_configuration() -> Check:
    config = current_app.config
    problems = []
    if config["TOOLBOX_ENV"] == "production":
        if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            problems.append("In Produktion bitte PostgreSQL verwenden (TOOLBOX_DATABASE_URL).")
        if not config["TOOLBOX_BROKER_URL"].startswith("redis"):
            problems.append("In Produktion bitte Redis als Broker verwenden (TOOLBOX_BROKER_URL).")
        problem = base_url_problem(config["TOOLBOX_BASE_URL"])
        if problem:
            problems.append(problem)
    if problems:
        return Check("Konfiguration", False, " ".join(problems))
    return Check(
        "Konfiguration",
        True,
        f"Umgebung: {config['TOOLBOX_ENV']}; Links in E-Mails und QR-Codes beginnen mit "
        f"{config['TOOLBOX_BASE_URL']}.",
    )


def check_db() -> Check:
    status = check_database()
    if status != "ok":
        return Check("Datenbank", False, f"Datenbank nicht erreichbar ({status}).")
    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != script.get_current_head():
        return Check(
            "Datenbank", False, "Schema nicht aktuell: bitte `toolbox db upgrade` ausführen."
        )
    return Check("Datenbank", True, f"Erreichbar, Schema aktuell ({current}).")


def check_mail() -> Check:
    config = current_app.config
    url = config.get("TOOLBOX_SMTP_URL")
    if not url:
        outbox = Path(config["TOOLBOX_OUTBOX_DIR"])
        try:
            outbox.mkdir(parents=True, exist_ok=True)
            probe = outbox / ".doctor"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            return Check("E-Mail", False, f"Postausgang {outbox} nicht beschreibbar: {exc}.")
        return Check(
            "E-Mail", True, f"Kein Mailserver eingerichtet; Nachrichten landen in {outbox}."
        )
    try:
        settings = SmtpSettings.from_url(url)
        with smtplib.SMTP(settings.host, settings.port, timeout=5) as client:
            client.ehlo()
    except (ValueError, OSError, smtplib.SMTPException) as exc:
        return Check("E-Mail", False, f"Mailserver nicht erreichbar: {exc}.")
    return Check("E-Mail", True, f"Mailserver {settings.host}:{settings.port} antwortet.")


def check_fonts() -> Check:
    if not shutil.which("fc-match"):
        return Check(
            "Schriften", False, "fontconfig fehlt (fc-match); PDFs brauchen Systemschriften."
        )
    found = subprocess.run(
        ["fc-match", "-f", "%{family}", "Liberation Sans"], capture_output=True, text=True
    ).stdout
    if "Liberation Sans" not in found:
        return Check(
            "Schriften",
            False,
            f"„Liberation Sans“ fehlt (gefunden: {found}); Paket fonts-liberation2.",
        )
    return Check("Schriften", True, "Liberation Sans vorhanden.")


def check_templates() -> Check:
    root = Path(current_app.config["TOOLBOX_TEMPLATES_DIR"])
    problems = [p for i in INSTRUMENTS.values() for p in check_instrument(i, root)]
    if problems:
        return Check("Vorlagen", False, f"{len(problems)} Probleme, z. B. {problems[0]}")
    return Check("Vorlagen", True, f"{len(INSTRUMENTS)} Instrumente, alle Vorlagen in Ordnung.")


def check_pdf() -> Check:
    try:
        renderer = get_renderer(current_app.config["TOOLBOX_TEMPLATES_DIR"])
        pdf = renderer.pdf.html_to_pdf('<html lang="de"><title>t</title><p>Prüfung</p></html>')
    except Exception as exc:  # noqa: BLE001 - any failure is the answer to this check
        return Check("PDF-Erzeugung", False, f"WeasyPrint scheitert: {type(exc).__name__}: {exc}.")
    return Check("PDF-Erzeugung", pdf.startswith(b"%PDF"), "WeasyPrint erzeugt PDFs.")
