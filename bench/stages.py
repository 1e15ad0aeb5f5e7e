"""The stages of a run: bare renderers in this process, then the services (redis-server,
gunicorn, celery workers) and what is measured on them. Each stage fills `Results`."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import bare, floor, libreoffice, pipeline, preview, startup, web
from bench.memory import memory_run
from bench.procs import CeleryWorker, CpuMeter, Gunicorn, RedisServer, Service, run_checked
from bench.sections import Results

# The bench submits everything from 127.0.0.1: without this the per-address limit on
# submissions (TOOLBOX_SUBMIT_RATE_LIMIT) would answer 429. Counted, but never reached.
NO_RATE_LIMIT = "1000000 per minute"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def service_env(data_dir: Path, broker_url: str) -> dict:
    """The bench's own data dir, database and broker; nothing from the caller's TOOLBOX_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
    env.update(
        TOOLBOX_DATA_DIR=str(data_dir),
        TOOLBOX_DATABASE_URL=f"sqlite:///{data_dir / 'toolbox.sqlite'}",
        TOOLBOX_BROKER_URL=broker_url,
        TOOLBOX_SECRET_KEY=secrets.token_urlsafe(32),
        TOOLBOX_SUBMIT_RATE_LIMIT=NO_RATE_LIMIT,
    )
    return env


def toolbox_command() -> str:
    script = Path(sys.executable).with_name("toolbox")
    return str(script) if script.exists() else shutil.which("toolbox") or "toolbox"


def measure_bare(args, results: Results, workdir: Path) -> None:
    """In this process, as `toolbox render` does. The app logs to stdout (WeasyPrint reports
    every step at INFO): into a file here, as the worker's log goes into a file too."""
    with (workdir / "bare.log").open("w") as log_file, contextlib.redirect_stdout(log_file):
        _measure_bare(args, results, workdir)


def _measure_bare(args, results: Results, workdir: Path) -> None:
    from toolbox.app import create_app
    from toolbox.documents.render import get_renderer
    from toolbox.instruments.registry import INSTRUMENTS

    os.environ["TOOLBOX_DATA_DIR"] = str(workdir / "bare")
    app = create_app({"TESTING": True})
    results.data = bare.load_data()
    payloads = bare.validated_payloads(app, results.data)
    renderer = get_renderer(app.config["TOOLBOX_TEMPLATES_DIR"])
    log(f"bare renderers: {len(payloads)} instruments × {args.n}")
    with CpuMeter() as meter:
        results.bare = bare.measure(renderer, payloads, args.n)
    results.noise["bare"] = meter.others
    log(f"preview: {len(payloads)} instruments × {args.n}")
    results.preview = preview.measure(app, results.data, args.n)
    log(f"floor: {len(payloads)} instruments × {args.n}")
    results.floor = floor.measure(renderer, payloads, args.n)
    log("toolbox render: start-up")
    slug = next(iter(payloads))
    results.cli_first = startup.first_document_seconds(
        slug, bare.DATA_DIR / f"{slug}.json", workdir / "cli", rounds=1 if args.smoke else 3
    )
    count = max(args.concurrency * 4, args.burst // 2)
    log(f"bare loop on {args.concurrency} processes: {count} submissions")
    results.bare_parallel, results.bare_cpu, results.noise["bare loop"] = bare.parallel_rate(
        renderer, payloads, args.concurrency, count
    )
    binary = libreoffice.soffice()
    if binary is None or args.lo_rounds < 1:
        results.soffice_skipped = libreoffice.SKIPPED if binary is None else "übersprungen"
        log(results.soffice_skipped)
        return
    log(f"LibreOffice: {len(payloads)} DOCX × {args.lo_rounds}")
    docx = {
        slug: next(d.content for d in renderer.render(INSTRUMENTS[slug], p) if d.format == "docx")
        for slug, p in payloads.items()
    }
    with CpuMeter() as meter:
        results.soffice = libreoffice.convert_times(binary, docx, workdir / "lo", args.lo_rounds)
    results.noise["LibreOffice"] = meter.others
    if not libreoffice.has_uno():
        results.soffice_warm_skipped = libreoffice.NO_UNO
        log(libreoffice.NO_UNO)
        return
    log(f"LibreOffice warm: one soffice, {len(payloads)} DOCX × {args.lo_rounds}")
    with CpuMeter() as meter:
        results.soffice_warm = libreoffice.warm_convert_times(
            binary, docx, workdir / "lo", args.lo_rounds
        )
    results.noise["LibreOffice warm"] = meter.others
    # Our PDF again, right after, with the same noise as the warm soffice had.
    results.pdf_near_lo = {
        slug: bare.median_pdf(renderer, INSTRUMENTS[slug], payload, max(args.n, 3))
        for slug, payload in payloads.items()
    }


@dataclass
class Services:
    """redis-server and gunicorn for the whole run; workers come and go per section."""

    workdir: Path
    env: dict
    redis: RedisServer
    gunicorn: Gunicorn

    def worker(self, stack: contextlib.ExitStack, concurrency: int, label: str) -> CeleryWorker:
        return start(stack, CeleryWorker(self.workdir, self.env, concurrency, label))

    def cpu_parts(self, worker: CeleryWorker) -> dict:
        return {
            "worker pool": worker.pool_pids,
            "worker main": lambda: [worker.pid],
            "web": self.gunicorn.tree,
            "redis": self.redis.tree,
        }


def start_services(args, workdir: Path, stack: contextlib.ExitStack) -> Services:
    data_dir = workdir / "data"
    data_dir.mkdir()
    redis = start(stack, RedisServer(workdir, os.environ.copy()))
    env = service_env(data_dir, redis.url)
    run_checked([toolbox_command(), "db", "upgrade"], env)
    web_env = dict(item.split("=", 1) for item in args.web_env)
    gunicorn = start(stack, Gunicorn(workdir, {**env, **web_env}))
    return Services(workdir, env, redis, gunicorn)


def measure_pipeline(args, results: Results, services: Services, stack) -> None:
    port, data = services.gunicorn.port, results.data
    worker = services.worker(stack, args.concurrency, "worker-pipeline")
    # Steady state: every pool process has rendered every instrument before we measure
    # (the first job of a fresh worker is measured on its own in the memory section).
    pipeline.burst(port, args.submit_path, data, len(data) * args.concurrency, poll=0.05)
    log(f"pipeline: idle latency, {args.latency} submissions")
    with CpuMeter(services.cpu_parts(worker)) as meter:
        results.latency = pipeline.idle_latency(
            port, args.submit_path, data, args.latency, poll=0.01, gap=0.2
        )
    results.noise["idle latency"] = meter.others
    pipeline.job_times(services.workdir / "data" / "toolbox.sqlite", results.latency)
    log(f"pipeline: throughput, {args.burst} submissions")
    with CpuMeter(services.cpu_parts(worker)) as meter:
        results.burst_seconds, results.burst_documents = pipeline.burst(
            port, args.submit_path, data, args.burst, poll=0.25
        )
    results.burst_cpu, results.noise["throughput"] = meter.used, meter.others
    results.burst_count = args.burst
    worker.stop()


def measure_memory(args, results: Results, services: Services, stack) -> None:
    worker = services.worker(stack, args.concurrency, "worker-memory")
    log(f"memory: {args.documents} documents on a fresh worker")
    with CpuMeter(services.cpu_parts(worker)) as meter:
        results.memory = memory_run(
            worker, services.gunicorn.port, args.submit_path, results.data, args.documents
        )
    results.noise["memory"] = meter.others
    worker.stop()


def measure_web(args, results: Results, services: Services, stack) -> None:
    """The web tier alone: no worker runs, submissions pile up on the broker."""
    port, data, slugs = services.gunicorn.port, results.data, list(results.data)
    warm = min(args.clients, 8)
    web.run_load(port, web.form_page(slugs), warm, len(slugs), ok=200)
    web.run_load(port, web.api_submit(args.submit_path, data), warm, 2, ok=202)
    log(f"web: {args.clients} clients × {args.requests} requests per endpoint")
    results.web_clients = args.clients
    for think in (0.0, args.think):
        for name, request, ok in (
            ("GET form page", web.form_page(slugs), 200),
            ("POST submission (JSON API)", web.api_submit(args.submit_path, data), 202),
        ):
            with CpuMeter({"web": services.gunicorn.tree}) as meter:
                load = web.run_load(port, request, args.clients, args.requests, ok, think)
            load.cpu = meter.used
            results.web.append((name, think, load))
            results.noise[f"{name.split()[0]} {'think' if think else 'busy'}"] = meter.others
    # The same think-time load while a worker renders (issue 20): it works through the
    # submissions the rows above queued (a backlog of minutes), so rendering competes
    # with the web for the cores.
    worker = services.worker(stack, args.concurrency, "worker-web")
    log("web: think-time load with the worker rendering")
    for name, request, ok in (
        ("GET form page", web.form_page(slugs), 200),
        ("POST submission (JSON API)", web.api_submit(args.submit_path, data), 202),
    ):
        with CpuMeter(services.cpu_parts(worker)) as meter:
            load = web.run_load(port, request, args.clients, args.requests, ok, args.think)
        load.cpu = {"web": meter.used["web"]}
        load.rendering = True
        results.web.append((name, args.think, load))
        results.noise[f"{name.split()[0]} think+worker"] = meter.others
    worker.stop()


def start(stack: contextlib.ExitStack, service: Service):
    stack.callback(service.stop)
    try:
        service.start()
    except BaseException:
        log(f"{service.name} did not start; its log:\n{service.log()[-3000:]}")
        raise
    return service
