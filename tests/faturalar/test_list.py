"""Giden / Gelen Faturalar: each taxpayer sees only its own invoices, filtered, paginated, with their status."""

from __future__ import annotations

import html
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from app.db import utcnow
from app.formatting import local_today
from app.models import CancellationRequest, PartyRole
from tests.faturalar.conftest import counted_queries

pytestmark = pytest.mark.usefixtures("db_session")


def page_of(client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def table_of(client, url: str) -> str:
    """Only the list's rows (the tabs and the search box repeat the search term)."""
    return page_of(client, url).split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_login_is_required(client):
    response = client.get("/faturalar/")
    assert response.status_code == 302 and "/giris/" in response.headers["Location"]


def test_each_taxpayer_sees_only_its_own_invoices(client, login_as, party, invoice_factory):
    anadolu, ege, ayse, marmara = party("anadolu"), party("ege"), party("ayse"), party("marmara")
    sold = invoice_factory(anadolu, ege, amount="7840.80")
    bought = invoice_factory(marmara, anadolu)
    others = invoice_factory(ege, ayse)

    login_as(anadolu.taxpayer)
    outgoing = page_of(client, "/faturalar/")
    assert "Giden Faturalar" in outgoing and sold.number in outgoing and "7.840,80 TRY" in outgoing
    assert bought.number not in outgoing and others.number not in outgoing
    assert ege.taxpayer.identifier in outgoing and ege.taxpayer.unvan in outgoing  # the buyer is the counterparty
    incoming = page_of(client, "/faturalar/?yon=gelen")
    assert bought.number in incoming and sold.number not in incoming and others.number not in incoming
    assert marmara.taxpayer.unvan in incoming

    login_as(ege.taxpayer)
    incoming = page_of(client, "/faturalar/?yon=gelen")
    assert sold.number in incoming and sold.ettn.upper() in incoming and anadolu.taxpayer.unvan in incoming
    assert others.number in page_of(client, "/faturalar/?yon=giden")

    # a search for another taxpayer's invoice number or ETTN finds nothing
    login_as(marmara.taxpayer)
    for direction in ("giden", "gelen"):
        assert others.number not in table_of(client, f"/faturalar/?yon={direction}&ara={others.number}")
        assert "Bu süzgece uyan fatura yok." in table_of(client, f"/faturalar/?yon={direction}&ara={others.ettn}")


def test_date_range_filters_on_the_issue_date(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    recent = invoice_factory(seller, buyer, delivered_days_ago=2)
    old = invoice_factory(seller, buyer, delivered_days_ago=40)
    login_as(seller.taxpayer)
    start = (local_today() - timedelta(days=10)).isoformat()
    page = page_of(client, f"/faturalar/?baslangic={start}")
    assert recent.number in page and old.number not in page
    end = (local_today() - timedelta(days=30)).isoformat()
    page = page_of(client, f"/faturalar/?bitis={end}")
    assert old.number in page and recent.number not in page
    page = page_of(client, f"/faturalar/?baslangic={start}&bitis={end}")
    assert "Başlangıç tarihi bitiş tarihinden sonra olamaz" in page and old.number in page and recent.number in page
    assert "GG.AA.YYYY" in page_of(client, "/faturalar/?baslangic=2026-13-01")


def test_search_by_number_ettn_and_counterparty(client, login_as, party, invoice_factory):
    seller, ege, ayse = party("anadolu"), party("ege"), party("ayse")
    to_ege = invoice_factory(seller, ege)
    to_ayse = invoice_factory(seller, ayse)
    login_as(seller.taxpayer)

    def found(term: str) -> set[str]:
        page = table_of(client, f"/faturalar/?ara={term}")
        return {invoice.number for invoice in (to_ege, to_ayse) if invoice.number in page}

    assert found(to_ege.number) == {to_ege.number}
    assert found(to_ayse.number.lower()) == {to_ayse.number}
    assert found(to_ayse.ettn.upper()) == {to_ayse.number}
    assert found(to_ege.ettn[:8]) == {to_ege.number}
    assert found(ayse.taxpayer.identifier) == {to_ayse.number}
    assert found("DAS") == {to_ege.number, to_ayse.number}
    assert found("%") == set()  # LIKE wildcards are searched for literally


def test_pages_of_25_with_links_that_keep_the_filter(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    numbers = [invoice_factory(seller, buyer).number for _ in range(27)]
    login_as(seller.taxpayer)
    first = page_of(client, "/faturalar/?ara=DAS")
    assert "(27 kayıt)" in first and "Sayfa 1 / 2" in first
    assert sum(number in first for number in numbers) == 25
    next_link = first.split('<nav class="pagination"')[1].split('href="')[1].split('"')[0]
    assert parse_qs(urlsplit(next_link).query) == {"yon": ["giden"], "ara": ["DAS"], "sayfa": ["2"]}
    second = page_of(client, next_link)
    assert sum(number in second for number in numbers) == 2 and "Sayfa 2 / 2" in second


def test_htmx_gets_the_list_fragment(client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    login_as(buyer.taxpayer)
    response = client.get("/faturalar/?yon=gelen", headers={"HX-Request": "true"})
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith("<div id=\"fatura-listesi\">") and "<html" not in fragment
    assert invoice.number in fragment and "HX-Request" in response.headers["Vary"]


def test_status_and_the_link_to_the_cancellation_form(client, login_as, party, invoice_factory, db_session):
    seller, buyer = party("anadolu"), party("ege")
    cancellable = invoice_factory(seller, buyer, amount="7840.80")
    commercial = invoice_factory(seller, buyer, profile="TICARIFATURA")
    too_old = invoice_factory(seller, buyer, delivered_days_ago=20)
    cancelled = invoice_factory(seller, buyer)
    cancelled.cancelled_at = utcnow()
    requested = invoice_factory(seller, buyer)
    db_session.add(CancellationRequest(
        submission_id=str(uuid.uuid4()), invoice=requested, requester_taxpayer_id=seller.taxpayer.id,
        requester_role=PartyRole.SATICI, responder_identifier=buyer.taxpayer.identifier, amount=requested.payable_amount,
        request_xml=b"<signed/>", request_certificate_serial="01",
    ))  # fmt: skip
    db_session.commit()

    def row(page: str, number: str) -> str:
        return page.split(f"<td>{number}</td>", 1)[1].split("</tr>", 1)[0]

    login_as(seller.taxpayer)
    page = page_of(client, "/faturalar/")
    assert "İptal Edildi" in row(page, cancelled.number) and "İptal Talebi Var" in row(page, requested.number)
    assert "<td>—</td>" in row(page, cancellable.number)
    link = row(page, cancellable.number).split('href="')[1].split('"')[0]
    assert link.startswith("/FaturaIptal/talep?")
    assert parse_qs(urlsplit(link).query) == {"fatura_no": [cancellable.number], "tutar": ["7.840,80"], "islem_sahibi": ["SATICI"]}
    for number in (commercial.number, too_old.number, cancelled.number, requested.number):
        assert "/FaturaIptal/talep" not in row(page, number)
    # the buyer may start a request too (GİB's 2025 guide): its link says Alıcı
    login_as(buyer.taxpayer)
    link = row(page_of(client, "/faturalar/?yon=gelen"), cancellable.number).split('href="')[1].split('"')[0]
    assert parse_qs(urlsplit(link).query)["islem_sahibi"] == ["ALICI"]


def test_list_uses_a_constant_number_of_queries(app, client, login_as, party, invoice_factory):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)

    def queries() -> int:
        with counted_queries(app) as statements:
            assert client.get("/faturalar/", headers={"HX-Request": "true"}).status_code == 200
        return len(statements)

    invoice_factory(seller, buyer)
    with_one = queries()
    for _ in range(30):
        invoice_factory(seller, buyer)
    assert queries() == with_one
