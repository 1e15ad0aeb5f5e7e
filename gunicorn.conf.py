"""gunicorn settings; every value can be overridden with GUNICORN_CMD_ARGS."""

import os
import sys

from toolbox.core.config import ConfigError, from_environment

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# Never log query strings or bodies: tokens are in paths only, personal data nowhere.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# Tokens in paths replaced, control characters escaped, client addresses shortened.
logger_class = "toolbox.core.log_redaction.GunicornLogger"


def on_starting(server):
    """Refuse to start on settings the app cannot run with (e.g. a missing or local
    TOOLBOX_BASE_URL in production), with the configuration's message, before any worker
    boots."""
    try:
        from_environment()
    except ConfigError as exc:
        server.log.error("Konfiguration: %s", exc)
        sys.exit(3)
