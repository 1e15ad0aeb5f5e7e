"""toolbox: forms and documents for cooperation between health services and self-help."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from toolbox import config
from toolbox.extensions import csrf, db, limiter, login_manager, migrate
from toolbox.logs import configure_logging

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    from toolbox.web.i18n import init_i18n

    init_i18n(app)

    from toolbox.jobs import celery_init_app

    celery_init_app(app)
    register_blueprints(app)

    from toolbox.web.errors import register_error_handlers
    from toolbox.web.security import register_security_headers

    register_error_handlers(app)
    register_security_headers(app)
    configure_logging(app)
    if app.config["TOOLBOX_PROXIES"]:
        n = app.config["TOOLBOX_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app


def register_blueprints(app: Flask) -> None:
    from toolbox.web import (
        admin,
        api,
        auth,
        contacts,
        dashboard,
        dashboard_actions,
        dashboard_contacts,
        document_page,
        health,
        instruments,
        kits,
        participants,
        preview,
        submissions,
        workshops,
    )

    app.register_blueprint(instruments.bp)
    app.register_blueprint(submissions.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(contacts.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(dashboard_actions.bp)
    app.register_blueprint(dashboard_contacts.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(workshops.bp)
    app.register_blueprint(kits.bp)
    app.register_blueprint(participants.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(document_page.bp)
    csrf.exempt(api.bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets the web read while a worker writes; the busy timeout makes writers wait
    instead of failing with "database is locked"."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted submissions (GDPR requests, retention) leave no bytes in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
