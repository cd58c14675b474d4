"""Sanal Ba/Bs (GİB guide §4–5) on both databases: how accepted, rejected and late objections and an approved
cancellation land on the buyer's Ba and the seller's Bs, and the monthly summary per counterparty."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.babs.summary import Month
from app.clock import offset_path, write_offset
from app.formatting import local_today
from app.models import CancellationRequest
from tests.iptal.test_decisions import decide as decide_iptal
from tests.iptal.test_itiraz import decide, object_to, text


def request_of(db_session, invoice) -> CancellationRequest:
    db_session.expire_all()
    return db_session.scalars(select(CancellationRequest).where(CancellationRequest.invoice_id == invoice.id)).one()


def invoice_row(page: str, number: str) -> str:
    row = re.search(rf'<tr id="fatura-{number}"[^>]*>(.*?)</tr>', page, re.S)
    assert row, f"{number} is not on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", row.group(1)).split())


def test_a_month_with_accepted_rejected_and_late_objections(app, client, login_as, party, invoice_factory,
                                                            request_cancellation, db_session):
    seller, buyer, other_seller = party("anadolu"), party("ege"), party("marmara")
    make = lambda amount, by=seller: invoice_factory(by, buyer, amount=amount, delivered_days_ago=0)  # noqa: E731
    accepted, rejected, late, plain, cancelled = make("9000.00"), make("2200.00"), make("2500.00"), make("3000.00"), make("7000.00")
    small = make("1000.00", other_seller)

    login_as(buyer.taxpayer)
    object_to(client, buyer, accepted, "ALICI")
    object_to(client, buyer, rejected, "ALICI")
    login_as(seller.taxpayer)
    object_to(client, seller, late, "SATICI")  # the buyer never answers it
    request_cancellation(seller, cancelled)
    decide(client, seller, [request_of(db_session, accepted).id], "onay")
    decide(client, seller, [request_of(db_session, rejected).id], "red")
    login_as(buyer.taxpayer)
    assert decide_iptal(client, buyer, [request_of(db_session, cancelled).id], "onay").status_code == 303

    month = Month(local_today().year, local_today().month)
    # Before the 15th of next month the seller's objection may still be accepted: it is on both forms, not final.
    page = client.get(f"/FaturaIptal/sanal-babs?donem={month.value}").get_data(as_text=True)
    assert "Yer alır Yer alır İtiraz onay bekliyor" in invoice_row(page, late.number)

    # The portal's clock (a training room's) moves past the 15th of the next month.
    deadline = (month.next_first_day.replace(day=15) - local_today()).days + 1
    write_offset(offset_path(app.instance_path), timedelta(days=deadline))
    try:
        buyer_page = client.get(f"/FaturaIptal/sanal-babs?donem={month.value}").get_data(as_text=True)
        login_as(seller.taxpayer)
        seller_page = client.get(f"/FaturaIptal/sanal-babs?donem={month.value}").get_data(as_text=True)
    finally:
        write_offset(offset_path(app.instance_path), timedelta(0))

    # each invoice: (on the buyer's Ba, on the seller's Bs, why)
    assert invoice_row(buyer_page, accepted.number).endswith("Yer almaz Yer almaz Fatura İtiraz Kabul Edildi")
    assert invoice_row(buyer_page, rejected.number).endswith("Yer almaz Yer alır İtiraz talebi reddedildi")
    assert "Yer alır Yer almaz İtiraz" in invoice_row(buyer_page, late.number)
    assert "kabul edilmedi" in invoice_row(buyer_page, late.number)
    assert invoice_row(buyer_page, cancelled.number).endswith("Yer almaz Yer almaz Fatura İptal Edildi")
    assert invoice_row(buyer_page, plain.number).endswith("Yer alır Yer alır —")

    # Buyer's Ba: from Anadolu the late (2.500) and the plain (3.000) invoice: 5.500,00 ≥ 5.000 is reported;
    # Marmara's 1.000 stays under the threshold.
    ba = text_of(buyer_page, "form-Ba", "form-Bs")
    reported, below = ba.split("Sınırın altında kalanlar")
    assert f"{seller.taxpayer.identifier} {seller.taxpayer.unvan} 2 5.500,00" in reported
    assert f"{other_seller.taxpayer.identifier} {other_seller.taxpayer.unvan} 1 1.000,00" in below
    # Seller's Bs to Ege: the rejected objection (2.200) stays on the rejecting seller's Bs, with the plain one.
    bs = text_of(seller_page, "form-Bs", None)
    reported, _ = bs.split("Sınırın altında kalanlar")
    assert f"{buyer.taxpayer.identifier} {buyer.taxpayer.unvan} 2 5.200,00" in reported


def text_of(page: str, start_id: str, end_id: str | None) -> str:
    start = page.index(f'id="{start_id}"')
    end = page.index(f'id="{end_id}"') if end_id else len(page)
    return " ".join(re.sub(r"<[^>]+>", " ", page[start:end]).split())


def test_the_threshold_is_a_setting(app, client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice_factory(seller, buyer, amount="1200.00", delivered_days_ago=0)
    app.config["BABS_THRESHOLD_TL"] = 1000
    login_as(buyer.taxpayer)
    page = text_of(client.get(f"/FaturaIptal/sanal-babs?donem={local_today():%Y-%m}").get_data(as_text=True),
                   "form-Ba", "form-Bs")
    reported, _ = page.split("Sınırın altında kalanlar")
    assert "1.200,00" in reported


def test_a_month_typed_badly_shows_the_previous_month(client, login_as, party, db_session):
    login_as(party("ege").taxpayer)
    page = text(client.get("/FaturaIptal/sanal-babs?donem=2026-13"))
    previous = Month.previous(local_today())
    assert f"Sanal Ba/Bs — {previous.label}" in page


def test_another_taxpayers_invoices_are_not_on_my_forms(client, login_as, party, invoice_factory, db_session):
    seller, buyer, stranger = party("anadolu"), party("ege"), party("marmara")
    invoice = invoice_factory(seller, buyer, amount="8000.00", delivered_days_ago=0)
    login_as(stranger.taxpayer)
    response = client.get(f"/FaturaIptal/sanal-babs?donem={local_today():%Y-%m}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Ba/Bs" in page
    assert invoice.number not in page


def test_each_table_pages_on_its_own(monkeypatch, client, login_as, party, invoice_factory, db_session):
    """Counterparties beyond a page are one click away; the htmx link brings back only its own table."""
    from app.blueprints.iptal import views

    monkeypatch.setattr(views, "BABS_PAGE_SIZE", 1)
    buyer = party("ege")
    big = invoice_factory(party("anadolu"), buyer, amount="9000.00", delivered_days_ago=0)
    small = invoice_factory(party("marmara"), buyer, amount="7000.00", delivered_days_ago=0)
    login_as(buyer.taxpayer)
    month = f"{local_today():%Y-%m}"
    first = client.get(f"/FaturaIptal/sanal-babs?donem={month}").get_data(as_text=True)
    reported = text_of(first, "babs-ba-bildirilecek", "babs-ba-altinda")
    assert "Bildirilecek satırlar (2)" in reported and "Sayfa 1 / 2" in reported
    assert big.number in first and small.number not in first  # the larger total first
    second = client.get(f"/FaturaIptal/sanal-babs?donem={month}&grup=ba-bildirilecek&sayfa=2",
                        headers={"HX-Request": "true"})
    fragment = second.get_data(as_text=True)
    assert "<html" not in fragment and 'id="babs-ba-bildirilecek"' in fragment
    assert small.number in fragment and big.number not in fragment and "Sanal Form Bs" not in fragment
    assert "Sayfa 2 / 2" in text_of(fragment, "babs-ba-bildirilecek", None)
