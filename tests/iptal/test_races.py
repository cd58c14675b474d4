"""Races on a real database (no test transaction around them): two requests for one invoice,
the same "Onayla" sent twice at once, two approvals at once. Exactly one wins each time."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.iptal import operations
from app.iptal.rules import CancellationRefused
from app.cards import CardChoice
from app.db import get_session
from app.formatting import local_today
from app.models import AuditEvent, CancellationRequest, CancellationStatus, Invoice, PartyRole, Taxpayer
from tests.fixtures.portal import run_together


def setup_invoice(app, demo_pki) -> tuple[int, int, int]:
    seller_token, buyer_token = demo_pki.token("anadolu"), demo_pki.token("ege")
    with app.app_context():
        session = get_session()
        seller = Taxpayer(identifier=seller_token.owner_id, unvan=seller_token.owner_name)
        buyer = Taxpayer(identifier=buyer_token.owner_id, unvan=buyer_token.owner_name)
        session.add_all([seller, buyer])
        invoice = Invoice(
            ettn=str(uuid.uuid4()), number="RAC2026000000001", profile_id="TEMELFATURA", type_code="SATIS",
            issue_date=local_today(), sender_identifier=seller.identifier, sender_name=seller.unvan,
            receiver_identifier=buyer.identifier, receiver_name=buyer.unvan, payable_amount=Decimal("99.90"),
            currency="TRY", delivered_on=local_today() - timedelta(days=1),
        )
        session.add(invoice)
        session.commit()
        return seller.id, buyer.id, invoice.id


def request_as(app, demo_pki, taxpayer_id, key, invoice_id, role, submission_id):
    token = demo_pki.token(key)

    def action():
        with app.app_context():
            taxpayer = get_session().get(Taxpayer, taxpayer_id)
            draft = operations.RequestDraft(invoice_id, Decimal("99.90"), role)
            card = CardChoice("SoftHSM", demo_pki.module_path, token.label)
            request, created = operations.create_request(taxpayer, draft, submission_id, card, token.pin)
            return request.id, created

    return action


def count(app, model, *where) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model).where(*where))


def test_seller_and_buyer_racing_for_one_invoice_make_one_request(real_app, demo_pki):
    seller_id, buyer_id, invoice_id = setup_invoice(real_app, demo_pki)
    results = run_together(
        request_as(real_app, demo_pki, seller_id, "anadolu", invoice_id, PartyRole.SATICI, str(uuid.uuid4())),
        request_as(real_app, demo_pki, buyer_id, "ege", invoice_id, PartyRole.ALICI, str(uuid.uuid4())),
    )
    refusals = [r for r in results if isinstance(r, CancellationRefused)]
    assert len(refusals) == 1, results
    assert "onay bekleyen bir iptal talebi zaten var" in refusals[0].message
    assert count(real_app, CancellationRequest) == 1


def test_the_same_onayla_sent_twice_at_once_makes_one_request(real_app, demo_pki):
    seller_id, _, invoice_id = setup_invoice(real_app, demo_pki)
    submission = str(uuid.uuid4())
    action = request_as(real_app, demo_pki, seller_id, "anadolu", invoice_id, PartyRole.SATICI, submission)
    results = run_together(action, action)
    assert all(isinstance(r, tuple) for r in results), results
    assert {r[0] for r in results} == {results[0][0]}
    assert sorted(r[1] for r in results) == [False, True]
    assert count(real_app, CancellationRequest) == 1
    assert count(real_app, AuditEvent, AuditEvent.action == "iptal_talebi_olusturuldu") == 1


def test_two_approvals_at_once_sign_and_record_once(real_app, demo_pki):
    seller_id, buyer_id, invoice_id = setup_invoice(real_app, demo_pki)
    request_id, _ = request_as(real_app, demo_pki, seller_id, "anadolu", invoice_id, PartyRole.SATICI, str(uuid.uuid4()))()
    token = demo_pki.token("ege")

    def approve():
        with real_app.app_context():
            taxpayer = get_session().get(Taxpayer, buyer_id)
            card = CardChoice("SoftHSM", demo_pki.module_path, token.label)
            return operations.decide_requests(taxpayer, [request_id], "onay", card, token.pin)

    results = run_together(approve, approve)
    assert sorted(len(r.done) for r in results) == [0, 1], results
    assert count(real_app, AuditEvent, AuditEvent.action == "iptal_talebi_onaylandi") == 1
    assert count(real_app, CancellationRequest, CancellationRequest.status == CancellationStatus.APPROVED) == 1
