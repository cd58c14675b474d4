"""Issue 16, İptal Portalı: a rejected request stays in the rejecter's lists, an answered request gets no second
confirmation screen, and refreshing the card list keeps the chosen card."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from app.models import CancellationRequest, CancellationStatus
from tests.iptal.test_decisions import decide, make_request


def page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_a_request_the_buyer_rejected_is_listed_for_the_buyer(client, login_as, party, invoice_factory,
                                                              request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    request = make_request(client, login_as, seller, invoice, request_cancellation, db_session)
    login_as(buyer.taxpayer)
    assert decide(client, buyer, [request.id], "red").status_code == 303
    lists = page_text(client.get("/FaturaIptal/talepler"))
    rejected = lists[lists.index("Reddettiğiniz İptal Talepleri"):]
    assert "(1 kayıt)" in rejected[:40] and invoice.number in rejected and "Talep Reddedildi" in rejected
    fragment = client.get("/FaturaIptal/talepler?liste=reddettikleriniz", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="reddettikleriniz">')
    assert invoice.number in fragment.get_data(as_text=True)
    # the seller (requester) does not get the buyer's list filled, and sees the decision time
    login_as(seller.taxpayer)
    seller_lists = page_text(client.get("/FaturaIptal/talepler"))
    assert "Reddettiğiniz İptal Talepleri (0 kayıt)" in seller_lists


def test_an_approved_request_gets_no_second_confirmation_screen(client, login_as, party, invoice_factory,
                                                                request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    approved_invoice, open_invoice = invoice_factory(seller, buyer), invoice_factory(seller, buyer)
    approved = make_request(client, login_as, seller, approved_invoice, request_cancellation, db_session)
    still_open = make_request(client, login_as, seller, open_invoice, request_cancellation, db_session)
    login_as(buyer.taxpayer)
    assert decide(client, buyer, [approved.id], "onay").status_code == 303

    # a stale page (another tab, a colleague) offers the approved request again
    response = client.post("/FaturaIptal/gelen/karar", data=buyer.card(karar="onay", secim=[str(approved.id)]))
    assert response.status_code == 303
    shown = page_text(client.get(response.headers["Location"]))
    assert (f"{approved_invoice.number} numaralı faturanın iptal talebi zaten 'Fatura İptal Edildi' durumunda; bu talep "
            "için yeniden onay ya da ret verilemez.") in shown

    # with a pending one beside it, only the pending one is offered for signing
    response = client.post("/FaturaIptal/gelen/karar",
                           data=buyer.card(karar="red", secim=[str(approved.id), str(still_open.id)]))
    assert response.status_code == 200
    confirmation = page_text(response)
    assert open_invoice.number in confirmation and "zaten 'Fatura İptal Edildi' durumunda" in confirmation
    assert confirmation.count(approved_invoice.number) == 1  # in the warning only, not among the requests to sign
    db_session.expire_all()
    assert db_session.get(CancellationRequest, approved.id).status is CancellationStatus.APPROVED
    assert [r.status for r in db_session.scalars(select(CancellationRequest).where(
        CancellationRequest.id == still_open.id))] == [CancellationStatus.PENDING]


def test_refreshing_the_card_list_keeps_the_chosen_card(client, login_as, party, demo_pki):
    anadolu, ege = party("anadolu"), party("ege")
    login_as(anadolu.taxpayer)
    form = client.get("/FaturaIptal/talepler").get_data(as_text=True)
    assert 'hx-include="#kart"' in form  # the driver's change sends the chosen card along

    def selected(query: str) -> str:
        page = client.get(f"/giris/kartlar?{query}").get_data(as_text=True)
        return re.search(r'<option value="([^"]+)"\s+selected', page).group(1)

    assert selected(f"surucu=SoftHSM&kart={ege.token.label}") == ege.token.label
    # a card no longer present: the taxpayer's own card is chosen, as on a fresh form
    assert selected("surucu=SoftHSM&kart=GONE-0000") == anadolu.token.label
    assert selected("surucu=SoftHSM") == anadolu.token.label
