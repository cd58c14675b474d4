"""GİB'e Gönderim in Chromium: the demo month created, signed with one PIN, sent to GİB's simulator (slowed so the
sending takes a while), "GİB Onaylandı" shown without a page reload, then the package downloaded with GİB's
sealed berats in it."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db import get_session
from app.edefter.creation.demo import load_demo_journal
from app.formatting import local_today
from app.models import Taxpayer
from app.unit_of_work import unit_of_work
from tests.fixtures.browser import log_in
from tests.fixtures.gib import gib_seal_settings, new_key

pytestmark = pytest.mark.browser


class _Slow:
    """GİB takes a moment over each file, as the real one does."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if "/edefter/files/" in environ.get("PATH_INFO", ""):
            time.sleep(0.3)
        return self.app(environ, start_response)


def test_a_company_sends_its_month_and_sees_gib_approve_it_without_a_reload(
        live_server, page: Page, demo_pki, gib_simulator_factory, tmp_path):  # type: ignore[no-untyped-def]
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki),
                                      middleware=_Slow)
    live_server.app.config["GIB_URL"] = simulator.base_url
    anadolu = demo_pki.token("anadolu")
    simulator.client.register_taxpayer(anadolu.owner_id, anadolu.owner_name, idempotency_key=new_key())
    log_in(page, live_server.url, anadolu)
    year = local_today().year
    with live_server.app.app_context():
        taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == anadolu.owner_id))
        with unit_of_work() as work:
            list(load_demo_journal(work.session, taxpayer, year))

    page.goto(f"{live_server.url}/defter/")
    page.get_by_role("row", name=f"{year}/01").get_by_role("link", name="Defter Oluştur").click()
    page.get_by_role("button", name="Oluştur").click()
    expect(page.locator("#donem-durumu")).to_contain_text("İmza Bekleniyor")
    page.get_by_label("Sertifika").select_option(anadolu.label)
    page.get_by_role("button", name="İmzala").click()
    page.get_by_label("Şifre").fill(anadolu.pin)
    page.get_by_role("button", name="Onayla").click()
    expect(page.locator("#imza-sonucu")).to_contain_text(anadolu.owner_name)
    expect(page.locator("#gonderim-durumu")).to_have_text("İmzalandı")

    page.evaluate("window.__ayniSayfa = true")  # gone if the page were loaded again
    page.get_by_role("button", name="GİB'e Gönder").click()
    expect(page.locator("#gonderim-durumu")).to_have_text("GİB Onaylandı", timeout=30_000)
    assert page.evaluate("window.__ayniSayfa === true")
    rows = page.locator("#gonderim-listesi tbody tr")
    expect(rows.first).to_contain_text("GİB Onaylandı")
    expect(page.locator("#gonderim-listesi")).to_contain_text(f"GIB-{anadolu.owner_id}-{year}01-YB-000001.xml")
    expect(page.locator("#gonderim-listesi")).not_to_contain_text("Hata")

    with page.expect_download() as download:
        page.locator("#zip-indir").click()
    data = (tmp_path / "paket.zip")
    download.value.save_as(data)
    with zipfile.ZipFile(io.BytesIO(data.read_bytes())) as archive:
        names = archive.namelist()
    assert f"GIB-{anadolu.owner_id}-{year}01-YB-000001.xml" in names and "SHA256SUMS.txt" in names

    page.get_by_role("link", name="Doğrula", exact=True).first.click()
    expect(page.locator("#rapor")).to_contain_text("GİB mührü geçerli: Gelir İdaresi Başkanlığı")
