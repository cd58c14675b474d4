"""In Chromium: Anadolu authorises its accountant; Ayşe logs in with her e-imza, accepts, switches to Anadolu from
the header and approves an incoming cancellation request with Anadolu's card (SPEC E8's "done when")."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from app.cards import card_choice_from
from app.db import get_session
from app.iptal import operations as iptal
from app.models import PartyRole, Taxpayer
from tests.fixtures.browser import log_in, watch_csp

pytestmark = pytest.mark.browser


def incoming_request_for_anadolu(app, demo_pki) -> str:
    """Ege asks Anadolu (the buyer) to cancel today's invoice, signed on Ege's card; returns the invoice number."""
    from app.formatting import local_today
    from app.models import Invoice
    from decimal import Decimal

    anadolu, ege = (next(t for t in demo_pki.tokens if t.key == key) for key in ("anadolu", "ege"))
    with app.test_request_context():
        session = get_session()
        parties = {t.owner_id: Taxpayer(identifier=t.owner_id, unvan=t.owner_name) for t in (anadolu, ege)}
        session.add_all(parties.values())
        today = local_today()
        invoice = Invoice(ettn=str(uuid.uuid4()), number=f"EGE{today.year}000000042", profile_id="TEMELFATURA",
                          type_code="SATIS", issue_date=today, sender_identifier=ege.owner_id,
                          sender_name=ege.owner_name, receiver_identifier=anadolu.owner_id,
                          receiver_name=anadolu.owner_name, payable_amount=Decimal("1250.00"), currency="TRY",
                          delivered_on=today)
        session.add(invoice)
        session.commit()
        card = card_choice_from({"surucu": "SoftHSM", "kart": ege.label})
        iptal.create_request(parties[ege.owner_id], iptal.RequestDraft(invoice.id, invoice.payable_amount, PartyRole.SATICI),
                             str(uuid.uuid4()), card, ege.pin)
        return invoice.number


def test_company_authorises_accountant_who_approves_a_request_with_the_companys_card(live_server, browser, demo_pki):
    anadolu = next(t for t in demo_pki.tokens if t.key == "anadolu")
    ayse = next(t for t in demo_pki.tokens if t.key == "ayse")
    number = incoming_request_for_anadolu(live_server.app, demo_pki)
    company = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    office = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    try:
        page = company.new_page()
        violations = watch_csp(page)
        log_in(page, live_server.url, anadolu)
        page.goto(live_server.url + "/hesabim")
        page.get_by_role("link", name="Yetkilendirme").first.click()
        expect(page.get_by_role("heading", name="Yetkilendirme", exact=True)).to_be_visible()
        page.get_by_label("T.C. Kimlik No").fill(ayse.owner_id)
        page.get_by_label("Adı Soyadı").fill("Ayşe Yılmaz")
        page.get_by_label("Mali Müşavir").check()
        page.get_by_label("Sertifika").select_option(anadolu.label)
        page.get_by_role("button", name="Yetki Ver").click()
        expect(page.get_by_text("İmza için kullanacağınız sertifika")).to_be_visible()
        expect(page.get_by_text("İmzalanacak Yetkilendirme Belgesi")).to_be_visible()
        page.get_by_label("Şifre").fill(anadolu.pin)
        page.get_by_role("button", name="Onayla").click()
        expect(page.get_by_text("Ayşe Yılmaz (34721590854) Mali Müşavir olarak yetkilendirildi.")).to_be_visible()
        expect(page.locator("#yetkiler")).to_contain_text("Kabul Bekliyor")

        desk = office.new_page()
        violations += watch_csp(desk)
        log_in(desk, live_server.url, ayse)
        expect(desk.get_by_role("heading", name="Kabulünüzü bekleyen yetkiler")).to_be_visible()
        desk.get_by_role("button", name="Anadolu Tekstil Sanayi ve Ticaret A.Ş. yetkisini kabul et").click()
        expect(desk.get_by_text("Mali Müşavir yetkisini kabul ettiniz")).to_be_visible()
        row = desk.locator("#ofis-tablosu tr", has_text="Anadolu Tekstil")
        expect(row).to_contain_text("1 talep onay bekliyor")

        # Firma Seç in the header: search, pick Anadolu.
        header = desk.locator("details.firma-sec")
        header.locator("summary").click()
        header.get_by_label("Mükellef ara").fill("anadolu")
        choices = header.locator("#firma-secenekleri")
        expect(choices).not_to_contain_text("Ayşe Yılmaz")
        choices.get_by_role("button", name=re.compile("Anadolu Tekstil")).click()
        expect(desk.locator("#islem-yapilan-mukellef")).to_contain_text("Anadolu Tekstil Sanayi ve Ticaret A.Ş.")
        expect(desk.locator("#giris-yapan")).to_contain_text("Yetki: Mali Müşavir")

        desk.get_by_role("navigation", name="Ana menü").get_by_role("link", name="İptal/İtiraz Portalı").click()
        desk.get_by_role("link", name=re.compile("iptal taleplerinin durumlarını görmek")).click()
        assert "/mukellef/" in desk.url and "/FaturaIptal/" in desk.url
        incoming = desk.locator("#gelen")
        expect(incoming).to_contain_text(number)
        incoming.get_by_label(f"{number} seç").check()
        desk.get_by_label("Sertifika").select_option(anadolu.label)
        desk.get_by_role("button", name="Fatura İptal Et").click()
        expect(desk.get_by_text("İmza için kullanacağınız sertifika")).to_be_visible()
        expect(desk.locator("#imza-sahibi").first).to_contain_text("yalnızca bu mükellefin mali mührü kabul edilir")
        desk.get_by_label("Şifre").fill(anadolu.pin)
        desk.get_by_role("button", name="Onayla").click()
        expect(desk.get_by_role("heading", name="İşlem Başarılı")).to_be_visible()
        expect(desk.get_by_text("1 talep iptal edildi.")).to_be_visible()
        assert violations == [], violations
    finally:
        company.close()
        office.close()
