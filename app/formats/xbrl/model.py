"""Plain input records for writing e-Defter documents (what the company settings and the books provide)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Iterable, Literal

DebitCredit = Literal["D", "C"]

# GİB's schematron accepts these gl-cor:documentType values for a yevmiye line.
DOCUMENT_TYPES = frozenset(
    {"invoice", "check", "voucher", "receipt", "shipment", "order-vendor", "order-customer", "other"}
)
# For these the line must also carry the document's number and date.
DOCUMENT_TYPES_NEEDING_NUMBER = frozenset({"invoice", "check", "other"})


@dataclass(frozen=True)
class Address:
    building_number: str
    street: str
    city: str
    postal_code: str
    country: str = "Türkiye"


@dataclass(frozen=True)
class Accountant:
    """One SM/SMMM/YMM contract (or the in-house accounting officer) → gl-bus:accountantInformation."""

    name: str
    engagement_type_description: str


@dataclass(frozen=True)
class Branch:
    code: str  # Şube No: four digits
    name: str  # Şube Adı


@dataclass(frozen=True)
class CompanyInfo:
    """The company settings (SPEC D1–D3) that feed the context and gl-cor:entityInformation."""

    tax_id: str  # VKN (10 digits) or TCKN (11 digits)
    name: str  # unvan of a company, adı soyadı of a person
    address: Address
    phone: str
    email: str
    website: str
    nace_code: str  # İşletme Faaliyet Konusu → gl-bus:businessDescription
    fiscal_year_start: date
    fiscal_year_end: date
    accountants: tuple[Accountant, ...]
    branch: Branch | None = None

    @property
    def is_person(self) -> bool:
        return len(self.tax_id) == 11


@dataclass(frozen=True)
class DocumentInfo:
    """gl-cor:documentInfo of one defter part: its month, part sequence and creation."""

    period_start: date
    period_end: date
    creation_date: date
    sequence: int = 1  # the six digits of uniqueID (YEV/KEB + YYYYMM + NNNNNN)
    source_application: str = "e-Belge Portal"
    creator: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class EntryLine:
    """One gl-cor:entryDetail of a yevmiye madde."""

    account_main_id: str
    account_main_description: str
    amount: Decimal
    side: DebitCredit
    account_sub_id: str | None = None
    account_sub_description: str | None = None
    document_type: str | None = None
    document_type_description: str | None = None
    document_number: str | None = None
    document_date: date | None = None
    payment_method: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class JournalEntry:
    """One yevmiye madde (gl-cor:entryHeader)."""

    counter: int  # yevmiye madde numarası → gl-cor:entryNumberCounter, +1 from the previous madde
    date: date  # enteredDate, and postingDate of every line
    entered_by: str
    comment: str
    lines: tuple[EntryLine, ...]
    entry_number: str | None = None  # fiş numarası → gl-cor:entryNumber; defaults to the counter

    @property
    def number_text(self) -> str:
        return self.entry_number if self.entry_number is not None else str(self.counter)


@dataclass(frozen=True)
class LedgerLine:
    """One posting of a kebir account, pointing back at its yevmiye madde."""

    entry_counter: int  # the yevmiye madde numarası → gl-cor:lineNumberCounter
    entry_number: str  # the yevmiye gl-cor:entryNumber → gl-cor:documentReference
    date: date
    amount: Decimal
    side: DebitCredit
    comment: str | None = None


@dataclass(frozen=True)
class LedgerAccount:
    """One kebir gl-cor:entryHeader: one account (and at most one sub-account) with all its postings.

    ``debit_sum`` and ``credit_sum`` are the sums of the lines (what a GROUP BY gives): the header's net
    balance has to be written before the lines, and the lines are only iterated once.
    """

    main_id: str
    main_description: str
    debit_sum: Decimal
    credit_sum: Decimal
    lines: Iterable[LedgerLine] = field(default=())
    sub_id: str | None = None
    sub_description: str | None = None
    line_count: int | None = None  # when known beforehand, a part ends before an account that would not fit
