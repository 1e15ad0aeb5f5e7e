"""A small HTTP client for the JSON API (http.client, one keep-alive connection each)."""

from __future__ import annotations

import http.client
import json
import time

DONE_STATES = ("done", "failed")


class Client:
    """Not thread-safe: every load-generating thread has its own."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        """One request; a dropped keep-alive connection is reopened once."""
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, self.timeout)
            try:
                self.conn.request(method, path, payload, headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def json(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        status, data = self.request(method, path, body)
        return status, json.loads(data) if data else {}

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def submit(client: Client, submit_path: str, slug: str, data: dict) -> str:
    status, body = client.json("POST", submit_path, {"instrument": slug, "data": data})
    if status != 202:
        raise RuntimeError(f"submit {slug}: HTTP {status} {body}")
    return body["token"]


def wait_done(client: Client, token: str, poll: float, timeout: float = 120) -> dict:
    """Poll the status until the job is done; a failed job is an error of the bench."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = client.json("GET", f"/api/v1/submissions/{token}")
        if status != 200:
            raise RuntimeError(f"status {token[:8]}…: HTTP {status}")
        if body["state"] in DONE_STATES:
            if body["state"] == "failed":
                raise RuntimeError(f"job failed: {body.get('error')}")
            return body
        time.sleep(poll)
    raise TimeoutError(f"submission {token[:8]}… not done after {timeout} s")
