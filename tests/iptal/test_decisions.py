"""Lists, deletion, approval and rejection (SPEC B3–B6) and who may touch what."""

from __future__ import annotations

import html
from datetime import timedelta

from sqlalchemy import event, select

from app.db import utcnow
from app.models import AuditEvent, CancellationRequest, CancellationStatus, Invoice


def make_request(client, login_as, seller, invoice, request_cancellation, db_session) -> CancellationRequest:
    login_as(seller.taxpayer)
    _, final = request_cancellation(seller, invoice)
    assert final.status_code == 303
    return db_session.scalars(select(CancellationRequest).where(CancellationRequest.invoice_id == invoice.id)).one()


def decide(client, buyer, ids, decision, pin=None):
    confirm = client.post("/FaturaIptal/gelen/karar", data=buyer.card(karar=decision, secim=[str(i) for i in ids]))
    assert confirm.status_code == 200, confirm.get_data(as_text=True)[:500]
    from tests.iptal.conftest import draft_from

    return client.post("/FaturaIptal/gelen/karar/onayla",
                       data={"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": pin or buyer.token.pin})


def test_buyer_approves_two_requests_with_one_pin(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoices = [invoice_factory(seller, buyer) for _ in range(2)]
    requests = [make_request(client, login_as, seller, i, request_cancellation, db_session) for i in invoices]

    login_as(buyer.taxpayer)
    incoming = client.get("/FaturaIptal/talepler").get_data(as_text=True)
    assert all(i.number in incoming for i in invoices)
    response = decide(client, buyer, [r.id for r in requests], "onay")
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "İşlem Başarılı" in result and "2 talep iptal edildi." in result  # GİB's result page

    db_session.expire_all()
    decided = db_session.scalars(select(CancellationRequest).order_by(CancellationRequest.id)).all()
    assert [r.status for r in decided] == [CancellationStatus.APPROVED] * 2
    assert all(r.decision_xml and r.decided_at for r in decided)
    assert decided[0].decision_xml != decided[1].decision_xml  # one signature per request
    assert all(db_session.get(Invoice, i.id).is_cancelled for i in invoices)

    cancelled_list = client.get("/FaturaIptal/talepler?liste=iptal-ettikleriniz", headers={"HX-Request": "true"})
    assert all(i.number in cancelled_list.get_data(as_text=True) for i in invoices)
    login_as(seller.taxpayer)
    seller_view = client.get("/FaturaIptal/talepler").get_data(as_text=True)
    assert seller_view.count("Fatura İptal Edildi") == 2


def test_rejection_keeps_the_invoice(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    request = make_request(client, login_as, seller, invoice, request_cancellation, db_session)
    login_as(buyer.taxpayer)
    assert decide(client, buyer, [request.id], "red").status_code == 303
    db_session.expire_all()
    assert db_session.get(CancellationRequest, request.id).status is CancellationStatus.REJECTED
    assert not db_session.get(Invoice, invoice.id).is_cancelled
    login_as(seller.taxpayer)
    assert "Talep Reddedildi" in client.get("/FaturaIptal/talepler").get_data(as_text=True)


def test_double_approval_signs_once(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    request = make_request(client, login_as, seller, invoice, request_cancellation, db_session)
    login_as(buyer.taxpayer)
    confirm = client.post("/FaturaIptal/gelen/karar", data=buyer.card(karar="onay", secim=[str(request.id)]))
    from tests.iptal.conftest import draft_from

    form = {"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": buyer.token.pin}
    client.post("/FaturaIptal/gelen/karar/onayla", data=form)
    second = client.post("/FaturaIptal/gelen/karar/onayla", data=form)
    assert "zaten 'Fatura İptal Edildi' durumunda" in html.unescape(client.get(second.headers["Location"]).get_data(as_text=True))
    approvals = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "iptal_talebi_onaylandi")).all()
    assert len(approvals) == 1


def test_wrong_pin_on_approval_changes_nothing(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    request = make_request(client, login_as, seller, invoice, request_cancellation, db_session)
    login_as(buyer.taxpayer)
    response = decide(client, buyer, [request.id], "onay", pin="975319")
    assert response.status_code == 422 and "hatalı" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(CancellationRequest, request.id).status is CancellationStatus.PENDING


def test_approval_after_the_window_is_refused(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoice = invoice_factory(seller, buyer)
    request = make_request(client, login_as, seller, invoice, request_cancellation, db_session)
    invoice = db_session.get(Invoice, invoice.id)
    invoice.delivered_on -= timedelta(days=8)
    db_session.commit()
    login_as(buyer.taxpayer)
    response = decide(client, buyer, [request.id], "onay")
    assert "gün geçtiği için iptal onayı yapılamaz" in client.get(response.headers["Location"]).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(CancellationRequest, request.id).status is CancellationStatus.PENDING


def test_requester_deletes_only_pending_requests(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    pending_invoice, approved_invoice = invoice_factory(seller, buyer), invoice_factory(seller, buyer)
    pending = make_request(client, login_as, seller, pending_invoice, request_cancellation, db_session)
    approved = make_request(client, login_as, seller, approved_invoice, request_cancellation, db_session)
    login_as(buyer.taxpayer)
    decide(client, buyer, [approved.id], "onay")

    login_as(seller.taxpayer)
    # "Seçilen Talepleri Sil" asks first, offering only what can still be withdrawn; nothing is deleted yet
    question = client.post("/FaturaIptal/talepler/sil", data={"secim": [str(pending.id), str(approved.id)]})
    asked = question.get_data(as_text=True)
    assert "silmek istediğinize emin misiniz" in asked and pending_invoice.number in asked
    assert f'name="secim" value="{approved.id}"' not in asked
    db_session.expire_all()
    assert db_session.get(CancellationRequest, pending.id).status is CancellationStatus.PENDING
    # "Evet, Sil" (here from a stale page still holding both ticks)
    response = client.post("/FaturaIptal/talepler/sil",
                           data={"secim": [str(pending.id), str(approved.id)], "onay": "evet"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 talep silindi" in page and "silinemez" in page
    db_session.expire_all()
    assert db_session.get(CancellationRequest, pending.id).status is CancellationStatus.DELETED
    assert db_session.get(CancellationRequest, approved.id).status is CancellationStatus.APPROVED
    assert pending_invoice.number not in client.get("/FaturaIptal/talepler").get_data(as_text=True)
    # the invoice can be requested again once the old request is withdrawn
    _, again = request_cancellation(seller, pending_invoice)
    assert again.status_code == 303


def test_other_taxpayers_cannot_see_delete_approve_or_download(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer, stranger = party("anadolu"), party("ege"), party("ayse")
    invoice = invoice_factory(seller, buyer)
    request = make_request(client, login_as, seller, invoice, request_cancellation, db_session)

    login_as(stranger.taxpayer)
    assert invoice.number not in client.get("/FaturaIptal/talepler").get_data(as_text=True)
    assert client.get(f"/FaturaIptal/talep/{request.id}/talep.xml").status_code == 404
    assert client.get(f"/FaturaIptal/talep/sonuc?talep={request.id}").status_code == 404
    client.post("/FaturaIptal/talepler/sil", data={"secim": [str(request.id)]})
    assert client.post("/FaturaIptal/gelen/karar", data=stranger.card(karar="onay", secim=[str(request.id)])).status_code == 404
    # the buyer may read the request, but not delete it: only the requester withdraws
    login_as(buyer.taxpayer)
    assert client.get(f"/FaturaIptal/talep/{request.id}/talep.xml").status_code == 200
    client.post("/FaturaIptal/talepler/sil", data={"secim": [str(request.id)]})
    db_session.expire_all()
    assert db_session.get(CancellationRequest, request.id).status is CancellationStatus.PENDING


def test_lists_show_ten_days_by_default_and_older_ones_on_request(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    old_invoice, new_invoice = invoice_factory(seller, buyer), invoice_factory(seller, buyer)
    old = make_request(client, login_as, seller, old_invoice, request_cancellation, db_session)
    make_request(client, login_as, seller, new_invoice, request_cancellation, db_session)
    old = db_session.get(CancellationRequest, old.id)
    old.requested_at = utcnow() - timedelta(days=30)
    db_session.commit()

    page = client.get("/FaturaIptal/talepler").get_data(as_text=True)
    assert new_invoice.number in page and old_invoice.number not in page
    start = (utcnow() - timedelta(days=40)).date().isoformat()
    page = client.get(f"/FaturaIptal/talepler?baslangic={start}").get_data(as_text=True)
    assert new_invoice.number in page and old_invoice.number in page
    page = client.get("/FaturaIptal/talepler?baslangic=2026-13-01").get_data(as_text=True)
    assert "son 10 günün talepleri listelendi" in page


def test_list_pages_use_a_constant_number_of_queries(app, client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    login_as(seller.taxpayer)

    def queries_for_list() -> int:
        engine = app.extensions["ebelge.db"].engine
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            client.get("/FaturaIptal/talepler?liste=talep-ettikleriniz", headers={"HX-Request": "true"})
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    make_request(client, login_as, seller, invoice_factory(seller, buyer), request_cancellation, db_session)
    with_one = queries_for_list()
    for _ in range(4):
        make_request(client, login_as, seller, invoice_factory(seller, buyer), request_cancellation, db_session)
    assert queries_for_list() == with_one


def test_lists_paginate_by_25(client, login_as, party, invoice_factory, request_cancellation, db_session):
    seller, buyer = party("anadolu"), party("ege")
    invoices = [invoice_factory(seller, buyer) for _ in range(26)]
    for invoice in invoices:
        make_request(client, login_as, seller, invoice, request_cancellation, db_session)
    first = client.get("/FaturaIptal/talepler").get_data(as_text=True)
    assert "(26 kayıt)" in first and "Sayfa 1 / 2" in first
    second = client.get("/FaturaIptal/talepler?liste=talep-ettikleriniz&sayfa=2", headers={"HX-Request": "true"})
    body = second.get_data(as_text=True)
    assert "<html" not in body and "Sayfa 2 / 2" in body
    assert body.count('name="secim"') == 1  # the oldest request, alone on page 2
    assert invoices[0].number in body
