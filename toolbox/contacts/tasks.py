"""The directory documents' Celery task (name stable: toolbox.jobs.queue.BUILD_DIRECTORY)."""

from __future__ import annotations

from celery import shared_task

from toolbox.contacts.directory import rebuild
from toolbox.jobs.queue import BUILD_DIRECTORY


@shared_task(name=BUILD_DIRECTORY)
def build_directory(_unused: int = 0) -> None:
    rebuild()
