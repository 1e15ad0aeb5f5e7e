"""Commands that expect the existing database refuse to create a new one and say which
database they used (issue 19.14)."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest
from helpers import ROOT

from toolbox.app import create_app
from toolbox.ops.cli import cli

PASSWORD = "ein-langes-Passwort-2026"


def test_create_user_in_another_directory_creates_no_database(tmp_path):
    """As a newcomer runs it: the console script, in a directory without ./var, with no
    TOOLBOX_* settings."""
    elsewhere = tmp_path / "anderswo"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "toolbox"), "create-user", "a@example.org"]
        + ["--password-stdin"],
        cwd=elsewhere,
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    expected = elsewhere / "var" / "toolbox.sqlite"
    assert not expected.exists()
    assert f"Keine Datenbank gefunden: sqlite:///{expected}" in result.stderr
    assert "TOOLBOX_DATA_DIR" in result.stderr and "toolbox db upgrade" in result.stderr
    assert "angelegt" not in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["create-user", "a@example.org", "--password-stdin"],
        ["sweep"],
        ["purge"],
        ["contacts", "export", "kontakte.csv"],
    ],
)
def test_commands_refuse_a_missing_or_empty_database(data_dir, tmp_path, args):
    missing = tmp_path / "fehlt.sqlite"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    result = app.test_cli_runner().invoke(cli, args, input=PASSWORD + "\n")
    assert result.exit_code == 1, result.output
    assert f"Keine Datenbank gefunden: sqlite:///{missing}" in result.output
    assert not missing.exists()

    empty = tmp_path / "leer.sqlite"
    sqlite3.connect(empty).close()
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{empty}"})
    result = app.test_cli_runner().invoke(cli, args, input=PASSWORD + "\n")
    assert result.exit_code == 1, result.output
    assert f"Die Datenbank sqlite:///{empty} ist leer" in result.output


def test_create_user_says_which_database_it_used(app, runner):
    result = runner.invoke(
        cli, ["create-user", "a@example.org", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    used = app.config["SQLALCHEMY_DATABASE_URI"]
    shown = used.split("@")[-1]  # PostgreSQL: the password is not shown
    assert "Datenbank: " in result.output and shown in result.output
    assert "angelegt" in result.output
