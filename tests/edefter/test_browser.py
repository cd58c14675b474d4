"""A company that joins mid-period, in Chromium: card login, Firma Ayarları, then its last signed yevmiye."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.edefter.conftest import settings_form, zipped
from tests.fixtures.browser import log_in

pytestmark = pytest.mark.browser

TEXT_FIELDS = ("unvan", "bina_no", "cadde_sokak", "il", "posta_kodu", "ulke", "telefon", "eposta", "web_sitesi",
               "nace_aciklama")
DATE_FIELDS = ("donem_baslangic", "donem_bitis", "ilk_gecis_tarihi", "kurulus_tarihi")


def fill_settings(page: Page, form: dict[str, str]) -> None:
    for name in TEXT_FIELDS + DATE_FIELDS + ("bolme_boyutu", "nace_kodu"):
        page.locator(f"#{name}").fill(form[name])
    page.get_by_label("GİB e-Defter Uygulaması başvurusu yapıldı").check()


def test_company_enters_its_settings_and_proves_its_last_yevmiye_number(live_server, page, demo_pki,
                                                                       signed_yevmiye, tmp_path):
    anadolu = demo_pki.token("anadolu")
    log_in(page, live_server.url, anadolu)
    page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="e-Defter").click()
    expect(page.get_by_role("heading", name="e-Defter > Firma İşlemleri")).to_be_visible()
    page.get_by_role("link", name="Firma Ayarları").first.click()
    expect(page.get_by_label("Unvan")).to_have_value(anadolu.owner_name)

    fill_settings(page, settings_form(nace_kodu="62.1"))
    page.get_by_role("button", name="Kaydet").click()
    errors = page.locator("#form-hatalari")
    expect(errors).to_contain_text("Kaydedilmedi: formda 1 eksik ya da hatalı alan var.")
    expect(page.locator("#nace_kodu-hata")).to_contain_text("geçerli bir NACE kodu değil")
    expect(page.get_by_label("Telefon")).to_have_value("0232 123 45 67")  # the rest of the input is kept

    page.get_by_label("NACE Kodu").fill("13.20")
    page.get_by_role("button", name="Kaydet").click()
    expect(page.get_by_text("Firma ayarları kaydedildi.")).to_be_visible()
    expect(page.locator("#flash-area")).to_contain_text("Uyumlu Yazılım")

    page.get_by_role("navigation", name="Firma İşlemleri").get_by_role("link", name="Yevmiye Numarası Doğrulama").click()
    expect(page.locator("#numaralandirma")).to_contain_text("Yevmiye numaralandırması 1'den başlayacak.")
    upload = tmp_path / f"{anadolu.owner_id}-202403-Y-000001.zip"
    upload.write_bytes(zipped("yevmiye.xml", signed_yevmiye("anadolu")))
    page.get_by_label("Yevmiye dosyası").set_input_files(str(upload))
    page.get_by_role("button", name="Yükle").click()
    expect(page.locator("#flash-area")).to_contain_text("son yevmiye madde numarası 99")
    expect(page.locator("#numaralandirma")).to_contain_text("Sonraki yevmiye madde numarası 100")
    row = page.locator("table.list tbody tr").first
    expect(row).to_contain_text("İmza geçerli")
    expect(row).to_contain_text(upload.name)
