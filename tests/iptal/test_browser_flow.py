"""The seed's flow in Chromium: the seller asks, the buyer approves, the seller sees it cancelled."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.demo import load_demo_data
from app.formatting import format_amount
from app.models import Invoice
from tests.fixtures.browser import log_in, watch_csp

pytestmark = pytest.mark.browser


def test_seller_requests_and_buyer_approves_in_two_browsers(live_server, browser, demo_pki):
    seller = next(t for t in demo_pki.tokens if t.key == "anadolu")
    buyer = next(t for t in demo_pki.tokens if t.key == "ege")
    with live_server.app.app_context():
        list(load_demo_data())
        from app.db import get_session
        from app.formatting import local_today
        from sqlalchemy import select

        invoice = get_session().scalars(
            select(Invoice).where(
                Invoice.sender_identifier == seller.owner_id,
                Invoice.receiver_identifier == buyer.owner_id,
                Invoice.profile_id == "TEMELFATURA",
                Invoice.delivered_on >= local_today().replace(day=1) if False else Invoice.delivered_on == local_today(),
            )
        ).first()
    assert invoice is not None

    seller_context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    buyer_context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    try:
        page = seller_context.new_page()
        violations = watch_csp(page)
        log_in(page, live_server.url, seller)
        page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="İptal/İtiraz Portalı").click()
        page.get_by_role("link", name="Fatura iptal talebi oluşturmak için tıklayınız").click()
        page.get_by_label("İşlem Sahibini Seçiniz").select_option(label="Satıcı")  # GİB's form has no default
        page.get_by_label("Fatura No").fill(invoice.number)
        page.get_by_label("Ödenecek Tutar").fill(format_amount(invoice.payable_amount))
        page.get_by_label("Sertifika").select_option(seller.label)
        page.get_by_role("button", name="Talep Oluştur").click()
        expect(page.get_by_text("İmza için kullanacağınız sertifika")).to_be_visible()
        expect(page.get_by_text("Sayısal İmza")).to_be_visible()
        page.get_by_label("Şifre").fill(seller.pin)
        page.get_by_role("button", name="Onayla").click()
        expect(page.get_by_role("heading", name="İptal talebiniz başarıyla oluşturulmuştur")).to_be_visible()
        expect(page.locator("#sonuc")).to_contain_text(
            f"{seller.owner_id} vergi / tc kimlik numaralı mükellefe ait {invoice.number} numaralı "
            f"{format_amount(invoice.payable_amount)} tutarındaki fatura için iptal talebi oluşturuldu."
        )

        other = buyer_context.new_page()
        violations += watch_csp(other)
        log_in(other, live_server.url, buyer)
        other.goto(live_server.url + "/FaturaIptal/talepler")
        incoming = other.locator("#gelen")
        expect(incoming).to_contain_text(invoice.number)
        incoming.get_by_label(f"{invoice.number} seç").check()
        other.get_by_label("Sertifika").select_option(buyer.label)
        other.get_by_role("button", name="Fatura İptal Et").click()
        expect(other.get_by_text("İmza için kullanacağınız sertifika")).to_be_visible()
        other.get_by_label("Şifre").fill(buyer.pin)
        other.get_by_role("button", name="Onayla").click()
        expect(other.get_by_role("heading", name="İşlem Başarılı")).to_be_visible()
        expect(other.get_by_text("1 talep iptal edildi.")).to_be_visible()

        page.goto(live_server.url + "/FaturaIptal/talepler")
        row = page.locator("#talep-ettikleriniz tr", has_text=invoice.number)
        expect(row).to_contain_text("Fatura İptal Edildi")
        expect(row.locator("td").nth(8)).to_have_text(re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}"))
        assert violations == [], violations
    finally:
        seller_context.close()
        buyer_context.close()
