"""Logging to stdout, as text or JSON (TOOLBOX_LOG_FORMAT=json), with a request id.

What we log is about the system, never about people: ids, states and durations, no
payloads, no addresses, no tokens: every line through the handler is cleaned by
toolbox.core.log_redaction (tokens replaced, control characters escaped), gunicorn's too.
"""

from __future__ import annotations

import json
import logging
import secrets
import sys

from flask import Flask, g, has_request_context, request

from toolbox.core.log_redaction import RedactingFilter

HANDLER_NAME = "toolbox-stdout"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the time (test runners swap it)."""

    @property
    def stream(self):
        return sys.stdout

    @stream.setter
    def stream(self, _value):
        pass


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


SWEEP_TASK = "toolbox.jobs.tasks.sweep_task"
# Where Celery reports each run of a periodic task: beat sending it, the worker receiving
# it, the pool finishing it.
CELERY_ROUTINE_LOGGERS = ("celery.beat", "celery.worker.strategy", "celery.app.trace")


class QuietSweepFilter(logging.Filter):
    """Drops Celery's routine INFO lines about the sweep task (every 30 s, forever); the
    sweep task logs itself when it did something. Warnings and errors pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        data = getattr(record, "data", None)
        if isinstance(data, dict) and data.get("name") == SWEEP_TASK:
            return False  # "Task … received", "Task … succeeded in …"
        args = record.args if isinstance(record.args, tuple) else ()
        return not (record.name == "celery.beat" and SWEEP_TASK in args)  # "Sending due task"


def configure_logging(app: Flask) -> None:
    """Once per process: a stdout handler on the root logger (tests create many apps).
    Celery workers keep Celery's own logging (it redirects stdout into its loggers)."""
    root = logging.getLogger()
    in_worker = app.config.get("TOOLBOX_PROCESS") == "worker"
    if not in_worker and not any(h.get_name() == HANDLER_NAME for h in root.handlers):
        handler = StdoutHandler()
        handler.set_name(HANDLER_NAME)
        handler.addFilter(RequestIdFilter())
        handler.addFilter(RedactingFilter())
        if app.config.get("TOOLBOX_LOG_FORMAT") == "json":
            handler.setFormatter(JsonFormatter())
        else:
            handler.setFormatter(
                logging.Formatter(
                    "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
                )
            )
        root.addHandler(handler)
        root.setLevel(app.config.get("TOOLBOX_LOG_LEVEL", "INFO"))
    # fontTools and WeasyPrint report every step at INFO: noise in production logs.
    for name in ("fontTools", "weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in CELERY_ROUTINE_LOGGERS:
        celery_logger = logging.getLogger(name)
        if not any(isinstance(f, QuietSweepFilter) for f in celery_logger.filters):
            celery_logger.addFilter(QuietSweepFilter())

    @app.before_request
    def _request_id():
        incoming = request.headers.get("X-Request-ID", "")
        ok = 0 < len(incoming) <= 64 and incoming.replace("-", "").isalnum()
        g.request_id = incoming if ok else secrets.token_hex(8)

    @app.after_request
    def _echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response
