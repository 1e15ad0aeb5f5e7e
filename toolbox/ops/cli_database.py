"""Commands that work on the existing database never create a new one.

`toolbox create-user` in the wrong directory (or without the server's TOOLBOX_DATA_DIR)
would otherwise open a fresh SQLite file under ./var and put the account where no server
looks. Such commands check that the configured database exists and is migrated, and say
which database they used."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from toolbox.core.extensions import db


def database_name() -> str:
    """The configured database as a person can check it (no password)."""
    return db.engine.url.render_as_string(hide_password=True)


def missing_database() -> str | None:
    """Why the configured database cannot be used, or None when it exists and is migrated."""
    url = db.engine.url
    name = database_name()
    hint = (
        "TOOLBOX_DATA_DIR bzw. TOOLBOX_DATABASE_URL wie beim Server setzen "
        "oder eine neue Datenbank mit „toolbox db upgrade“ anlegen."
    )
    in_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if in_file and not Path(url.database).is_file():  # connecting would create it
        return f"Keine Datenbank gefunden: {name}. {hint}"
    try:
        with db.engine.connect() as connection:
            migrated = inspect(connection).has_table("alembic_version")
    except SQLAlchemyError as exc:
        return f"Datenbank {name} nicht erreichbar ({type(exc).__name__}). {hint}"
    if not migrated:
        return f"Die Datenbank {name} ist leer (keine Tabellen). {hint}"
    return None


def existing_database(command):
    """Decorator for commands (inside the app context) that need the existing database."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        problem = missing_database()
        if problem:
            click.echo(problem, err=True)
            sys.exit(1)
        click.echo(f"Datenbank: {database_name()}", err=True)
        return command(*args, **kwargs)

    return wrapper
