"""The whole intake in Chromium: an office uploads a CSV and sees its entries; an API key made on the page lets an
accounting program post the next madde over HTTP, and the journal screen shows both with who sent what."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.journal.conftest import sale

pytestmark = pytest.mark.browser

CSV = ("\ufeffmadde_no;tarih;hesap_kodu;hesap_adi;alt_hesap_kodu;alt_hesap_adi;borc;alacak;belge_turu;belge_no;"
       "belge_tarihi;odeme_sekli;aciklama\n"
       "1;03.11.2026;100;KASA;;;1.180,00;;;;;NAKİT;Peşin satış\n"
       "1;03.11.2026;600;YURT İÇİ SATIŞLAR;600.01;Tekstil;;1.000,00;fatura;ANA2026000000001;03.11.2026;;Peşin satış\n"
       "1;03.11.2026;391;HESAPLANAN KDV;;;;180,00;;;;;Peşin satış\n")


def test_upload_a_csv_then_post_over_the_api_and_see_both(live_server, page, demo_pki, tmp_path):
    anadolu = demo_pki.token("anadolu")
    log_in(page, live_server.url, anadolu)
    page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="e-Defter").click()
    page.locator("#yevmiye-kayitlari").click()
    expect(page.get_by_role("heading", name="Yevmiye Kayıtları")).to_be_visible()
    expect(page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="e-Defter")) \
        .to_have_attribute("aria-current", "page")

    page.get_by_role("navigation", name="Yevmiye Kayıtları").get_by_role("link", name="Dosya Yükle").click()
    upload = tmp_path / "kasim.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.get_by_label("Dönem").fill("2026-11")
    page.get_by_label("Dosya (CSV ya da XLSX)").set_input_files(str(upload))
    page.get_by_role("button", name="Yükle").click()
    expect(page.get_by_text("1 madde (3 satır) 2026-11 dönemine alındı.")).to_be_visible()
    expect(page.locator("#maddeler")).to_contain_text("YURT İÇİ SATIŞLAR")
    expect(page.locator("#maddeler")).to_contain_text("1.180,00")

    page.get_by_role("navigation", name="Yevmiye Kayıtları").get_by_role("link", name="API Anahtarları").click()
    page.get_by_label("Anahtar Adı").fill("Mikro")
    page.get_by_role("button", name="Anahtar Oluştur").click()
    token = page.locator("#yeni-anahtar code").inner_text()
    answer = requests.post(f"{live_server.url}/api/v1/mukellefler/{anadolu.owner_id}/donemler/2026-11/maddeler",
                           json={"maddeler": [sale("2", "2026-11-05")]}, headers={"Authorization": f"Bearer {token}"},
                           timeout=10)
    assert answer.status_code == 201, answer.text

    page.goto(f"{live_server.url}/edefter/yevmiye-kayitlari/donem?donem=2026-11")
    expect(page.locator("#donem-durumu")).to_have_text("Kayıt Alınıyor")
    expect(page.locator("#gonderimler")).to_contain_text("API anahtarı: Mikro")
    expect(page.locator("#gonderimler")).to_contain_text("kasim.csv")
    expect(page.locator("#maddeler tbody.madde")).to_have_count(2)
    page.get_by_label("Ara").fill("ANA2026000000002")
    page.get_by_role("button", name="Ara").click()
    expect(page.locator("#maddeler tbody.madde")).to_have_count(1)
    expect(page.locator("#maddeler")).to_contain_text("Peşin satış 2")
