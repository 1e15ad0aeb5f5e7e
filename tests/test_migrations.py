"""Migrations are the only way the schema changes: after `upgrade`, autogenerate finds no
difference between the database and the models (on SQLite, and on PostgreSQL in the
Makefile's PostgreSQL pass)."""

from __future__ import annotations

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from toolbox.app import create_app
from toolbox.core.extensions import db


def test_migrations_match_the_models(fresh_database):
    """From an empty database (not the suite's cloned template) to the models' schema."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": fresh_database})
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
            assert "submission" in inspect(connection).get_table_names()
        db.engine.dispose()


def test_database_url_for_postgresql_uses_psycopg():
    from toolbox.core.config import database_url

    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x") == "sqlite:///x"
