"""A request of the e-Fatura İptal/İtiraz Portalı: an iptal (cancellation) or an itiraz (objection) notice,
signed by one party and, as a rule, decided by the other (GİB guide §2, §4, §5)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Enum, ForeignKey, Index, LargeBinary, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.models.invoice import Invoice


class RequestKind(enum.Enum):
    IPTAL = "iptal"
    ITIRAZ = "itiraz"

    @property
    def label(self) -> str:
        return "İptal" if self is RequestKind.IPTAL else "İtiraz"


class CancellationStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    DELETED = "deleted"
    # A KAMU invoice's objection by the seller: GİB asks no approval of the buyer (guide §2).
    NOTIFIED = "notified"

    @property
    def label(self) -> str:
        return self.label_for(RequestKind.IPTAL)

    def label_for(self, kind: RequestKind) -> str:
        """GİB's words for the state of a request of this kind."""
        if self is CancellationStatus.APPROVED:
            return "Fatura İptal Edildi" if kind is RequestKind.IPTAL else "Fatura İtiraz Kabul Edildi"
        return {
            "pending": "Onay Bekliyor",
            "rejected": "Talep Reddedildi",
            "deleted": "Talep Silindi",
            "notified": "Bildirildi (alıcı onayı aranmaz)",
        }[self.value]


class ObjectionMethod(enum.Enum):
    """İtiraz Yöntemi: the ways of TTK 18/3."""

    NOTER = "noter"
    TAAHHUTLU = "taahhutlu"
    TELGRAF = "telgraf"
    KEP = "kep"

    @property
    def label(self) -> str:
        return {
            "noter": "Noter Aracılığıyla",
            "taahhutlu": "Taahhütlü Mektup",
            "telgraf": "Telgraf",
            "kep": "KEP",
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
        # At most one open iptal request per invoice, enforced by the database against races.
        Index(
            "uq_cancellation_request_open_invoice",
            "invoice_id",
            unique=True,
            sqlite_where=text("status = 'pending' AND kind = 'iptal'"),
            postgresql_where=text("status = 'pending' AND kind = 'iptal'"),
        ),
        # An invoice's requests, whatever their state: the sanal Ba/Bs reads them for a month of invoices.
        Index("ix_cancellation_request_invoice", "invoice_id"),
        # An invoice is objected to once: any itiraz but a withdrawn one blocks another (guide §5).
        Index(
            "uq_cancellation_request_one_itiraz",
            "invoice_id",
            unique=True,
            sqlite_where=text("kind = 'itiraz' AND status != 'deleted'"),
            postgresql_where=text("kind = 'itiraz' AND status != 'deleted'"),
        ),
        # One partial index per list, matching its filter (the kind included: iptal and itiraz lists are apart),
        # so each list's count and page read only the rows they show (bench/bench_iptal_lists.py).
        Index(
            "ix_cancellation_request_requested_by",
            "requester_taxpayer_id",
            "kind",
            "requested_at",
            sqlite_where=text("status != 'deleted'"),
            postgresql_where=text("status != 'deleted'"),
        ),
        Index(
            "ix_cancellation_request_incoming",
            "responder_identifier",
            "kind",
            "requested_at",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index(
            "ix_cancellation_request_cancelled_by",
            "decided_by_taxpayer_id",
            "kind",
            "requested_at",
            sqlite_where=text("status = 'approved'"),
            postgresql_where=text("status = 'approved'"),
        ),
        Index(
            "ix_cancellation_request_rejected_by",
            "decided_by_taxpayer_id",
            "kind",
            "requested_at",
            sqlite_where=text("status = 'rejected'"),
            postgresql_where=text("status = 'rejected'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(_enum(RequestKind), default=RequestKind.IPTAL,
                                              server_default=RequestKind.IPTAL.value)
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
    # İtiraz only: the TTK 18/3 document the objection was made with (İtiraz Belge Numarası/Tarihi, Yöntemi).
    objection_document_number: Mapped[str | None] = mapped_column(String(50))
    objection_document_date: Mapped[date | None] = mapped_column(Date)
    objection_method: Mapped[ObjectionMethod | None] = mapped_column(_enum(ObjectionMethod))

    invoice: Mapped[Invoice] = relationship(lazy="joined", innerjoin=True)
