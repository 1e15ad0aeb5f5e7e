"""Faults with real processes: a private redis-server, `celery worker` subprocesses that
the tests kill or stop, aiosmtpd. Nothing inside the workers is mocked; a slow or a
crashing render comes from the two test hooks of tests/fault_worker.py, which the worker
fixture starts instead of `worker` when they are set (TOOLBOX_TEST_RENDER_DELAY,
TOOLBOX_TEST_RENDER_CRASH); production code reads no test hooks.

Where a worker dies mid-task the database still says `running`; the sweeper recovers such
jobs after RUNNING_TIMEOUT, which the tests reach by calling it with a later `now`.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis
from conftest import wait_for_state
from helpers import load_data, submit

from toolbox.core.db import utcnow
from toolbox.jobs.recovery import MAX_ATTEMPTS
from toolbox.ops.sweeper import RUNNING_TIMEOUT, sweep
from toolbox.submissions.models import Document, Event, Job, Submission

pytestmark = pytest.mark.slow

SLUG = "kooperationsvereinbarung"
POISON = "raumnutzung"
KILLED = "exited with 'signal 9 (SIGKILL)'"  # Celery's line for a lost pool process
LATER = RUNNING_TIMEOUT + timedelta(seconds=5)
# Every transition a job or an email may make (design: States).
LEGAL = {
    "job": {(None, "queued"), ("queued", "running"), ("running", "done"), ("running", "failed")}
    | {("running", "queued"), ("failed", "queued")},
    "email": {(None, "pending"), ("pending", "pending"), ("pending", "sent")}
    | {("pending", "failed"), ("failed", "pending"), ("sent", "pending")},
}


def wait_until(condition, timeout: float = 90, what: str = "", log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    tail = log()[-3000:] if log else ""
    raise TimeoutError(f"{what} did not happen\n{tail}")


def job_of(app, token: str) -> dict:
    with app.app_context():
        submission = Submission.query.filter_by(token=token).one()
        job = submission.job
        events = (
            Event.query.filter_by(submission_id=submission.id).order_by(Event.at, Event.id).all()
        )
        return {
            "id": job.id,
            "state": job.state,
            "attempts": job.attempts,
            "error": job.error,
            "documents": sorted(d.format for d in submission.documents),
            "events": [(e.kind, e.state) for e in events],
        }


def assert_legal_transitions(events: list[tuple[str, str]]) -> None:
    for kind in ("job", "email"):
        states = [state for k, state in events if k == kind]
        for before, after in zip([None, *states], states, strict=False):
            assert (before, after) in LEGAL[kind], (kind, states)


def children(pid: int) -> list[int]:
    """The pool processes of a worker we started (read from /proc, no names matched)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                found.append(int(entry))
    return found


def test_killed_pool_process_mid_render_is_rerun_once(make_app, redis_server, start_worker):
    """SIGKILL to the process rendering: the message goes back to the queue
    (acks_late + reject_on_worker_lost), the job is recovered and ends `done` with
    exactly one set of documents."""
    app = make_app(broker_url=redis_server.url)
    worker = start_worker(app, TOOLBOX_TEST_RENDER_DELAY="4")
    client = app.test_client()
    token = submit(client)
    wait_for_state(client, token, states=("running",))
    [child] = children(worker.process.pid)
    os.kill(child, signal.SIGKILL)
    # the message comes back at once, finds the job still `running` and leaves it
    wait_until(lambda: "already claimed" in worker.log(), what="redelivery", log=worker.log)
    assert job_of(app, token)["state"] == "running"
    with app.app_context():
        assert sweep(now=utcnow() + LATER)["recovered"] == 1
    body = wait_for_state(client, token, timeout=120)
    assert body["state"] == "done", worker.log()[-3000:]
    job = job_of(app, token)
    assert job["attempts"] == 2 and job["documents"] == ["docx", "pdf"]
    assert [s for k, s in job["events"] if k == "job"] == [
        "queued",
        "running",
        "queued",
        "running",
        "done",
    ]
    assert_legal_transitions(job["events"])
    with app.app_context():
        assert Document.query.count() == 2


def test_sigterm_mid_task_loses_nothing(make_app, redis_server, start_worker):
    """A stopped worker (deploy, reboot) finishes the task it runs and takes no new one;
    what is still queued waits in Redis for the next worker."""
    app = make_app(broker_url=redis_server.url)
    first = start_worker(app, TOOLBOX_TEST_RENDER_DELAY="3")
    client = app.test_client()
    tokens = [submit(client) for _ in range(2)]
    wait_for_state(client, tokens[0], states=("running",))
    first.process.send_signal(signal.SIGTERM)
    first.process.wait(90)
    states = {token: job_of(app, token)["state"] for token in tokens}
    assert "running" not in states.values(), first.log()[-3000:]
    assert states[tokens[0]] == "done"  # warm shutdown: the running task was finished
    start_worker(app)
    for token in tokens:
        assert wait_for_state(client, token, timeout=120)["state"] == "done"
        job = job_of(app, token)
        assert job["attempts"] == 1 and job["documents"] == ["docx", "pdf"]


def test_poison_job_fails_after_max_attempts_and_others_go_on(make_app, redis_server, start_worker):
    """A render that kills its process every time: given up after MAX_ATTEMPTS with a
    readable error, no endless loop, and the jobs behind it are done."""
    app = make_app(broker_url=redis_server.url)
    worker = start_worker(app, TOOLBOX_TEST_RENDER_CRASH=POISON)
    client = app.test_client()
    poison = submit(client, POISON)
    healthy = submit(client)
    assert wait_for_state(client, healthy, timeout=120)["state"] == "done"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        wait_until(
            lambda n=attempt: (
                worker.log().count(KILLED) >= n and job_of(app, poison)["attempts"] == n
            ),
            what=f"crash {attempt}",
            log=worker.log,
        )
        with app.app_context():
            counts = sweep(now=utcnow() + LATER)
        key = "given_up" if attempt == MAX_ATTEMPTS else "recovered"
        assert counts[key] == 1, counts
    body = client.get(f"/api/v1/submissions/{poison}").get_json()
    assert body["state"] == "failed" and body["documents"] == []
    assert body["error"].startswith(f"Abgebrochen nach {MAX_ATTEMPTS} Versuchen:")
    assert "abgestürzt" in body["error"]
    # the worker goes on with other work, and the poison job does not come back
    after = submit(client)
    assert wait_for_state(client, after, timeout=120)["state"] == "done"
    with app.app_context():
        assert sweep(now=utcnow() + LATER) == {
            "requeued": 0,
            "recovered": 0,
            "given_up": 0,
            "emails": 0,
            "kits": 0,
        }
    assert worker.log().count(KILLED) == MAX_ATTEMPTS
    assert_legal_transitions(job_of(app, poison)["events"])


def test_duplicate_delivery_one_set_of_documents_one_email(
    make_app, redis_server, smtp_server, start_worker, tmp_path
):
    """A render longer than Redis' visibility timeout is handed to a second worker while
    the first still runs it: the second finds it claimed; one set of documents, one
    email, only legal transitions."""
    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_server.url)
    env = {"TOOLBOX_BROKER_VISIBILITY_TIMEOUT": "1", "TOOLBOX_SMTP_URL": smtp_server.url}
    # the first render is held until the second worker has found the job claimed
    release = tmp_path / "release"
    first = start_worker(app, TOOLBOX_TEST_RENDER_HOLD=str(release), **env)
    client = app.test_client()
    token = submit(client, email="doppelt@example.org")
    wait_for_state(client, token, states=("running",))
    time.sleep(1.5)  # the message is now older than the visibility timeout
    second = start_worker(app, **env)  # restores unacknowledged messages on start
    wait_until(lambda: "already claimed" in second.log(), what="redelivery", log=second.log)
    # still held: the second worker did not render it
    assert client.get(f"/api/v1/submissions/{token}").get_json()["state"] == "running"
    release.touch()
    assert wait_for_state(client, token, timeout=120)["state"] == "done"
    wait_until(
        lambda: client.get(f"/api/v1/submissions/{token}").get_json()["email"]["state"] == "sent",
        what="email sent",
        log=first.log,
    )
    time.sleep(3)  # time for any duplicate to show
    assert len(smtp_server.messages) == 1
    job = job_of(app, token)
    assert job["attempts"] == 1 and job["documents"] == ["docx", "pdf"]
    assert job["events"].count(("job", "running")) == 1
    assert job["events"].count(("email", "sent")) == 1
    assert_legal_transitions(job["events"])


def test_fifty_submissions_two_workers_on_sqlite(make_app, start_worker):
    """The embedded default (SQLite database and broker) under a burst: all done, no
    "database is locked" anywhere."""
    app = make_app(TOOLBOX_SUBMIT_RATE_LIMIT="1000 per minute")
    workers = [start_worker(app), start_worker(app)]

    def post(i: int) -> str:
        data = load_data(SLUG)
        data["parteien"][1]["name"] = f"Gruppe {i:02d}"
        response = app.test_client().post(
            "/api/v1/submissions", json={"instrument": SLUG, "data": data}
        )
        assert response.status_code == 202, response.get_data()
        return response.get_json()["token"]

    with ThreadPoolExecutor(max_workers=10) as pool:
        tokens = list(pool.map(post, range(50)))
    client = app.test_client()
    for token in tokens:
        assert wait_for_state(client, token, timeout=300)["state"] == "done"
    with app.app_context():
        assert Document.query.count() == 100
        assert {job.attempts for job in Job.query.all()} == {1}
    for worker in workers:
        assert "database is locked" not in worker.log()
        assert "job" in worker.log() and "done" in worker.log()
    assert all("Traceback" not in worker.log() for worker in workers)


# --- no personal data on the broker or in logs -------------------------------------------------

CANARY = "Kanarienvogel-9Z4W"
CANARY_MAIL = "kanarienvogel.9z4w@example.org"


def broker_contents(url: str) -> list[bytes]:
    """Every value in Redis, and the decoded body of every queued message."""
    client = redis.Redis.from_url(url)
    values: list[bytes] = []
    for key in client.scan_iter():
        kind = client.type(key).decode()
        if kind == "list":
            values += client.lrange(key, 0, -1)
        elif kind == "hash":
            values += list(client.hgetall(key).values())
        elif kind == "string":
            values.append(client.get(key))
        elif kind == "zset":
            values += client.zrange(key, 0, -1)
        elif kind == "set":
            values += list(client.smembers(key))
        values.append(key)
    for value in list(values):
        try:
            message = json.loads(value)
        except ValueError:
            continue
        if isinstance(message, list):  # unacked entries: [message, exchange, routing key]
            message = message[0]
        if isinstance(message, dict) and "body" in message:
            values.append(base64.b64decode(message["body"]))
    return values


def test_no_personal_data_on_the_broker_or_in_logs(
    make_app, redis_server, smtp_server, start_worker, caplog
):
    app = make_app(broker_url=redis_server.url, TOOLBOX_SMTP_URL=smtp_server.url)
    client = app.test_client()
    data = load_data(SLUG)
    data["parteien"][1]["name"] = f"Selbsthilfegruppe {CANARY}"
    data["kosten"] = f"Ansprechperson {CANARY}, {CANARY_MAIL}"
    # SQL statements are logged too here: their values must not be (hide_parameters)
    with caplog.at_level("DEBUG"), caplog.at_level("INFO", logger="sqlalchemy.engine"):
        token = submit(client, data=data, email=CANARY_MAIL)
        client.get(f"/s/{token}")
        client.get(f"/api/v1/submissions/{token}")

    queued = broker_contents(redis_server.url)
    bodies = [v for v in queued if v.startswith(b"[[")]  # task arguments, decoded
    assert bodies and all(json.loads(body)[0] == [1] for body in bodies)
    for value in queued:
        assert CANARY.encode() not in value and CANARY_MAIL.encode() not in value

    worker = start_worker(app, TOOLBOX_SMTP_URL=smtp_server.url)
    assert wait_for_state(client, token, timeout=120)["state"] == "done"
    wait_until(
        lambda: client.get(f"/api/v1/submissions/{token}").get_json()["email"]["state"] == "sent",
        what="email sent",
        log=worker.log,
    )
    [message] = smtp_server.parsed()  # the canary did travel: to the submitter
    assert message["To"] == CANARY_MAIL and CANARY in message["Subject"]
    for value in broker_contents(redis_server.url):
        assert CANARY.encode() not in value and CANARY_MAIL.encode() not in value
    # the web side's log records (the test's own SMTP server, aiosmtpd, logs as mail.log)
    web_log = "\n".join(
        logging.Formatter().format(r) for r in caplog.records if r.name != "mail.log"
    )
    assert "INSERT INTO submission" in web_log
    for text in (worker.log(), web_log):
        assert CANARY not in text and CANARY_MAIL not in text
    assert "job 1 done" in worker.log()
