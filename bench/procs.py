"""The real processes the pipeline runs on: redis-server, gunicorn and celery workers,
started on free loopback ports the way the Procfile starts them, and always stopped."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def run_checked(args: list[str], env: dict) -> None:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")


class Service:
    """One child process with its output in a log file. It runs in its own session, so
    Ctrl+C reaches only the bench, which then stops the services in order."""

    name = "service"

    def __init__(self, args: list[str], env: dict, log: Path):
        self.args = args
        self.env = env
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def tree(self) -> list[int]:
        """The process and its children (gunicorn's workers, celery's pool)."""
        return [self.pid, *children(self.pid)]

    def stop(self, timeout: float = 30) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            # The whole session: a celery pool child left behind would keep running.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class RedisServer(Service):
    name = "redis-server"

    def __init__(self, workdir: Path, env: dict):
        self.port = free_port()
        args = [shutil.which("redis-server") or "redis-server", "--port", str(self.port)]
        args += ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)]
        super().__init__(args, env, workdir / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        super().start()
        wait_for_port(self.port, self.process)


class Gunicorn(Service):
    """`web:` from the Procfile, on a free port."""

    name = "gunicorn"

    def __init__(self, workdir: Path, env: dict):
        self.port = free_port()
        env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        app = "toolbox.app:create_app()"
        args = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app]
        super().__init__(args, env, workdir / "gunicorn.log")

    def start(self) -> None:
        super().start()
        wait_for_port(self.port, self.process, timeout=30)


class CeleryWorker(Service):
    """`worker:` from the Procfile: warm (worker.py builds the renderer before forking)."""

    name = "celery worker"

    def __init__(self, workdir: Path, env: dict, concurrency: int, label: str):
        args = [sys.executable, "-m", "celery", "-A", "worker", "worker", "--loglevel=INFO"]
        args.append(f"--concurrency={concurrency}")
        super().__init__(args, env, workdir / f"{label}.log")
        self.concurrency = concurrency

    def start(self, timeout: float = 60) -> None:
        super().start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log() and len(self.pool_pids()) == self.concurrency:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"celery worker did not start:\n{self.log()[-3000:]}")

    def pool_pids(self) -> list[int]:
        """The prefork pool processes: they render, so their memory is what counts."""
        return children(self.pid)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue  # a thread ended while we looked
    return found


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (ended ones count as 0)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    return {pid: cpu_seconds([pid]) for pid in pids}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings; a process that ended in between is lost."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


class CpuMeter:
    """CPU seconds each part (a function listing its processes) and the bench itself use
    inside `with`: where the cores went. `others` is how many cores everything else on
    the machine kept busy meanwhile, the noise behind every wall-clock number."""

    def __init__(self, parts: dict[str, Callable[[], list[int]]] | None = None):
        self.parts = parts or {}
        self.used: dict[str, float] = {}
        self.others = 0.0

    def __enter__(self) -> CpuMeter:
        self.before = {name: cpu_by_pid(pids()) for name, pids in self.parts.items()}
        self.bench_before = _own_cpu()
        self.machine_before = _machine_busy()
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        for name, pids in self.parts.items():
            self.used[name] = cpu_used(self.before[name], cpu_by_pid(pids()))
        self.used["bench"] = _own_cpu() - self.bench_before
        busy = _machine_busy() - self.machine_before
        self.elapsed = time.monotonic() - self.start
        self.others = max(0.0, busy - sum(self.used.values())) / max(self.elapsed, 1e-9)


def _own_cpu() -> float:
    """This process and its children that ended (e.g. soffice), not the running services."""
    usages = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(u.ru_utime + u.ru_stime for u in usages)


def _machine_busy() -> float:
    """CPU seconds all cores spent on anything but idle and I/O wait (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None  # the process ended (e.g. recycled by worker_max_tasks_per_child)
    return None
