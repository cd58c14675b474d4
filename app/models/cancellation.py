"""An e-Fatura cancellation request (İptal Portalı): signed by one party, decided by the other."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.models.invoice import Invoice


class CancellationStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DELETED = "deleted"

    @property
    def label(self) -> str:
        return {
            "pending": "Onay Bekliyor",
            "approved": "Fatura İptal Edildi",
            "rejected": "Talep Reddedildi",
            "deleted": "Talep Silindi",
        }[self.value]


class PartyRole(enum.Enum):
    SATICI = "SATICI"
    ALICI = "ALICI"

    @property
    def label(self) -> str:
        return "Satıcı" if self is PartyRole.SATICI else "Alıcı"


def _enum(enum_class: type[enum.Enum]) -> Enum:
    return Enum(enum_class, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])


class CancellationRequest(Base):
    __tablename__ = "cancellation_request"
    __table_args__ = (
        # At most one open request per invoice, enforced by the database against races.
        Index(
            "uq_cancellation_request_open_invoice",
            "invoice_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        # One partial index per İptal Portalı list, matching its filter, so each list's count and
        # page read only the rows they show (bench/bench_iptal_lists.py).
        Index(
            "ix_cancellation_request_requested_by",
            "requester_taxpayer_id",
            "requested_at",
            sqlite_where=text("status != 'deleted'"),
            postgresql_where=text("status != 'deleted'"),
        ),
        Index(
            "ix_cancellation_request_incoming",
            "responder_identifier",
            "requested_at",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index(
            "ix_cancellation_request_cancelled_by",
            "decided_by_taxpayer_id",
            "requested_at",
            sqlite_where=text("status = 'approved'"),
            postgresql_where=text("status = 'approved'"),
        ),
        Index(
            "ix_cancellation_request_rejected_by",
            "decided_by_taxpayer_id",
            "requested_at",
            sqlite_where=text("status = 'rejected'"),
            postgresql_where=text("status = 'rejected'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The one-time id of the confirmation form: a resubmitted "Onayla" finds this row again.
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="RESTRICT"))
    requester_taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    requester_role: Mapped[PartyRole] = mapped_column(_enum(PartyRole))
    # The other party decides; it may not have logged in yet, so it is named by identifier too.
    responder_identifier: Mapped[str] = mapped_column(String(11))
    decided_by_taxpayer_id: Mapped[int | None] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    status: Mapped[CancellationStatus] = mapped_column(_enum(CancellationStatus), default=CancellationStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    request_xml: Mapped[bytes] = mapped_column(LargeBinary)
    request_certificate_serial: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    decision_xml: Mapped[bytes | None] = mapped_column(LargeBinary)
    decision_certificate_serial: Mapped[str | None] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None]

    invoice: Mapped[Invoice] = relationship(lazy="joined", innerjoin=True)
