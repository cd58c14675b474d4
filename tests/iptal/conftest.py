"""Fixtures for the İptal Portalı: demo taxpayers with their cards, invoices between them."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

import pytest
from flask.testing import FlaskClient

from app.formatting import local_today
from app.models import Invoice, Taxpayer
from app.signing.demo_pki import DemoPKI, DemoToken


@dataclass
class Party:
    taxpayer: Taxpayer
    token: DemoToken

    def card(self, **extra: str) -> dict[str, str]:
        return {"surucu": "SoftHSM", "kart": self.token.label, **extra}


@pytest.fixture
def party(demo_pki: DemoPKI, db_session) -> Callable[[str], Party]:
    """A demo taxpayer (by its demo key: anadolu, ege, ayse, karadeniz) and its SoftHSM card."""

    def make(key: str) -> Party:
        token = next(t for t in demo_pki.tokens if t.key == key)
        taxpayer = db_session.query(Taxpayer).filter_by(identifier=token.owner_id).one_or_none()
        if taxpayer is None:
            taxpayer = Taxpayer(identifier=token.owner_id, unvan=token.owner_name)
            db_session.add(taxpayer)
            db_session.flush()
        return Party(taxpayer, token)

    return make


@pytest.fixture
def invoice_factory(db_session) -> Callable[..., Invoice]:
    counter = iter(range(1, 1_000_000))

    def make(
        seller: Party,
        buyer: Party,
        *,
        amount: str = "7840.80",
        profile: str = "TEMELFATURA",
        delivered_days_ago: int = 1,
        number: str | None = None,
    ) -> Invoice:
        delivered = local_today() - timedelta(days=delivered_days_ago)
        invoice = Invoice(
            ettn=str(uuid.uuid4()),
            number=number or f"DAS{delivered.year}{next(counter):09d}",
            profile_id=profile,
            type_code="SATIS",
            issue_date=delivered,
            sender_identifier=seller.taxpayer.identifier,
            sender_name=seller.taxpayer.unvan,
            receiver_identifier=buyer.taxpayer.identifier,
            receiver_name=buyer.taxpayer.unvan,
            payable_amount=Decimal(amount),
            currency="TRY",
            delivered_on=delivered,
        )
        db_session.add(invoice)
        db_session.commit()
        return invoice

    return make


def draft_from(html: str) -> str:
    match = re.search(r'name="taslak" value="([^"]+)"', html)
    assert match, "no confirmation form on the page"
    return match.group(1)


@pytest.fixture
def request_cancellation(client: FlaskClient) -> Callable[..., tuple[object, object]]:
    """Fill the request form, then confirm with the PIN; returns (confirmation response, final response)."""

    def run(party: Party, invoice: Invoice, *, amount: str | None = None, role: str = "SATICI", pin: str | None = None):
        confirm = client.post(
            "/FaturaIptal/talep",
            data=party.card(fatura_no=invoice.number, tutar=amount or f"{invoice.payable_amount:.2f}", islem_sahibi=role),
        )
        if confirm.status_code != 200:
            return confirm, None
        final = client.post(
            "/FaturaIptal/talep/onayla",
            data={"taslak": draft_from(confirm.get_data(as_text=True)), "sifre": pin or party.token.pin},
        )
        return confirm, final

    return run
