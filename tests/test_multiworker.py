"""Web and workers share nothing but the database and the broker: two workers with their
own data directories (as on two machines) produce every document, on PostgreSQL + Redis."""

from __future__ import annotations

import pytest
from conftest import wait_for_state
from helpers import load_data, pdf_text

SLUG = "kooperationsvereinbarung"
pytestmark = pytest.mark.slow


def test_two_workers_without_shared_disk(
    make_app, postgres_server, postgres_template, redis_server, start_worker, tmp_path
):
    app = make_app(
        broker_url=redis_server.url,
        SQLALCHEMY_DATABASE_URI=postgres_server.create_database(postgres_template),
    )
    dirs = [tmp_path / "machine-a", tmp_path / "machine-b"]
    for d in dirs:
        d.mkdir()
    workers = [start_worker(app, TOOLBOX_DATA_DIR=str(d)) for d in dirs]
    client = app.test_client()
    tokens = []
    for i in range(6):
        data = load_data(SLUG)
        data["parteien"][1]["name"] = f"Selbsthilfegruppe Nummer {i}"
        response = client.post("/api/v1/submissions", json={"instrument": SLUG, "data": data})
        tokens.append(response.get_json()["token"])
    for i, token in enumerate(tokens):
        body = wait_for_state(client, token)
        assert body["state"] == "done"
        pdf = next(d for d in body["documents"] if d["format"] == "pdf")
        assert f"Selbsthilfegruppe Nummer {i}" in pdf_text(client.get(pdf["url"]).data)
    done = sum(w.log().count(" done: ") for w in workers)
    assert done == 6
    for d in dirs:  # nothing the web needs was written to a worker's disk
        assert not list(d.rglob("*.pdf")) and not list(d.rglob("*.docx"))
