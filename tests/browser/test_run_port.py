"""The README's tip `PORT=8000 make run`: started the real way (make → honcho → gunicorn,
celery worker and beat) on a free port, the links in the email, the participants' link and
its QR code point at that port and open in a real browser (issue 19, "Done when")."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from conftest import free_port, wait_for_port
from helpers import PASSWORD, ROOT, SHARED, csrf_token, load_data

from toolbox.documents.qr import qr_svg

pytestmark = pytest.mark.slow

SLUG = "erstgespraech"


@pytest.fixture
def make_run(tmp_path, data_dir, smtp_server):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOLBOX_")}
    env.pop("PORT", None)
    env.update(
        TOOLBOX_DATA_DIR=str(data_dir),
        TOOLBOX_SMTP_URL=smtp_server.url,
        WEB_CONCURRENCY="1",
        WORKER_CONCURRENCY="1",
    )
    log_path = tmp_path / "make-run.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: honcho, gunicorn, celery
        )
    try:
        try:
            wait_for_port(port, timeout=120)
        except TimeoutError:
            pytest.fail(f"make run did not listen on {port}:\n{log_path.read_text()[-3000:]}")
        wait_until_serving(port, log_path)
        yield port, log_path, env
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_serving(port: int, log_path, timeout: float = 120) -> None:
    """gunicorn listens before its workers have loaded the app: wait for an answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get(f"http://127.0.0.1:{port}/healthz")
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"make run did not answer on {port}:\n{log_path.read_text()[-3000:]}")


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback http
        return response.status, response.read().decode()


def test_email_link_points_at_the_port_make_run_listens_on(make_run, smtp_server, browser):
    port, log_path, _ = make_run
    body = json.dumps(
        {"instrument": SLUG, "data": load_data(SLUG), "email": "person@example.org"}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/submissions",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        assert response.status == 202
        created = json.load(response)
    assert created["page_url"].startswith(f"http://127.0.0.1:{port}/s/")

    deadline = time.monotonic() + 120
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.2)
    assert smtp_server.messages, f"no email arrived:\n{log_path.read_text()[-3000:]}"
    message = smtp_server.parsed()[0]
    text = message.get_body(("plain",)).get_content()
    links = re.findall(r"https?://\S+", text)
    assert links, text
    assert all(link.startswith(f"http://127.0.0.1:{port}/") for link in links), links
    assert f"http://127.0.0.1:{port}/s/{created['token']}" in links
    assert created["token"] in links[0]
    page = browser.new_page(locale="de-DE")
    try:
        response = page.goto(links[0])
        assert response.status == 200
        assert page.url == links[0]
        # the private page of this submission, its documents ready to download
        assert page.get_by_role("link", name="PDF").first.is_visible()
        assert page.locator(f'a[href*="{created["token"]}"]').count() > 0
    finally:
        page.close()


def test_participant_link_and_qr_code_point_at_the_port(make_run, browser):
    port, log_path, env = make_run
    base = f"http://127.0.0.1:{port}"
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "toolbox"), "create-user", "leitung@example.org"]
        + ["--admin", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    client = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def page(path: str, form: list[tuple[str, str]] | None = None) -> tuple[str, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with client.open(base + path, data=data, timeout=60) as response:
            return response.geturl(), response.read().decode()

    _, html = page("/login")
    page(
        "/login",
        [
            ("csrf_token", csrf_token(html)),
            ("email", "leitung@example.org"),
            ("password", PASSWORD),
        ],
    )
    _, html = page("/dashboard/workshops/neu")
    form = [
        ("csrf_token", csrf_token(html)),
        ("title", "Kooperation gestalten"),
        ("date", "2026-11-22"),
        ("place", "Selbsthilfezentrum München"),
        *SHARED.items(),
        ("instruments", "kooperationsvereinbarung"),
    ]
    detail_url, html = page("/dashboard/workshops/neu", form)
    assert re.search(r"/dashboard/workshops/\d+$", detail_url), detail_url
    link = re.search(rf"{re.escape(base)}/w/[A-Za-z0-9_-]+", html).group(0)
    assert "eingestellten Adresse (TOOLBOX_BASE_URL)" not in html  # no wrong-address warning
    participant = browser.new_page(locale="de-DE")
    try:
        response = participant.goto(link)
        assert response.status == 200
        offer = participant.get_by_role("link", name=re.compile("Kooperationsvereinbarung"))
        assert offer.first.is_visible()
        offer.first.click()  # the form opens, on the same port
        assert participant.url.startswith(f"{base}/") and participant.locator("form").count()
    finally:
        participant.close()
    _, svg = page(urllib.parse.urlsplit(detail_url).path + "/qr.svg")
    assert svg.encode() == qr_svg(link, title=f"QR-Code: {link}")
