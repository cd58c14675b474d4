"""Doğrula for the İptal/İtiraz Portalı's signed documents: the request (requester's card) is seen by both parties,
by nobody else; the link sits on the lists."""

from __future__ import annotations

from sqlalchemy import select

from app.models import CancellationRequest
from tests.iptal.conftest import request_cancellation  # noqa: F401  (the İptal Portalı's own request flow)


def test_a_cancellation_requests_report_for_both_parties_only(client, login_as, party, invoice_factory, db_session,
                                                              request_cancellation):  # noqa: F811
    anadolu, ege, karadeniz = party("anadolu"), party("ege"), party("karadeniz")
    invoice = invoice_factory(anadolu, ege)
    login_as(anadolu.taxpayer)
    _, final = request_cancellation(anadolu, invoice)
    assert final is not None and final.status_code in (200, 303)
    request = db_session.scalars(select(CancellationRequest)).one()

    report = client.get(f"/imza-dogrulama/iptal-talebi/{request.id}").get_data(as_text=True)
    assert "GEÇERLİ" in report and 'class="imzalayan-kimlik">4821307561<' in report
    lists = client.get("/FaturaIptal/talepler").get_data(as_text=True)
    assert f"/imza-dogrulama/iptal-talebi/{request.id}" in lists
    assert client.get(f"/imza-dogrulama/iptal-talebi/{request.id}?parca=karar").status_code == 404  # not decided yet

    login_as(ege.taxpayer)
    assert "GEÇERLİ" in client.get(f"/imza-dogrulama/iptal-talebi/{request.id}").get_data(as_text=True)
    login_as(karadeniz.taxpayer)
    assert client.get(f"/imza-dogrulama/iptal-talebi/{request.id}").status_code == 404
