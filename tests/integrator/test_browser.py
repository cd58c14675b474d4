"""Seed 002's e-Fatura activation in Chromium: Etiket Ekle → Ekle → Tamam → select GB and PK → Aç → the GİB
e-Fatura application form → date → Evet → certificate and PIN → Tamam → "İŞLEMİNİZ TAMAMLANMIŞTIR" → the rows turn
"Hizmet Aktifleştirilmiştir" without a reload; then the new PK label is found in the Kayıtlı Kullanıcı Listesi."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import log_in
from tests.fixtures.gib import gib_seal_settings

pytestmark = pytest.mark.browser


def test_seed_002_efatura_activation(live_server, page, demo_pki, gib_simulator_factory):
    gib = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki),
                                approval_delay_seconds=4)
    live_server.app.config["GIB_URL"] = gib.base_url
    anadolu = demo_pki.token("anadolu")
    log_in(page, live_server.url, anadolu)

    # 2. Yönetim > Genel > Hizmet Aktivasyonu
    page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="Yönetim").click()
    page.get_by_role("navigation", name="Yönetim").get_by_role("link", name="Hizmet Aktivasyonu").click()
    efatura = page.locator("#urun-efatura")
    expect(efatura).to_contain_text("Henüz etiketiniz yok")

    # 3–4. "Etiket Ekle", Etiket Ön Eki + Şirket Alan Adı, "Ekle", "Tamam"
    efatura.get_by_role("link", name="e-Fatura: Etiket Ekle").click()
    page.get_by_label("Etiket Ön Eki").fill("default")
    page.get_by_label("Şirket Alan Adı").fill("anadolutekstil.com.tr")
    page.get_by_role("button", name="Ekle").click()
    expect(page.locator("#sonuc")).to_have_text("e-Fatura etiketleriniz eklendi.")
    page.get_by_role("link", name="Tamam").click()

    # 5. the labels to open, "Aç"
    efatura = page.locator("#urun-efatura")
    expect(efatura.locator("tbody tr")).to_have_count(3)
    efatura.get_by_label("e-Fatura Gönderim (GB) urn:mail:defaultgb@anadolutekstil.com.tr seç").check()
    efatura.get_by_label("e-Fatura Alım (PK) urn:mail:defaultpk@anadolutekstil.com.tr seç").check()
    efatura.get_by_role("button", name="Aç").click()

    # 12. GİB has no e-Fatura application: "GİB e-Fatura Başvuru Bilgileri"; 6. the activation date
    application = page.locator("#gib-basvuru")
    expect(application).to_contain_text("GİB e-Fatura Başvuru Bilgileri")
    expect(page.get_by_label("Yararlanma Yöntemi")).to_have_value("Özel Entegrasyon")
    page.get_by_label("Vergi Dairesi *").fill("Bornova")
    page.get_by_label("E-Posta *").fill("muhasebe@anadolutekstil.com.tr")
    page.get_by_label("Hemen Aktive Edilsin").check()
    page.get_by_label("e-Fatura uygulamasını yeni kullanmaya başlıyorum").check()
    page.get_by_label("Sertifika").select_option(anadolu.label)
    page.get_by_role("button", name="Devam").click()

    # 7. "Evet"
    expect(page.locator("#onay-sorusu")).to_contain_text("Hemen Aktive Edilsin")
    page.get_by_role("button", name="Evet").click()

    # 13–14. the certificate (SPEC A2), the PIN, "Tamam"
    expect(page.get_by_text("İmza için kullanacağınız sertifika")).to_be_visible()
    expect(page.get_by_text("Sayısal İmza")).to_be_visible()
    page.get_by_label("Şifre").fill(anadolu.pin)
    page.get_by_role("button", name="Tamam").click()

    # 19. İŞLEMİNİZ TAMAMLANMIŞTIR; 20. GİB's approval shows by itself, without a reload
    expect(page.locator("#sonuc")).to_have_text("İŞLEMİNİZ TAMAMLANMIŞTIR.")
    rows = page.locator("#talep tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Onay Bekliyor")
    marker = page.evaluate("() => (window.__ayniSayfa = 'evet')")
    expect(rows.nth(0)).to_contain_text("Hizmet Aktifleştirilmiştir", timeout=20_000)
    expect(rows.nth(1)).to_contain_text("Hizmet Aktifleştirilmiştir", timeout=20_000)
    assert page.evaluate("() => window.__ayniSayfa") == marker  # the same page: no reload happened

    page.get_by_role("link", name="Tamam").click()
    expect(page.locator("#urun-efatura tbody tr", has_text="defaultpk")).to_contain_text("Hizmet Aktifleştirilmiştir")

    # the new PK label in GİB's registered-user list
    page.get_by_role("navigation", name="Yönetim").get_by_role("link", name="Kayıtlı Kullanıcı Listesi").click()
    expect(page.locator("#liste-indirme")).to_contain_text("Tamamlandı")
    page.get_by_label("VKN/TCKN veya Unvan").fill(anadolu.owner_id)
    page.get_by_role("button", name="Ara").click()
    expect(page.locator(f"#kullanici-{anadolu.owner_id}")).to_contain_text("urn:mail:defaultpk@anadolutekstil.com.tr")
