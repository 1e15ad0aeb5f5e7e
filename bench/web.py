"""The web tier under concurrent clients: threads, each with its own keep-alive connection,
sending requests back to back (no think time), against gunicorn on loopback."""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.client import Client

# (client, request number) → HTTP status
Request = Callable[[Client, int], int]


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per part
    rendering: bool = False  # a worker rendered during the load

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def run_load(
    port: int,
    request: Request,
    clients: int,
    per_client: int,
    ok: int,
    think: float = 0.0,
    timeout: float = 30,
) -> LoadResult:
    """`clients` threads start together and send `per_client` requests each, pausing
    `think` seconds on average (0.5–1.5 ×) after each answer, as a person reading would;
    with think=0 they send back to back, which measures capacity. A request that does not
    answer `ok` (or raises) is an error; its latency still counts."""
    result = LoadResult()
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)

    def client_loop(number: int) -> None:
        client = Client(port, timeout)
        pauses = random.Random(number)  # noqa: S311 - think times, not secrets; same every run
        start_line.wait()
        if think:
            # People do not all click at the same instant: spread the first requests too.
            time.sleep(think * pauses.random())
        try:
            for i in range(per_client):
                begin = time.perf_counter()
                try:
                    status = request(client, number * per_client + i)
                except (OSError, http.client.HTTPException) as exc:
                    status = type(exc).__name__
                    client.close()
                elapsed = time.perf_counter() - begin
                with lock:
                    result.latencies.append(elapsed)
                    result.statuses[status] += 1
                    result.errors += status != ok
                if think:
                    time.sleep(think * pauses.uniform(0.5, 1.5))
        finally:
            client.close()

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start_line.wait()
    begin = time.perf_counter()
    for thread in threads:
        thread.join((timeout + 2 * think) * per_client)
    result.seconds = time.perf_counter() - begin
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError("load clients did not finish")
    return result


def form_page(slugs: list[str]) -> Request:
    def get(client: Client, n: int) -> int:
        return client.request("GET", f"/instrumente/{slugs[n % len(slugs)]}")[0]

    return get


def api_submit(submit_path: str, data: dict[str, dict]) -> Request:
    slugs = list(data)

    def post(client: Client, n: int) -> int:
        slug = slugs[n % len(slugs)]
        return client.request("POST", submit_path, {"instrument": slug, "data": data[slug]})[0]

    return post
