"""İtiraz bildirimi in Chromium, with the guide's words (§5): the buyer objects, the seller accepts with its card,
and both see "Fatura İtiraz Kabul Edildi"; then an objection the other party rejects ("Talep Reddedildi")."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from app.formatting import format_amount, local_today
from app.models import Invoice
from tests.fixtures.browser import log_in, watch_csp

pytestmark = pytest.mark.browser


def new_invoice(app, seller, buyer, amount: str, number: str) -> Invoice:
    with app.app_context():
        from app.db import get_session
        from app.models import Taxpayer

        session = get_session()
        for token in (seller, buyer):
            if session.query(Taxpayer).filter_by(identifier=token.owner_id).one_or_none() is None:
                session.add(Taxpayer(identifier=token.owner_id, unvan=token.owner_name))
        invoice = Invoice(ettn=str(uuid.uuid4()), number=number, profile_id="TEMELFATURA", type_code="SATIS",
                          issue_date=local_today(), sender_identifier=seller.owner_id, sender_name=seller.owner_name,
                          receiver_identifier=buyer.owner_id, receiver_name=buyer.owner_name,
                          payable_amount=Decimal(amount), currency="TRY", delivered_on=local_today())
        session.add(invoice)
        session.commit()
        session.expunge(invoice)
        return invoice


def open_portal(page) -> None:
    page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="İptal/İtiraz Portalı").click()
    expect(page.get_by_role("heading", name="E-FATURA İPTAL/İTİRAZ PORTALI")).to_be_visible()


def object_to(page, invoice: Invoice, token, role: str, document: str) -> None:
    """The guide's §5.1 / §5.3: the form, the certificate confirmation, the PIN, the result page."""
    open_portal(page)
    page.get_by_role("link", name="Fatura itiraz talebi oluşturmak için tıklayınız").click()
    expect(page.get_by_text("Lütfen itiraz etmek istediğiniz fatura bilgilerinizi giriniz.")).to_be_visible()
    expect(page.get_by_label("İşlem Sahibini Seçiniz")).to_have_value("")  # no default, as on GİB's form
    page.get_by_label("Fatura No").fill(invoice.number)
    page.get_by_label("Ödenecek Tutar").fill(format_amount(invoice.payable_amount))
    page.get_by_label("İşlem Sahibini Seçiniz").select_option(label=role)
    page.get_by_label("İtiraz Yöntemi").select_option(label="Noter Aracılığıyla")
    page.get_by_label("İtiraz Belge Numarası").fill(document)
    page.get_by_label("İtiraz Belge Tarihi").fill(invoice.delivered_on.isoformat())
    page.get_by_label("Sertifika").select_option(token.label)
    page.get_by_role("button", name="Talep Oluştur").click()
    expect(page.get_by_role("heading", name="İmzalanacak İtiraz Talebi")).to_be_visible()
    expect(page.locator("#onay-ekrani")).to_contain_text(f"{format_amount(invoice.payable_amount)} TL")
    expect(page.locator("#onay-ekrani")).to_contain_text("Sürüm 2")  # the provider as GİB writes it
    page.get_by_label("Şifre").fill("000000")
    page.get_by_role("button", name="Onayla").click()
    expect(page.locator("#form-hatasi")).to_be_visible()  # a wrong PIN stays on the confirmation
    page.get_by_label("Şifre").fill(token.pin)
    page.get_by_role("button", name="Onayla").click()
    expect(page.get_by_role("heading", name="İtiraz talebiniz başarıyla oluşturulmuştur")).to_be_visible()


def answer(page, invoice: Invoice, token, button: str) -> None:
    """The guide's §5.2 / §5.4: tick the incoming objection, the card, the button, the PIN: "İşlem Başarılı"."""
    open_portal(page)
    page.get_by_role("link", name=re.compile("itiraz taleplerinin durumlarını görmek")).click()
    incoming = page.locator("#gelen")
    expect(incoming.get_by_role("heading")).to_contain_text("Gelen Fatura İtiraz Talepleri")
    incoming.get_by_label(f"{invoice.number} seç").check()
    page.get_by_label("Sertifika").select_option(token.label)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_text("İmza için kullanacağınız sertifika")).to_be_visible()
    page.get_by_label("Şifre").fill(token.pin)
    page.get_by_role("button", name="Onayla").click()
    expect(page.get_by_role("heading", name="İşlem Başarılı")).to_be_visible()


def state_in(page, base_url: str, list_id: str, invoice: Invoice):
    page.goto(base_url + "/FaturaIptal/itiraz/talepler")
    return page.locator(f"#{list_id} tr", has_text=invoice.number)


def test_buyer_objects_seller_accepts_and_a_rejected_one(live_server, browser, demo_pki):
    seller = next(t for t in demo_pki.tokens if t.key == "anadolu")
    buyer = next(t for t in demo_pki.tokens if t.key == "ege")
    year = local_today().year
    accepted = new_invoice(live_server.app, seller, buyer, "8180.55", f"ANA{year}000900001")
    rejected = new_invoice(live_server.app, seller, buyer, "6250.00", f"ANA{year}000900002")
    buyer_context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    seller_context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    try:
        clerk = buyer_context.new_page()
        violations = watch_csp(clerk)
        log_in(clerk, live_server.url, buyer)
        object_to(clerk, accepted, buyer, "Alıcı", "NOTER-2026/1187")
        row = state_in(clerk, live_server.url, "talep-ettikleriniz", accepted)
        expect(row).to_contain_text("Onay Bekliyor")
        expect(row).to_contain_text("8180.55")  # lists as GİB's lists

        office = seller_context.new_page()
        violations += watch_csp(office)
        log_in(office, live_server.url, seller)
        answer(office, accepted, seller, "Faturaya İtirazı Kabul Et")
        row = state_in(office, live_server.url, "onayladiklariniz", accepted)
        expect(office.locator("#onayladiklariniz").get_by_role("heading")).to_contain_text(
            "İtirazını Kabul Ettiğiniz Faturalar")
        expect(row).to_contain_text("Fatura İtiraz Kabul Edildi")

        row = state_in(clerk, live_server.url, "talep-ettikleriniz", accepted)
        expect(row).to_contain_text("Fatura İtiraz Kabul Edildi")
        expect(row.locator("td").nth(11)).to_have_text(re.compile(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}"))  # Onay Zamanı
        expect(row.locator("td").nth(7)).to_have_text("Noter Aracılığıyla")  # the itiraz columns of GİB's list

        # The seller objects to the second invoice; the buyer rejects it.
        object_to(office, rejected, seller, "Satıcı", "KEP-2026/77")
        answer(clerk, rejected, buyer, "Talebi Reddet")
        expect(state_in(clerk, live_server.url, "reddettikleriniz", rejected)).to_contain_text("Talep Reddedildi")
        expect(state_in(office, live_server.url, "talep-ettikleriniz", rejected)).to_contain_text("Talep Reddedildi")

        # Sanal Ba/Bs: the accepted one is on neither form; the rejected one stays on the buyer's Ba only.
        clerk.goto(live_server.url + f"/FaturaIptal/sanal-babs?donem={local_today():%Y-%m}")
        clerk.get_by_text("Faturalar (2)").first.click()
        expect(clerk.locator(f"#fatura-{accepted.number} td").nth(3)).to_have_text("Yer almaz")
        expect(clerk.locator(f"#fatura-{accepted.number} td").nth(4)).to_have_text("Yer almaz")
        expect(clerk.locator(f"#fatura-{rejected.number} td").nth(3)).to_have_text("Yer alır")
        expect(clerk.locator(f"#fatura-{rejected.number} td").nth(4)).to_have_text("Yer almaz")
        assert violations == [], violations
    finally:
        buyer_context.close()
        seller_context.close()


def test_geri_and_the_error_page_keep_what_was_typed(live_server, browser, demo_pki):
    buyer = next(t for t in demo_pki.tokens if t.key == "ege")
    seller = next(t for t in demo_pki.tokens if t.key == "anadolu")
    invoice = new_invoice(live_server.app, seller, buyer, "1250.00", f"ANA{local_today().year}000900003")
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    try:
        page = context.new_page()
        log_in(page, live_server.url, buyer)
        open_portal(page)
        page.get_by_role("link", name="Fatura itiraz talebi oluşturmak için tıklayınız").click()
        page.get_by_label("Fatura No").fill(invoice.number)
        page.get_by_label("Ödenecek Tutar").fill("1.250,00")
        page.get_by_label("İşlem Sahibini Seçiniz").select_option(label="Satıcı")  # the wrong role
        page.get_by_label("İtiraz Yöntemi").select_option(label="Telgraf")
        page.get_by_label("İtiraz Belge Numarası").fill("TLG-9")
        page.get_by_label("İtiraz Belge Tarihi").fill(invoice.delivered_on.isoformat())
        page.get_by_label("Sertifika").select_option(buyer.label)
        page.get_by_role("button", name="Talep Oluştur").click()
        # GİB's error page, which names the role to choose
        expect(page.locator("#hata-mesaji")).to_contain_text('İşlem Sahibi olarak "Alıcı" seçiniz')
        expect(page.get_by_text("Lütfen sayfayı yenileyip tekrar deneyiniz.")).to_be_visible()
        page.get_by_role("link", name="Geri").click()
        expect(page.get_by_label("Fatura No")).to_have_value(invoice.number)
        expect(page.get_by_label("İtiraz Belge Numarası")).to_have_value("TLG-9")
        expect(page.get_by_label("İtiraz Yöntemi")).to_have_value("telgraf")
        page.get_by_label("İşlem Sahibini Seçiniz").select_option(label="Alıcı")
        page.get_by_role("button", name="Talep Oluştur").click()
        expect(page.get_by_role("heading", name="İmzalanacak İtiraz Talebi")).to_be_visible()
        page.get_by_role("link", name="Geri").click()  # from the confirmation: still nothing lost
        expect(page.get_by_label("Ödenecek Tutar")).to_have_value("1.250,00")
        expect(page.get_by_label("İşlem Sahibini Seçiniz")).to_have_value("ALICI")
        expect(page.get_by_label("İtiraz Belge Tarihi")).to_have_value(invoice.delivered_on.isoformat())
    finally:
        context.close()
