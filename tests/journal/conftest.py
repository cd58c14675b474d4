"""Journal intake fixtures: taxpayers with API keys, request bodies and spreadsheets."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

import pytest
from flask import Flask

from app.journal.api_keys import create_key
from app.models import Taxpayer

PERIOD = "2026-11"


@pytest.fixture
def make_key(app: Flask, db_session) -> Callable[..., str]:
    """A new API key (its token) for a taxpayer."""

    def make(taxpayer: Taxpayer, scope: str = "defter", expires_on: date | None = None, name: str = "Muhasebe") -> str:
        db_session.commit()
        with app.test_request_context():
            return create_key(taxpayer, name, scope, expires_on, "Test").token

    return make


@pytest.fixture
def company(taxpayer_factory, db_session) -> Taxpayer:
    taxpayer = taxpayer_factory(unvan="DEFTER TİCARET A.Ş.")
    db_session.commit()
    return taxpayer


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def line(account: str, name: str, debit: str | None = None, credit: str | None = None, **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"hesap_kodu": account, "hesap_adi": name, **extra}
    if debit is not None:
        found["borc"] = debit
    if credit is not None:
        found["alacak"] = credit
    return found


def sale(number: str, day: str = "2026-11-03", amount: str = "1180.00") -> dict[str, Any]:
    """A balanced madde: cash sale with its invoice and VAT."""
    net = f"{float(amount) / 1.18:.2f}"
    vat = f"{float(amount) - float(net):.2f}"
    return {"madde_no": number, "tarih": day, "aciklama": f"Peşin satış {number}", "satirlar": [
        line("100", "KASA", debit=amount, odeme_sekli="NAKİT"),
        line("600", "YURT İÇİ SATIŞLAR", credit=net, belge_turu="invoice", belge_no=f"ANA2026{int(number):09d}",
             belge_tarihi=day),
        line("391", "HESAPLANAN KDV", credit=vat, alt_hesap_kodu="391.01", alt_hesap_adi="KDV %18"),
    ]}


def entries_url(vkn: str, period: str = PERIOD) -> str:
    return f"/api/v1/mukellefler/{vkn}/donemler/{period}/maddeler"
