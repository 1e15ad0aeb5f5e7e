"""Worker memory over many documents: RSS of the pool processes, read from /proc."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field

from bench.client import Client, submit, wait_done
from bench.procs import CeleryWorker, rss_kib
from toolbox.instruments.registry import INSTRUMENTS


@dataclass
class MemoryResult:
    start: int = 0  # KiB, all pool processes together, before the first job
    warm: int = 0  # after one submission of every instrument
    peak: int = 0
    end: int = 0
    documents: int = 0  # rendered after the warm-up
    pids: set[int] = field(default_factory=set)
    first_slug: str = ""
    first_seconds: float = 0.0  # submission → documents, the first job of a fresh worker
    warm_seconds: float = 0.0  # the same submission alone again, once every process is warm

    @property
    def growth(self) -> float:
        """End against warm: the first documents fill caches once (fonts, templates)."""
        return self.end / self.warm - 1 if self.warm else 0.0


def pool_rss(worker: CeleryWorker) -> tuple[int, list[int]]:
    pids = worker.pool_pids()
    return sum(rss_kib(pid) or 0 for pid in pids), pids


class Sampler(threading.Thread):
    def __init__(self, worker: CeleryWorker, result: MemoryResult, interval: float = 0.2):
        super().__init__(daemon=True)
        self.worker = worker
        self.result = result
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sample()

    def sample(self) -> int:
        total, pids = pool_rss(self.worker)
        self.result.peak = max(self.result.peak, total)
        self.result.pids.update(pids)
        return total


def memory_run(
    worker: CeleryWorker, port: int, submit_path: str, data: dict[str, dict], documents: int
) -> MemoryResult:
    """Warm up with every instrument once, then submit until at least `documents`
    documents were rendered, sampling the pool's RSS all along."""
    result = MemoryResult()
    sampler = Sampler(worker, result)
    result.start = sampler.sample()
    client = Client(port)
    try:
        # The very first job of a fresh worker, alone: what a cold pool process costs.
        slug = result.first_slug = next(iter(data))
        begin = time.perf_counter()
        wait_done(client, submit(client, submit_path, slug, data[slug]), poll=0.01)
        result.first_seconds = time.perf_counter() - begin
        for token in [submit(client, submit_path, s, d) for s, d in data.items()]:
            wait_done(client, token, poll=0.05)
        result.warm = sampler.sample()
        # The same submission again, alone, on the now warm pool (median of three): what
        # the first job is compared with.
        again = []
        for _ in range(3):
            begin = time.perf_counter()
            wait_done(client, submit(client, submit_path, slug, data[slug]), poll=0.01)
            again.append(time.perf_counter() - begin)
        result.warm_seconds = sorted(again)[1]
        slugs, planned = [], 0
        for slug in itertools.cycle(data):
            if planned >= documents:
                break
            slugs.append(slug)
            planned += len(INSTRUMENTS[slug].formats)
        sampler.start()
        tokens = [submit(client, submit_path, s, data[s]) for s in slugs]
        result.documents = sum(len(wait_done(client, t, poll=0.25)["documents"]) for t in tokens)
    finally:
        sampler.stopped.set()
        client.close()
    if sampler.is_alive():
        sampler.join()
    result.end = sampler.sample()
    return result
