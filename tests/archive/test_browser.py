"""Belge Saklama in Chromium with a real worker: log in, see the kontör, upload a zip of 3,000 signed invoices,
watch the progress bar move, and see the balance drop by exactly the number stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.migrate import upgrade
from app.models import Taxpayer
from tests.archive.conftest import activate_saklama, give_kontor
from tests.databases import sqlite_url
from tests.fixtures.browser import log_in, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def test_upload_a_zip_watch_the_progress_and_the_balance_drop(page, demo_pki, tmp_path, distinct_corpus):
    from tests.conftest import make_test_app

    url = sqlite_url(tmp_path)
    upgrade(url)
    settings = {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}", "JOBS_HEARTBEAT_SECONDS": 1}
    app = make_test_app(url, tmp_path / "instance", demo_pki, WTF_CSRF_ENABLED=True, **settings)
    anadolu = demo_pki.token("anadolu")
    with app.extensions["ebelge.db"].sessions() as session:
        taxpayer = Taxpayer(identifier=anadolu.owner_id, unvan=anadolu.owner_name)
        session.add(taxpayer)
        session.commit()
        activate_saklama(session, taxpayer)
        session.expunge(taxpayer)
    give_kontor(app, taxpayer, 5000)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update({"PORTAL_MODE": "test", "PORTAL_DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(tmp_path / "instance"),
                "PORTAL_TRUST_ANCHORS": str(demo_pki.ca_cert_path), "PORTAL_GIB_URL": "http://127.0.0.1:9",
                **{f"PORTAL_{k}": str(v) for k, v in settings.items()}})
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen([sys.executable, "-m", "app.jobs.worker"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    server, thread, base_url = serve(app)
    try:
        zip_path = tmp_path / "eski-faturalar.zip"
        zip_path.write_bytes(distinct_corpus)
        log_in(page, base_url, anadolu)
        page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="Yönetim").click()
        page.get_by_role("navigation", name="Yönetim").get_by_role("link", name="Belge Saklama").click()
        expect(page.locator('#kontor-bakiye .kontor-kalan[data-birim="adet"]')).to_have_text("5000")

        page.get_by_label("İmzalı belge (.xml) veya belgelerin .zip arşivi").set_input_files(str(zip_path))
        page.get_by_role("button", name="Yükle").click()

        bar = page.locator(".job-status progress")
        expect(bar).to_be_visible()
        expect(page.locator(".job-status .job-phrase")).to_contain_text("belge işlendi", timeout=60_000)
        expect(page.locator(".job-status .job-state")).to_have_text("Tamamlandı", timeout=180_000)
        expect(page.locator(".job-status .saklanan-sayisi")).to_have_text("3000")
        expect(page.locator('.job-status .kontor-kalan[data-birim="adet"]')).to_have_text("2000")
        page.get_by_role("link", name="Her dosyanın sonucu").click()
        expect(page.locator("#sonuc-tablosu tbody tr").first).to_contain_text("Saklandı")
    finally:
        worker.terminate()
        worker.wait(15)
        log.close()
        server.shutdown()
        thread.join(5)
        app.extensions["ebelge.db"].engine.dispose()
