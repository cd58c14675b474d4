"""A realistic demo invoice (about 4 KB as XML) for demo data, the signing benchmark and tests."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Literal

from app.formats.ubl.writer import LineItem, NewInvoice, PartyDetails

DEMO_SELLER = PartyDetails(
    identifier="1234567890", name="Anadolu Yazılım ve Danışmanlık A.Ş.", city="Ankara", district="Çankaya",
    street="Atatürk Bulvarı No: 125", tax_office="Kavaklıdere",
)  # fmt: skip
DEMO_BUYER = PartyDetails(
    identifier="9876543210", name="Ege Gıda Sanayi ve Ticaret Ltd. Şti.", city="İzmir", district="Konak",
    street="Cumhuriyet Meydanı No: 4", tax_office="Konak",
)  # fmt: skip
DEMO_LINES = (LineItem("Yazılım bakım ve destek hizmeti (aylık)", Decimal("1"), Decimal("12500.00")),)


def example_invoice(
    *,
    number: str = "ANA2025000000001",
    ettn: str = "5f0c2a8e-3b1d-4c6e-9a7f-2d4e6b8c0a12",
    issue_date: date = date(2025, 1, 15),
    issue_time: time | None = time(10, 30, 0),
    seller: PartyDetails = DEMO_SELLER,
    buyer: PartyDetails = DEMO_BUYER,
    lines: tuple[LineItem, ...] = DEMO_LINES,
    profile_id: Literal["TEMELFATURA", "TICARIFATURA"] = "TEMELFATURA",
) -> NewInvoice:
    """A SATIS invoice between two demo companies (TEMELFATURA unless told); override any field."""
    return NewInvoice(
        number=number,
        ettn=ettn,
        issue_date=issue_date,
        issue_time=issue_time,
        seller=seller,
        buyer=buyer,
        lines=lines,
        profile_id=profile_id,
        notes=("Bu fatura eğitim amaçlı örnek veridir.",),
    )
