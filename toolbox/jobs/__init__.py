"""Celery wiring, after Flask's own example: tasks run inside an app context, nothing more."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask
from kombu import Queue

from toolbox.jobs import shutdown  # noqa: F401 - connects the pool's SIGTERM handling
from toolbox.jobs.embedded import TRANSPORT as EMBEDDED_TRANSPORT
from toolbox.jobs.queue import (
    BUILD_DIRECTORY,
    BUILD_KIT,
    COOPERATION_MAINTENANCE,
    FINALIZE_CIRCULATION,
    PURGE,
    RENDER_JOB,
    SEND_CIRCULATION_MAIL,
    SEND_DOCUMENTS,
    SWEEP,
)

# The modules that define tasks (each area has its own); a worker imports them all.
TASK_MODULES = [
    "toolbox.submissions.tasks",
    "toolbox.workshops.tasks",
    "toolbox.contacts.tasks",
    "toolbox.ops.tasks",
    "toolbox.cooperation.tasks",
]

# Separate queues (issue 14), so that mails and the sweeper never wait behind renders:
# `celery -A worker worker -Q render` and `-Q mail,maintenance` run them apart (Procfile,
# docs/DEPLOYMENT.md). A worker started without -Q consumes all three (the embedded
# default's one worker). Task names stay as they are; only their queue is chosen here.
# Large submissions (instruments/forms.py `is_large`) render on `render_large`, by a worker
# of their own, so a few worst-case submissions cannot keep everyone else's documents waiting.
RENDER_QUEUE = "render"
RENDER_LARGE_QUEUE = "render_large"
QUEUES = (RENDER_QUEUE, RENDER_LARGE_QUEUE, "mail", "maintenance")
TASK_ROUTES = {
    RENDER_JOB: {"queue": RENDER_QUEUE},  # or RENDER_LARGE_QUEUE, chosen when enqueued
    SEND_DOCUMENTS: {"queue": "mail"},
    SWEEP: {"queue": "maintenance"},
    PURGE: {"queue": "maintenance"},
    BUILD_KIT: {"queue": "maintenance"},
    BUILD_DIRECTORY: {"queue": "maintenance"},
    SEND_CIRCULATION_MAIL: {"queue": "mail"},
    FINALIZE_CIRCULATION: {"queue": RENDER_QUEUE},
    COOPERATION_MAINTENANCE: {"queue": "maintenance"},
}

# Hard limit for one render; the Redis visibility timeout must stay above it, or a
# long task would be delivered twice.
SOFT_TIME_LIMIT = 60
HARD_TIME_LIMIT = 90
# A pool process that grew beyond this (KiB) after a task is replaced by a fresh one, so
# one pathological document cannot keep a worker's memory high.
MAX_MEMORY_PER_CHILD = 512 * 1024


def broker_settings(url: str, visibility_timeout: int | None = None) -> dict:
    """Celery settings for a broker URL; `sqla+…` URLs use the embedded transport."""
    if url.startswith("sqla+"):
        return {"broker_url": url.removeprefix("sqla+"), "broker_transport": EMBEDDED_TRANSPORT}
    options = {}
    if url.startswith("redis"):
        # Above the hard time limit, or Redis would hand a long task to a second worker.
        # (Tests set a short one to provoke exactly that: TOOLBOX_BROKER_VISIBILITY_TIMEOUT.)
        options = {"visibility_timeout": visibility_timeout or HARD_TIME_LIMIT * 10}
    return {"broker_url": url, "broker_transport_options": options}


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(
        {
            **broker_settings(
                app.config["TOOLBOX_BROKER_URL"],
                app.config.get("TOOLBOX_BROKER_VISIBILITY_TIMEOUT"),
            ),
            "broker_connection_retry_on_startup": True,
            "task_ignore_result": True,
            "task_serializer": "json",
            "accept_content": ["json"],
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "task_queues": tuple(Queue(name, routing_key=name) for name in QUEUES),
            "task_default_queue": "render",
            "task_routes": TASK_ROUTES,
            "task_soft_time_limit": SOFT_TIME_LIMIT,
            "task_time_limit": HARD_TIME_LIMIT,
            "worker_max_tasks_per_child": 500,
            "worker_max_memory_per_child": MAX_MEMORY_PER_CHILD,
            "worker_hijack_root_logger": False,
            "imports": TASK_MODULES,
            # Run by `celery beat` (Procfile `beat:`), once for all workers.
            "beat_schedule": {
                "sweep": {
                    "task": SWEEP,
                    "schedule": app.config.get("TOOLBOX_SWEEP_INTERVAL", 30.0),
                },
                "purge": {"task": PURGE, "schedule": 24 * 3600.0},
                # Reminders to parties who have not answered (issue 16), and recovery.
                "cooperation": {"task": COOPERATION_MAINTENANCE, "schedule": 3600.0},
            },
        }
    )
    celery_app.conf.update(app.config.get("CELERY", {}))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
