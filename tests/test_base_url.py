"""TOOLBOX_BASE_URL, the start of every link in emails, the participants' link and its QR
code: derived from the port in development, refused when missing or local in production
(by the configuration, `toolbox doctor`, the CLI and gunicorn's start)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import ROOT

from toolbox.app import create_app
from toolbox.core.config import ConfigError, base_url_problem, from_environment
from toolbox.ops.cli import cli

PRODUCTION = {"TOOLBOX_ENV": "production", "TOOLBOX_SECRET_KEY": "k" * 64}


@pytest.fixture
def env(monkeypatch, data_dir):
    monkeypatch.delenv("PORT", raising=False)

    def set_env(**values):
        for key, value in values.items():
            monkeypatch.setenv(key, value)

    return set_env


def test_development_default_is_the_default_port(env):
    assert from_environment()["TOOLBOX_BASE_URL"] == "http://127.0.0.1:5000"


def test_development_follows_the_port_the_server_listens_on(env):
    env(PORT="8123")
    assert from_environment()["TOOLBOX_BASE_URL"] == "http://127.0.0.1:8123"


def test_a_configured_base_url_wins_over_the_port(env):
    env(PORT="8123", TOOLBOX_BASE_URL="http://192.168.1.20:8123")
    assert from_environment()["TOOLBOX_BASE_URL"] == "http://192.168.1.20:8123"


def test_a_port_that_is_no_number_is_refused(env):
    env(PORT="achttausend")
    with pytest.raises(ConfigError, match="PORT"):
        from_environment()


def test_production_refuses_a_missing_base_url(env):
    env(**PRODUCTION)
    with pytest.raises(ConfigError, match="TOOLBOX_BASE_URL muss in Produktion gesetzt sein"):
        create_app()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:5000", "https-Adresse"),
        ("https://127.0.0.1", "zeigt auf diesen Rechner"),
        ("https://localhost:8443", "zeigt auf diesen Rechner"),
        ("https://[::1]", "zeigt auf diesen Rechner"),
        ("http://toolbox.example.org", "https-Adresse"),
        ("toolbox.example.org", "https-Adresse"),
        ("https://toolbox.example.org/?a=1", "bitte ohne"),
    ],
)
def test_production_refuses_a_base_url_that_does_not_fit(env, url, says):
    env(**PRODUCTION, TOOLBOX_BASE_URL=url)
    with pytest.raises(ConfigError, match=says):
        from_environment()


def test_production_accepts_a_public_https_address(env):
    env(**PRODUCTION, TOOLBOX_BASE_URL="https://toolbox.example.org")
    assert from_environment()["TOOLBOX_BASE_URL"] == "https://toolbox.example.org"
    assert base_url_problem("https://toolbox.example.org/werkzeugkasten") is None


def test_cli_says_what_is_missing_instead_of_a_traceback(env):
    env(**PRODUCTION)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "TOOLBOX_BASE_URL muss in Produktion gesetzt sein" in result.output
    assert "Traceback" not in result.output


def test_doctor_names_a_local_base_url_in_production(env, make_app):
    env(**PRODUCTION, TOOLBOX_BASE_URL="https://toolbox.example.org")
    app = make_app(TOOLBOX_BASE_URL="https://localhost")
    result = app.test_cli_runner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "✗ Konfiguration:" in result.output
    assert "zeigt auf diesen Rechner (localhost)" in result.output


def test_doctor_tells_the_link_address_in_development(env, make_app):
    env(PORT="8123")
    result = make_app().test_cli_runner().invoke(cli, ["doctor"])
    assert "✓ Konfiguration: Umgebung: development" in result.output
    assert "beginnen mit http://127.0.0.1:8123." in result.output


def test_gunicorn_refuses_to_start_without_a_base_url_in_production(data_dir):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
    environ.update(PRODUCTION, TOOLBOX_DATA_DIR=str(data_dir), PORT="0")
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "toolbox.app:create_app()"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TOOLBOX_BASE_URL muss in Produktion gesetzt sein" in result.stderr
    assert "Booting worker" not in result.stderr
