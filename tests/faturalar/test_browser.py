"""Fatura Yükle in Chromium: a demo taxpayer logs in with its card, uploads an invoice and finds it in its lists."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.formats.ubl import PartyDetails
from app.formatting import local_today
from app.signing.demo_pki import DemoToken
from tests.faturalar.conftest import invoice_xml, zip_of
from tests.fixtures.browser import log_in

pytestmark = pytest.mark.browser


def demo_card(demo_pki, key: str) -> DemoToken:
    return next(t for t in demo_pki.tokens if t.key == key)


def as_party(token: DemoToken) -> PartyDetails:
    return PartyDetails(identifier=token.owner_id, name=token.owner_name)


def test_seller_uploads_an_invoice_and_sees_it_listed(live_server, page: Page, demo_pki):
    seller, buyer = demo_card(demo_pki, "anadolu"), demo_card(demo_pki, "ege")
    number = f"ANA{local_today().year}000000777"
    upload = zip_of({"fatura.xml": invoice_xml(as_party(seller), as_party(buyer), number, signer="anadolu"),
                     "okunmaz.txt": b"?"})

    log_in(page, live_server.url, seller)
    page.get_by_role("navigation", name="Ana menü").get_by_role("link", name="Faturalar").click()
    expect(page.get_by_role("heading", name="Faturalar")).to_be_visible()
    page.get_by_role("link", name="Fatura Yükle").click()
    page.get_by_label("Fatura dosyası (.xml veya .zip)").set_input_files(
        {"name": "ocak.zip", "mimeType": "application/zip", "buffer": upload}
    )
    page.get_by_role("button", name="Yükle").click()
    expect(page.locator("#yukleme-ozeti")).to_contain_text("1 fatura alındı, 1 dosya reddedildi.")
    expect(page.get_by_text("Yalnızca .xml uzantılı dosyalar okunur.")).to_be_visible()

    page.get_by_role("link", name="Faturalar listesine dön").click()
    row = page.locator("#faturalar tbody tr", has_text=number)
    expect(row).to_contain_text("15.000,00 TRY")
    expect(row).to_contain_text(buyer.owner_name)
    expect(row.get_by_role("link", name="İptal Talebi")).to_be_visible()

    # the tabs and the search swap the list through htmx and keep the address in step
    page.get_by_role("link", name="Gelen Faturalar").click()
    expect(page).to_have_url(f"{live_server.url}/faturalar/?yon=gelen")
    expect(page.locator("#faturalar")).to_contain_text("Henüz fatura yok.")
    page.get_by_role("link", name="Giden Faturalar").click()
    expect(page.locator("#faturalar caption")).to_contain_text("Giden Faturalar")  # swapped: the form is the new one
    page.get_by_label("Ara:").fill(buyer.owner_id)
    page.get_by_role("button", name="Listele").click()
    expect(page).to_have_url(f"{live_server.url}/faturalar/?yon=giden&baslangic=&bitis=&ara={buyer.owner_id}")
    expect(page.locator("#faturalar tbody tr")).to_have_count(1)

    # the link opens the İptal Portalı's request form for this invoice
    page.locator("#faturalar tbody tr", has_text=number).get_by_role("link", name="İptal Talebi").click()
    expect(page).to_have_url(f"{live_server.url}/FaturaIptal/talep?fatura_no={number}&tutar=15.000,00&islem_sahibi=SATICI")
