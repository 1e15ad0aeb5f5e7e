"""Files on disk: the outbox copies of an email go with their submission (deletion on
request and retention purge), and the data directory, database, secret key and outbox
files are owner-only whatever the umask."""

from __future__ import annotations

import os
import stat
from datetime import timedelta

import pytest
from helpers import post_action, render_now, submit

from toolbox.app import create_app
from toolbox.core.db import utcnow
from toolbox.core.extensions import db
from toolbox.ops.sweeper import purge
from toolbox.submissions.tasks import send_documents

CANARY = "kanarienvogel-5c1e"


def files_containing(root, needle: bytes) -> list[str]:
    return [str(path) for path in root.rglob("*") if path.is_file() and needle in path.read_bytes()]


def sent_to_outbox(app, client, address: str) -> tuple[int, int]:
    """A submission whose documents email went to the outbox; (submission id, other id)."""
    submission_id = render_now(app, submit(client, email=address))
    other_id = render_now(app, submit(client, email="bleibt@example.org"))
    with app.app_context():
        send_documents(submission_id)
        send_documents(other_id)
    return submission_id, other_id


def test_deleting_a_submission_deletes_its_outbox_mail(app, client, admin, data_dir):
    submission_id, _ = sent_to_outbox(app, client, f"{CANARY}@example.org")
    assert files_containing(data_dir / "outbox", CANARY.encode())
    assert len(list((data_dir / "outbox").glob("*.eml"))) == 2

    response = post_action(admin, submission_id, "loeschen", confirm="ja")
    assert response.status_code == 303
    assert files_containing(data_dir, CANARY.encode()) == []
    # the other submission's mail stays
    [kept] = (data_dir / "outbox").glob("*.eml")
    assert b"bleibt@example.org" in kept.read_bytes()


def test_retention_purge_deletes_the_outbox_mail(app, client, data_dir):
    sent_to_outbox(app, client, f"{CANARY}@example.org")
    assert files_containing(data_dir / "outbox", CANARY.encode())
    with app.app_context():
        later = utcnow() + timedelta(days=app.config["TOOLBOX_RETENTION_DAYS"] + 1)
        assert purge(now=later)["submissions"] == 2
    assert files_containing(data_dir, CANARY.encode()) == []
    assert list((data_dir / "outbox").glob("*.eml")) == []


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_files_are_owner_only_whatever_the_umask(tmp_path, monkeypatch, loose_umask):
    data_dir = tmp_path / "frisch"  # created by the app
    for key in list(os.environ):
        if key.startswith("TOOLBOX_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("TOOLBOX_DATA_DIR", str(data_dir))
    app = create_app({"TESTING": True})
    with app.app_context():
        db.create_all()
        db.session.execute(db.text("SELECT 1"))
        db.session.commit()
        client = app.test_client()
        submission_id = render_now(app, submit(client, email=f"{CANARY}@example.org"))
        send_documents(submission_id)
        db.engine.dispose()
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "secret_key") == 0o600
    assert mode(data_dir / "toolbox.sqlite") == 0o600
    assert mode(data_dir / "outbox") == 0o700
    [eml] = (data_dir / "outbox").glob("*.eml")
    assert mode(eml) == 0o600
    loose = [str(path) for path in data_dir.rglob("*") if path.is_file() and mode(path) & 0o077]
    assert loose == []
