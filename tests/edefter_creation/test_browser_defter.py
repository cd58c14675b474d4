"""Defter Oluştur in Chromium: the demo month created (the job's progress), then signed with one PIN."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.db import get_session
from app.edefter.creation.demo import ENTRY_COUNT, load_demo_journal
from app.formatting import local_today
from app.models import Taxpayer
from app.unit_of_work import unit_of_work
from tests.fixtures.browser import log_in
from tests.fixtures.gib import gib_seal_settings

pytestmark = pytest.mark.browser


def test_a_company_creates_and_signs_its_month_in_the_browser(live_server, page: Page, demo_pki,
                                                              gib_simulator_factory):  # type: ignore[no-untyped-def]
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki))
    live_server.app.config["GIB_URL"] = simulator.base_url
    anadolu = demo_pki.token("anadolu")
    log_in(page, live_server.url, anadolu)
    year = local_today().year
    with live_server.app.app_context():
        taxpayer = get_session().scalar(select(Taxpayer).where(Taxpayer.identifier == anadolu.owner_id))
        with unit_of_work() as work:
            list(load_demo_journal(work.session, taxpayer, year))

    page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="e-Defter").click()
    page.locator("#defter-olustur").click()
    expect(page.get_by_role("heading", name="e-Defter > Defter Oluştur")).to_be_visible()
    page.get_by_role("row", name=f"{year}/01").get_by_role("link", name="Defter Oluştur").click()
    expect(page.locator("#hazirlik")).to_contain_text("Hesap döneminin ilk ayı")

    page.get_by_role("button", name="Oluştur").click()
    expect(page.locator(".job-status")).to_contain_text("Tamamlandı")
    expect(page.locator("#donem-durumu")).to_contain_text("İmza Bekleniyor")
    files = page.locator("#dosya-listesi tbody tr")
    expect(files.first).to_contain_text(f"{anadolu.owner_id}-{year}01-Y-000001.xml")
    expect(files.first).to_contain_text(str(ENTRY_COUNT))

    page.get_by_label("Sertifika").select_option(anadolu.label)
    page.get_by_role("button", name="İmzala").click()
    expect(page.get_by_text("İmza için kullanacağınız sertifika")).to_be_visible()
    expect(page.locator("#onay-ekrani")).to_contain_text(anadolu.owner_id)
    page.get_by_label("Şifre").fill(anadolu.pin)
    page.get_by_role("button", name="Onayla").click()

    expect(page.locator("#flash-area")).to_contain_text(f"{year}/01 dönemi defterleri, beratları ve defter raporu imzalandı.")
    expect(page.locator("#imza-sonucu")).to_contain_text(anadolu.owner_name)
    expect(page.locator("#dosya-listesi")).to_contain_text(f"{anadolu.owner_id}-{year}01-DR-000000.xml")
    expect(page.locator("#dosya-listesi")).not_to_contain_text("İmza bekleniyor")
    expect(page.locator("#dosya-listesi")).not_to_contain_text("İmza geçersiz")
    page.get_by_role("link", name="İmza geçerli").first.click()
    expect(page.locator("#rapor")).to_contain_text("İmza geçerli: belge Anadolu Tekstil")
    page.get_by_role("link", name="Döneme dön").click()
    with page.expect_download() as download:
        page.locator("#zip-indir").click()
    assert download.value.suggested_filename == f"{anadolu.owner_id}-{year}01-edefter.zip"
