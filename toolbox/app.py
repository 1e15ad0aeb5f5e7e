"""The application factory: configuration, extensions, Celery, blueprints, error pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from toolbox.accounts import admin as account_admin
from toolbox.accounts import views as account_views
from toolbox.contacts import views as contact_views
from toolbox.cooperation import api as cooperation_api
from toolbox.cooperation import views as cooperation_views
from toolbox.core import config
from toolbox.core.db import register_sqlite_pragmas
from toolbox.core.errors import register_error_handlers
from toolbox.core.extensions import csrf, db, limiter, login_manager, migrate
from toolbox.core.files import private_sqlite_files
from toolbox.core.i18n import init_i18n
from toolbox.core.logs import configure_logging
from toolbox.core.security import register_security_headers
from toolbox.core.urls import register_url_converters
from toolbox.dashboard import actions as dashboard_actions
from toolbox.dashboard import contacts as dashboard_contacts
from toolbox.dashboard import views as dashboard_views
from toolbox.jobs import celery_init_app
from toolbox.ops import health
from toolbox.submissions import api, document_page, form_views, preview
from toolbox.submissions import views as submission_views
from toolbox.workshops import kit_views, participants
from toolbox.workshops import views as workshop_views

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask("toolbox")
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.from_mapping(test_config)
    private_sqlite_files(
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.config["TOOLBOX_BROKER_URL"],
        app.config.get("RATELIMIT_STORAGE_URI") or "",
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    register_sqlite_pragmas()
    init_i18n(app)
    celery_init_app(app)
    register_url_converters(app)  # before the blueprints: their rules use <id:…>
    register_blueprints(app)

    register_error_handlers(app)
    register_security_headers(app)
    configure_logging(app)
    if app.config["TOOLBOX_PROXIES"]:
        n = app.config["TOOLBOX_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(form_views.bp)
    app.register_blueprint(submission_views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(contact_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(dashboard_views.bp)
    app.register_blueprint(dashboard_actions.bp)
    app.register_blueprint(dashboard_contacts.bp)
    app.register_blueprint(account_admin.bp)
    app.register_blueprint(workshop_views.bp)
    app.register_blueprint(kit_views.bp)
    app.register_blueprint(participants.bp)
    app.register_blueprint(preview.bp)
    app.register_blueprint(document_page.bp)
    app.register_blueprint(cooperation_views.bp)
    app.register_blueprint(cooperation_api.bp)
    csrf.exempt(api.bp)
    csrf.exempt(cooperation_api.bp)
