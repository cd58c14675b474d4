"""An e-Fatura between two taxpayers, as GİB's system knows it (imported UBL-TR or demo data)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow

# Profiles whose cancellation goes through the İptal Portalı (GİB guide §2); a TICARIFATURA is
# cancelled by a RED application response instead.
PORTAL_CANCELLABLE_PROFILES = frozenset({"TEMELFATURA", "HKS"})


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

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def party_role_of(self, identifier: str) -> str | None:
        """"SATICI" or "ALICI" for a party of this invoice, None for anyone else."""
        if identifier == self.sender_identifier:
            return "SATICI"
        if identifier == self.receiver_identifier:
            return "ALICI"
        return None

    def counterparty_of(self, identifier: str) -> str:
        return self.receiver_identifier if identifier == self.sender_identifier else self.sender_identifier
