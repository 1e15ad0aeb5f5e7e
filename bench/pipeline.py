"""The whole pipeline over the HTTP API: submit → broker → worker → documents ready."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from bench.client import Client, submit, wait_done


@dataclass
class Sample:
    slug: str
    seconds: float  # client: POST sent → API says done
    token: str
    wait: float = 0.0  # job queued → claimed by a worker (the job's own timestamps)
    work: float = 0.0  # claimed → documents stored


def job_times(database: Path, samples: list[Sample]) -> None:
    """Split each latency with the timestamps the job recorded (the same the dashboard
    shows as queue wait and render time)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        for sample in samples:
            queued, started, finished = (
                dt.datetime.fromisoformat(value)
                for value in conn.execute(
                    "SELECT job.queued_at, job.started_at, job.finished_at FROM job"
                    " JOIN submission ON submission.id = job.submission_id"
                    " WHERE submission.token = ?",
                    (sample.token,),
                ).fetchone()
            )
            sample.wait = (started - queued).total_seconds()
            sample.work = (finished - started).total_seconds()


def mix(slugs: list[str], count: int) -> list[str]:
    """Every instrument in turn, so each section sees the same mix of documents."""
    return [slugs[i % len(slugs)] for i in range(count)]


def idle_latency(
    port: int, submit_path: str, data: dict[str, dict], count: int, poll: float, gap: float
) -> list[Sample]:
    """One submission at a time on an idle system: POST until the API says done."""
    client = Client(port)
    samples = []
    try:
        for slug in mix(list(data), count):
            time.sleep(gap)  # let the previous job's commit and logging settle
            start = time.perf_counter()
            token = submit(client, submit_path, slug, data[slug])
            wait_done(client, token, poll)
            samples.append(Sample(slug, time.perf_counter() - start, token))
    finally:
        client.close()
    return samples


def burst(
    port: int, submit_path: str, data: dict[str, dict], count: int, poll: float
) -> tuple[float, int]:
    """Submit `count` submissions back to back and wait for the last one: seconds from
    the first POST until every document is ready, and how many documents that made."""
    client = Client(port)
    try:
        start = time.perf_counter()
        tokens = [submit(client, submit_path, slug, data[slug]) for slug in mix(list(data), count)]
        # Jobs finish roughly in order, so waiting for each in turn costs few polls.
        documents = sum(len(wait_done(client, t, poll)["documents"]) for t in tokens)
        return time.perf_counter() - start, documents
    finally:
        client.close()
