"""An e-Fatura between two taxpayers, as GİB's system knows it (imported UBL-TR or demo data)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Date, Enum, Index, Numeric, String, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow

# Profiles whose cancellation goes through the İptal Portalı (GİB guide §2); a TICARIFATURA is
# cancelled by a RED application response instead.
PORTAL_CANCELLABLE_PROFILES = frozenset({"TEMELFATURA", "HKS"})


class InvoiceOrigin(enum.Enum):
    """Why the portal believes an invoice exists (decision note 0053)."""

    SYSTEM = "system"  # made by the portal itself: demo data, tests, rows older than the proofs
    SIGNED = "signed"  # imported with a XAdES signature that verified and names the seller
    UPLOADER_ONLY = "uploader_only"  # imported unsigned in demo/test mode: only its uploader sees it

    @property
    def label(self) -> str:
        return {
            "system": "Portal kaydı",
            "signed": "Satıcı imzalı",
            "uploader_only": "İmzasız (yalnızca size görünür)",
        }[self.value]


class Invoice(Base):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("sender_identifier", "number"),
        Index("ix_invoice_sender_issue", "sender_identifier", "issue_date"),
        Index("ix_invoice_receiver_issue", "receiver_identifier", "issue_date"),
        Index("ix_invoice_receiver_number", "receiver_identifier", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ettn: Mapped[str] = mapped_column(String(36), unique=True)
    number: Mapped[str] = mapped_column(String(16))
    profile_id: Mapped[str] = mapped_column(String(30))
    type_code: Mapped[str] = mapped_column(String(30))
    issue_date: Mapped[date] = mapped_column(Date)
    # Both parties see the invoice: rows are scoped by the party identifiers (VKN/TCKN).
    sender_identifier: Mapped[str] = mapped_column(String(11))
    sender_name: Mapped[str] = mapped_column(String(250))
    receiver_identifier: Mapped[str] = mapped_column(String(11))
    receiver_name: Mapped[str] = mapped_column(String(250))
    payable_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="TRY")
    # When the invoice reached the buyer's mailbox: the 8-day window counts from here.
    delivered_on: Mapped[date] = mapped_column(Date)
    cancelled_at: Mapped[datetime | None]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Proof of origin (decision note 0053). Rows made before it (demo data, the tests' factory) are SYSTEM.
    origin: Mapped[InvoiceOrigin] = mapped_column(
        Enum(InvoiceOrigin, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=InvoiceOrigin.SYSTEM,
        server_default=InvoiceOrigin.SYSTEM.value,
    )
    # SIGNED: the seller's signing certificate. UPLOADER_ONLY: the one taxpayer who may see the row. (Set
    # together by app.invoices.origin; the import records the uploader of every row it makes.)
    origin_certificate_serial: Mapped[str | None] = mapped_column(String(64))
    # A taxpayer id, without a foreign key so that SQLite adds and drops the column in place (see the migration).
    uploaded_by_taxpayer_id: Mapped[int | None]
    # True when the party is unknown to the portal and its name was taken from the file ("dosyadaki unvan").
    sender_name_from_file: Mapped[bool] = mapped_column(default=False, server_default="0")
    receiver_name_from_file: Mapped[bool] = mapped_column(default=False, server_default="0")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_uploader_only(self) -> bool:
        return self.origin is InvoiceOrigin.UPLOADER_ONLY

    def visible_to(self, taxpayer_id: int, identifier: str) -> bool:
        """A party sees the invoice, except an unsigned import, which only its uploader sees."""
        if self.party_role_of(identifier) is None:
            return False
        return not self.is_uploader_only or self.uploaded_by_taxpayer_id == taxpayer_id

    def party_role_of(self, identifier: str) -> str | None:
        """"SATICI" or "ALICI" for a party of this invoice, None for anyone else."""
        if identifier == self.sender_identifier:
            return "SATICI"
        if identifier == self.receiver_identifier:
            return "ALICI"
        return None

    def counterparty_of(self, identifier: str) -> str:
        return self.receiver_identifier if identifier == self.sender_identifier else self.sender_identifier


def visible_to_taxpayer(taxpayer_id: int) -> ColumnElement[bool]:
    """The SQL side of ``Invoice.visible_to`` (the party condition is the caller's): all rows but the
    unsigned imports of someone else (decision note 0053)."""
    return or_(Invoice.origin != InvoiceOrigin.UPLOADER_ONLY, Invoice.uploaded_by_taxpayer_id == taxpayer_id)
