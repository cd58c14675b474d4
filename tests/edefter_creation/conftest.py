"""Fixtures for e-Defter creation: journal rows inserted directly, a company with settings and a contract,
GİB's simulator on a real socket, and small parts (a few KB) so that periods split."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.gib.client import GibClient
from app.models import JournalBatch, JournalEntry, JournalLine, JournalPeriod, JournalPeriodState, JournalSource
from tests.edefter.conftest import SMMM_CONTRACT, html_of, settings_form, text_of  # noqa: F401
from tests.fixtures.gib import gib_seal_settings, new_key

SALE = (("120", "ALICILAR", "120.01", "Ege Kumaş Ltd.", "D"), ("600", "YURT İÇİ SATIŞLAR", None, None, "C"),
        ("391", "HESAPLANAN KDV", None, None, "C"))
PURCHASE = (("153", "TİCARİ MALLAR", None, None, "D"), ("191", "İNDİRİLECEK KDV", None, None, "D"),
            ("320", "SATICILAR", "320.07", "Karadeniz Lojistik", "C"))


def entry_lines(index: int) -> list[tuple[str, str, str | None, str | None, str, Decimal]]:
    """Balanced lines of madde ``index``: sales and purchases with 20 % KDV, amounts varying."""
    net = Decimal(100 + (index * 37) % 900)
    vat = (net * Decimal("0.20")).quantize(Decimal("0.01"))
    template = SALE if index % 2 == 0 else PURCHASE
    amounts = (net + vat, net, vat) if template is SALE else (net, vat, net + vat)
    return [(*account, amount) for account, amount in zip(template, amounts)]


@dataclass
class Journal:
    period: JournalPeriod
    entry_count: int
    line_count: int


@pytest.fixture
def journal(db_session: Session) -> Callable[..., Journal]:
    """Insert a month of maddeler for a taxpayer (dates in order, entry numbers F-<n>), committed."""

    def make(taxpayer_id: int, year: int, month: int, count: int, *, branch_code: str = "",
             change: Callable[[int, dict[str, Any]], None] | None = None) -> Journal:
        period = JournalPeriod(taxpayer_id=taxpayer_id, branch_code=branch_code, year=year, month=month,
                               state=JournalPeriodState.OPEN, entry_count=count, line_count=count * 3)
        db_session.add(period)
        db_session.flush()
        batch = JournalBatch(period_id=period.id, source=JournalSource.CLI, actor="test", entry_count=count,
                             line_count=count * 3)
        db_session.add(batch)
        db_session.flush()
        start = date(year, month, 1)
        days = ((start.replace(day=28) + timedelta(days=4)).replace(day=1) - start).days
        for index in range(count):
            day = start + timedelta(days=index * days // max(count, 1))
            fields: dict[str, Any] = {"entry_date": day, "comment": f"{index + 1}. fiş"}
            if change is not None:
                change(index, fields)
            entry = JournalEntry(period_id=period.id, batch_id=batch.id, entry_number=f"F-{month:02d}-{index + 1}",
                                 entered_by="Muhasebe", entry_date=fields["entry_date"], comment=fields["comment"])
            db_session.add(entry)
            db_session.flush()
            for line_no, (main, main_name, sub, sub_name, side, amount) in enumerate(entry_lines(index), start=1):
                invoice = side == "D" and main == "120"
                db_session.add(JournalLine(
                    period_id=period.id, entry_id=entry.id, line_no=line_no, account_main_id=main,
                    account_main_description=main_name, account_sub_id=sub, account_sub_description=sub_name,
                    amount=fields.get("amount", amount) if line_no == 1 else amount, side=side,
                    document_type="invoice" if invoice else None,
                    document_number=f"ANA2024{index:09d}" if invoice else None,
                    document_date=fields["entry_date"] if invoice else None,
                    payment_method="Açık hesap" if invoice else None, comment=None))
        db_session.commit()
        return Journal(period, count, count * 3)

    return make


@pytest.fixture
def small_parts(app: Flask) -> int:
    """Parts of at most 24 KB: a period of a few dozen maddeler splits into several."""
    app.config["EDEFTER_PART_MAX_KB"] = 24
    return 24 * 1024


@pytest.fixture
def company(login_as, party, client: FlaskClient):  # type: ignore[no-untyped-def]
    """Anadolu Tekstil logged in with its Firma Ayarları (fiscal year 2024) and an SMMM contract saved."""
    anadolu = party("anadolu")
    login_as(anadolu.taxpayer)
    assert client.post("/edefter/firma-ayarlari", data=settings_form()).status_code == 303
    assert client.post("/edefter/sozlesmeler", data=SMMM_CONTRACT).status_code == 303
    return anadolu


@pytest.fixture
def gib(app: Flask, gib_simulator_factory, demo_pki, company) -> GibClient:  # type: ignore[no-untyped-def]
    """GİB's simulator (trusting the demo CA, sealing with the demo GİB token), the portal pointed at it, and
    Anadolu Tekstil in its registry."""
    simulator = gib_simulator_factory(trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki))
    app.config["GIB_URL"] = simulator.base_url
    simulator.client.register_taxpayer(company.taxpayer.identifier, company.taxpayer.unvan,
                                       idempotency_key=new_key())
    return simulator.client
