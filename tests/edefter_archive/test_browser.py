"""e-Defter Arşivi in Chromium: log in with the card, see the MB balance, upload a signed yevmiye, see it archived
with its checks and the balance down by its size, find it in the list and download it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.migrate import upgrade
from app.models import Taxpayer
from tests.databases import sqlite_url
from tests.edefter_archive.conftest import XSD_DIR, give_mb
from tests.edefter_archive.files import signed_yevmiye
from tests.fixtures.browser import log_in, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_upload_a_signed_yevmiye_and_find_it_in_the_archive(page, demo_pki, tmp_path):  # type: ignore[no-untyped-def]
    from tests.conftest import make_test_app

    url = sqlite_url(tmp_path)
    upgrade(url)
    app = make_test_app(url, tmp_path / "instance", demo_pki, WTF_CSRF_ENABLED=True, EDEFTER_XSD_DIR=str(XSD_DIR))
    anadolu = demo_pki.token("anadolu")
    with app.extensions["ebelge.db"].sessions() as session:
        taxpayer = Taxpayer(identifier=anadolu.owner_id, unvan=anadolu.owner_name)
        session.add(taxpayer)
        session.commit()
        session.expunge(taxpayer)
    give_mb(app, taxpayer, 10)
    yevmiye = signed_yevmiye(tmp_path / f"{anadolu.owner_id}-202312-Y-000001.xml", demo_pki, "anadolu")
    server, thread, base_url = serve(app)
    try:
        log_in(page, base_url, anadolu)
        page.goto(f"{base_url}/edefter-arsivi/")
        expect(page.get_by_role("heading", name="e-Defter > e-Defter Arşivi")).to_be_visible()
        expect(page.locator('#kontor-bakiye .kontor-kalan[data-birim="mb"]')).to_have_text("10")

        page.get_by_label("e-Defter dosyası (.xml) veya dosyaların .zip arşivi").set_input_files(str(yevmiye))
        page.get_by_role("button", name="Yükle").click()

        row = page.locator("#sonuc-tablosu tbody tr").first
        expect(row).to_contain_text("Yevmiye defteri")
        expect(row).to_contain_text("Saklandı")
        expect(page.locator('#kontor-bakiye .kontor-kalan[data-birim="mb"]')).to_have_text("9")

        page.get_by_role("link", name="‹ e-Defter Arşivi").click()
        page.get_by_label("Yıl:").select_option("2023")
        page.get_by_role("button", name="Listele").click()
        listed = page.locator("#arsiv-dosyalari tbody tr").first
        expect(listed).to_contain_text("12/2023")
        expect(listed).to_contain_text("İmza geçerli")
        with page.expect_download() as download:
            listed.get_by_role("link", name="İndir").click()
        assert download.value.suggested_filename == yevmiye.name
        assert download.value.path().read_bytes() == yevmiye.read_bytes()
    finally:
        server.shutdown()
        thread.join(5)
        app.extensions["ebelge.db"].engine.dispose()
