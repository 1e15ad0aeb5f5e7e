"""Fixtures: an app on a private SQLite database, and real processes for integration tests
(a private redis-server and celery workers on free loopback ports, started here)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import flask_migrate
import psycopg
import pytest
from helpers import (
    ROOT,
    agreement,
    create_workshop,
    logged_in,
    render_all,
    submit_via_link,
    token_of,
)

from toolbox.app import create_app
from toolbox.core.extensions import db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    # Everything the app reads from the environment points into this test's directory.
    for key in list(os.environ):
        if key.startswith("TOOLBOX_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("TOOLBOX_DATA_DIR", str(path))
    return path


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests slow
def pytest_collection_modifyitems(items) -> None:
    """Mark every test that touches a database: those run once per TOOLBOX_TEST_DATABASE
    backend. Then put the tests that start real processes first (stable order otherwise):
    pytest-xdist hands out tests in this order, so a long one started last cannot keep one
    process busy while the others are already done."""
    for item in items:
        if {"database_url", "fresh_database"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


# --- databases ------------------------------------------------------------------------------
# TOOLBOX_TEST_DATABASE names the databases every database test runs on: "sqlite" (a plain
# `pytest`), "postgresql", or both, "sqlite,postgresql" (the Makefile: each database test
# twice in the same run, [sqlite] and [postgresql]). PostgreSQL is a private server started
# here. Browser tests and the bench smoke test run on the first one only.
TEST_DATABASES = os.environ.get("TOOLBOX_TEST_DATABASE", "sqlite").split(",")
ONCE_ONLY = ("tests/browser/", "tests/test_bench_smoke.py")


def pytest_generate_tests(metafunc) -> None:
    if "database_backend" not in metafunc.fixturenames or len(TEST_DATABASES) < 2:
        return
    path = str(metafunc.definition.path).replace(os.sep, "/")
    if any(part in path for part in ONCE_ONLY):
        return
    metafunc.parametrize("database_backend", TEST_DATABASES, indirect=True)


@pytest.fixture
def database_backend(request) -> str:
    """ "sqlite" or "postgresql": the database this run of the test uses."""
    return getattr(request, "param", TEST_DATABASES[0])


class PostgresServer:
    """A throwaway PostgreSQL cluster (Debian's initdb/pg_ctl) on a free loopback port."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.bin = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])

    def _run(self, *args: str) -> None:
        # PostgreSQL refuses to run as root; CI runs as root, so run it as `postgres`.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True)

    def start(self) -> None:
        data = self.workdir / "pgdata"
        self.workdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.workdir, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"
        )
        options = f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(self.workdir / "log"),
            "start",
        )
        self.data = data

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, template: str | None = None, name: str | None = None) -> str:
        """Create a database (a copy of `template`, if given); returns its URL."""
        name = name or f"t{uuid.uuid4().hex[:12]}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    workdir = Path(tempfile.mkdtemp(prefix="toolbox-pg-"))
    server = PostgresServer(workdir)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(workdir, ignore_errors=True)


def _migrate(url: str, data_dir: Path) -> None:
    """Run every Alembic migration on the database at `url`."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TOOLBOX_DATA_DIR", str(data_dir))
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """The migrated schema, built once per test process and cloned for every test (running
    Alembic for each test cost about half a second each). tests/test_migrations.py checks the
    migrations themselves on a database built from scratch."""
    workdir = tmp_path_factory.mktemp("template")
    path = workdir / "toolbox.sqlite"
    _migrate(f"sqlite:///{path}", workdir)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_server, tmp_path_factory) -> str:
    """A migrated PostgreSQL database used as the TEMPLATE of every test's database."""
    name = "toolbox_template"
    _migrate(postgres_server.create_database(name=name), tmp_path_factory.mktemp("pg-template"))
    return name


@pytest.fixture
def fresh_database(request, data_dir, database_backend) -> str:
    """An empty database (no tables): for tests of the migrations themselves."""
    if database_backend == "postgresql":
        return request.getfixturevalue("postgres_server").create_database()
    return f"sqlite:///{data_dir / 'toolbox.sqlite'}"


@pytest.fixture
def database_url(request, data_dir, database_backend) -> str:
    """A migrated database of the test's own, cloned from the session's template."""
    if database_backend == "postgresql":
        template = request.getfixturevalue("postgres_template")
        return request.getfixturevalue("postgres_server").create_database(template)
    path = data_dir / "toolbox.sqlite"
    shutil.copyfile(request.getfixturevalue("migrated_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def make_app(data_dir, database_url):
    """Factory: an app on the test's migrated database; `broker_url` picks the broker."""
    apps = []

    def make(broker_url: str | None = None, **config):
        test_config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **config}
        if broker_url:
            test_config["TOOLBOX_BROKER_URL"] = broker_url
        app = create_app(test_config)
        apps.append(app)
        return app

    yield make
    for app in apps:  # close pooled connections (PostgreSQL would warn about open ones)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def facilitator(app):
    """A logged-in facilitator's client (a fresh account)."""
    return logged_in(app, "moderation@example.org")


@pytest.fixture
def admin(app):
    """A logged-in admin's client (a fresh account)."""
    return logged_in(app, "admin@example.org", admin=True)


@pytest.fixture
def workshop(app, client, facilitator) -> int:
    """A workshop with three instruments and five submissions through the participant
    link, all rendered."""
    workshop_id = create_workshop(facilitator)
    token = token_of(app, workshop_id)
    for slug, data in (
        ("kooperationsvereinbarung", agreement("Gruppe Zitronenfalter")),
        ("kooperationsvereinbarung", agreement("Gruppe Kohlweißling")),
        ("raumnutzung", None),
        ("raumnutzung", None),  # the same file names twice: the kit keeps both
        ("gruendungsplanung", None),
    ):
        assert submit_via_link(client, token, slug, data).status_code == 303
    render_all(app)
    return workshop_id


# --- real processes -----------------------------------------------------------------------


def wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Worker:
    """A real `celery -A worker worker` process, as the Procfile starts it; with
    `-A fault_worker` (tests/fault_worker.py) when a test asks for injected faults."""

    def __init__(
        self,
        env: dict,
        log: Path,
        concurrency: int = 1,
        app_module: str = "worker",
        queues: str = "",
        nice: int = 0,
    ):
        self.env = env
        self.nice = nice  # `nice -n N celery …`, as the Procfile starts render_large
        self.queues = queues  # `-Q render` etc.; all queues when empty
        self.app_module = app_module
        self.log_path = log
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [
                *(["nice", "-n", str(self.nice)] if self.nice else []),
                sys.executable,
                "-m",
                "celery",
                "-A",
                self.app_module,
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *([f"--queues={self.queues}"] if self.queues else []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends the pool too
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        log = self.log_path.read_text()[-3000:]
        self.stop()
        raise RuntimeError(f"worker did not start:\n{log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # warm shutdown: bounded, a test's leftovers don't count
            try:
                self.process.wait(8)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # pool children left behind
        self._log.close()

    def kill(self) -> None:
        """End the worker and its pool at once (the fixture's teardown: the test is over,
        its database and broker are thrown away, so a warm shutdown would only cost time)."""
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text()


@pytest.fixture
def start_worker(tmp_path, data_dir):
    """Factory: start a worker on the same database as `app`, with the given broker."""
    workers: list[Worker] = []

    def start(app, concurrency: int = 1, queues: str = "", nice: int = 0, **extra_env) -> Worker:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
        env.update(
            TOOLBOX_DATA_DIR=str(data_dir),
            TOOLBOX_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            TOOLBOX_BROKER_URL=app.config["TOOLBOX_BROKER_URL"],
        )
        env.update(extra_env)
        app_module = "worker"
        if any(k.startswith("TOOLBOX_TEST_RENDER_") for k in extra_env):
            app_module = "fault_worker"  # tests/fault_worker.py, found through PYTHONPATH
            env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), str(ROOT)])
        log = tmp_path / f"worker-{len(workers)}.log"
        worker = Worker(env, log, concurrency, app_module, queues, nice)
        workers.append(worker)  # before start: a worker that fails to start is stopped too
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.kill()


def wait_for_state(client, token: str, states=("done", "failed"), timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/submissions/{token}").get_json()
        if not seen or seen[-1] != body["state"]:
            seen.append(body["state"])
        if body["state"] in states:
            body["seen"] = seen
            return body
        time.sleep(0.05)
    raise TimeoutError(f"submission stayed in {seen}")


# --- SMTP ---------------------------------------------------------------------------------

_STARTED_SMTP_PORTS: set[int] = set()


@pytest.fixture(autouse=True)
def smtp_guard(monkeypatch):
    """Fail any test that talks to an SMTP server it did not start itself."""
    import smtplib

    real_connect = smtplib.SMTP.connect

    def guarded(self, host="localhost", port=0, source_address=None):
        if int(port) not in _STARTED_SMTP_PORTS:
            pytest.fail(f"test tried to reach an SMTP server it did not start: {host}:{port}")
        return real_connect(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", guarded)


class SmtpServer:
    """A real SMTP server (aiosmtpd) on loopback that records what it accepts.
    `reply` makes it answer RCPT with that line instead (e.g. "451 …", "550 …")."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[bytes] = []
        self.reply: str | None = None
        self.controller = None
        _STARTED_SMTP_PORTS.add(self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.reply:
            return self.reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def parsed(self) -> list:
        import email
        from email import policy

        return [email.message_from_bytes(m, policy=policy.default) for m in self.messages]


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_port():
    """A port reserved for an SMTP server the test starts later (or never)."""
    server = SmtpServer()
    yield server
    server.stop()
