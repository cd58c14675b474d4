"""Two uploads of the same invoices at the same moment (seller and buyer), on a real database without a test
transaction around them: each invoice is stored once, and the later import reports it as already there."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.invoices import operations
from app.invoices.report import ImportReport
from app.db import get_session
from app.formats.ubl import PartyDetails
from app.models import AuditEvent, Invoice, Taxpayer
from tests.faturalar.conftest import invoice_xml, zip_of
from tests.fixtures.portal import run_together

COUNT = 150


def test_seller_and_buyer_uploading_at_once_store_each_invoice_once(real_app, demo_pki):  # noqa: F811
    tokens = [demo_pki.token("anadolu"), demo_pki.token("ege")]
    with real_app.app_context():
        session = get_session()
        taxpayers = [Taxpayer(identifier=t.owner_id, unvan=t.owner_name) for t in tokens]
        session.add_all(taxpayers)
        session.commit()
        ids = [t.id for t in taxpayers]
    seller, buyer = (PartyDetails(t.owner_id, t.owner_name) for t in tokens)
    data = zip_of({f"{n}.xml": invoice_xml(seller, buyer, f"ANA2025000000{n:03d}", signer="anadolu")
                   for n in range(COUNT)})

    def upload_as(taxpayer_id: int) -> ImportReport:
        with real_app.app_context():
            taxpayer = get_session().get(Taxpayer, taxpayer_id)
            return operations.import_invoices(taxpayer, operations.read_upload("ortak.zip", io.BytesIO(data)), "ortak.zip")

    reports = run_together(*(lambda i=i: upload_as(i) for i in ids))
    assert all(isinstance(report, ImportReport) for report in reports), reports
    assert sorted((len(r.imported), len(r.already_registered)) for r in reports) == [(0, COUNT), (COUNT, 0)]
    with real_app.app_context():
        session = get_session()
        assert session.scalar(select(func.count(Invoice.id))) == COUNT
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "fatura_yuklendi")) == 2
