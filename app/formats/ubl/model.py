"""What the reader returns: the invoice fields the portal stores and checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True, slots=True)
class Party:
    """A seller or buyer: VKN (10 digits, scheme "VKN") or TCKN (11 digits, scheme "TCKN") and name."""

    identifier: str
    scheme: Literal["VKN", "TCKN"]
    name: str


@dataclass(frozen=True, slots=True)
class InvoiceData:
    """One UBL-TR invoice as read from XML; every value has passed the format checks of reader.py."""

    ettn: str  # cbc:UUID, lower-case canonical form (8-4-4-4-12)
    number: str  # cbc:ID, e.g. DAS2020000000003
    profile_id: str  # TEMELFATURA, TICARIFATURA, HKS, ...
    invoice_type_code: str  # SATIS, IADE, ...
    issue_date: date
    issue_time: time | None  # local time as written, offset dropped
    sender: Party  # AccountingSupplierParty
    receiver: Party  # AccountingCustomerParty
    payable_amount: Decimal  # LegalMonetaryTotal/PayableAmount, at most 2 decimals
    currency: str  # PayableAmount/@currencyID (= DocumentCurrencyCode)
    has_signature: bool  # an XML signature with a value sits in UBLExtensions (not verified here)
