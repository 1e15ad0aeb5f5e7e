"""A real gunicorn for the tests that need several web processes (test_hardening,
test_abuse_run)."""

from __future__ import annotations

import contextlib
import http.client
import os
import subprocess
import sys
from pathlib import Path

from conftest import free_port, wait_for_port
from helpers import ROOT


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py "toolbox.app:create_app()"`, as the Procfile starts it."""

    def __init__(self, app, data_dir: Path, log: Path, workers: int = 3, **env):
        self.port = free_port()
        self.log_path = log
        base = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
        base.update(
            TOOLBOX_DATA_DIR=str(data_dir),
            TOOLBOX_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            TOOLBOX_BROKER_URL=app.config["TOOLBOX_BROKER_URL"],
            PORT=str(self.port),
            WEB_CONCURRENCY=str(workers),
            WEB_THREADS="1",
        )
        base.update(env)
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "toolbox.app:create_app()",
            ],
            cwd=ROOT,
            env=base,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, 9)
                self.process.wait()
        self._log.close()
