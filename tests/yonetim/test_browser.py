"""The Yönetim GİB check in Chromium: the portal on a socket (CSRF on), a real worker process, the simulator.
The first visit starts a check by itself; the widget polls until the answer is there; the button starts another."""

from __future__ import annotations

import os
import uuid

import pytest
from playwright.sync_api import expect

from app.gib.client import SeedAlias
from app.migrate import upgrade
from tests.databases import sqlite_url
from tests.fixtures.browser import log_in, serve
from tests.jobs.workers import Portal

pytestmark = pytest.mark.browser


@pytest.fixture
def portal_with_worker(tmp_path, demo_pki, gib_simulator):
    from tests.conftest import make_test_app

    url = sqlite_url(tmp_path)
    upgrade(url)
    settings = {"JOBS_URL": "", "JOBS_QUEUE": f"ebelge-test-{uuid.uuid4().hex[:10]}", "JOBS_HEARTBEAT_SECONDS": 1,
                "GIB_URL": gib_simulator.base_url}
    app = make_test_app(url, tmp_path / "instance", demo_pki, WTF_CSRF_ENABLED=True, **settings)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update({"PORTAL_MODE": "test", "PORTAL_DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(tmp_path / "instance")})
    env.update({f"PORTAL_{name}": str(value) for name, value in settings.items()})
    portal = Portal(app, env, settings["JOBS_QUEUE"], tmp_path)
    server, thread, base_url = serve(app)
    yield portal, base_url
    server.shutdown()
    thread.join(5)
    for worker in portal.workers:
        worker.stop()
    app.extensions["ebelge.jobs"].huey.storage.close()
    app.extensions["ebelge.db"].engine.dispose()


def test_the_first_visit_checks_by_itself_and_the_button_checks_again(portal_with_worker, page, demo_pki, gib_simulator):
    portal, base_url = portal_with_worker
    token = demo_pki.token("anadolu")
    gib_simulator.client.register_taxpayer(
        token.owner_id, token.owner_name, aliases=[SeedAlias("Invoice", "PK", "urn:mail:defaultpk@anadolu.com.tr")],
        idempotency_key=f"kayit-{token.owner_id}",
    )
    portal.start_worker()
    log_in(page, base_url, token)

    page.goto(base_url + "/yonetim/")
    answer = page.get_by_text("Bilgisayarınızın saati GİB saati ile uyumlu.")
    expect(answer).to_be_visible(timeout=30_000)  # started on load, run by the worker, polled until done
    expect(page.get_by_text("urn:mail:defaultpk@anadolu.com.tr")).to_be_visible()
    expect(page.locator("progress[value='100']")).to_be_visible()

    page.get_by_role("button", name="Şimdi Kontrol Et").click()
    expect(page.locator(".job-status")).to_have_count(1)
    expect(answer).to_be_visible(timeout=30_000)
    page.goto(base_url + "/islemler/")
    expect(page.get_by_role("link", name="GİB Bağlantı Kontrolü")).to_have_count(2)
    expect(page.get_by_text("Tamamlandı")).to_have_count(2)
