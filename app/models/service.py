"""Service activation (Hizmet Aktivasyonu, SPEC C): a taxpayer's labels, its signed requests to GİB, its GİB
e-Fatura application, and the copy of GİB's registered-user list the portal keeps.

A label (etiket) belongs to one product (e-Fatura, e-Arşiv, …) and moves Kapalı → Onay Bekliyor → Hizmet
Aktifleştirilmiştir → Kapatıldı. Each opening or closing is a `ServiceRequest`: the signed document, sent to
GİB with the request's own `submission_id` as the Idempotency-Key, and what GİB answered.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


def _enum(enum_class: type[enum.Enum], length: int = 16) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class LabelStatus(enum.Enum):
    KAPALI = "kapali"
    ONAY_BEKLIYOR = "onay_bekliyor"
    AKTIF = "aktif"
    KAPATILDI = "kapatildi"

    @property
    def label(self) -> str:
        return {
            "kapali": "Kapalı",
            "onay_bekliyor": "Onay Bekliyor",
            "aktif": "Hizmet Aktifleştirilmiştir",
            "kapatildi": "Kapatıldı",
        }[self.value]


class RequestAction(enum.Enum):
    ACMA = "acma"
    KAPATMA = "kapatma"

    @property
    def label(self) -> str:
        return "Aktivasyon" if self is RequestAction.ACMA else "Kapatma"


class RequestStatus(enum.Enum):
    """Where a signed request (or application) stands between the portal and GİB."""

    GONDERILIYOR = "gonderiliyor"  # signed and kept; the call to GİB is under way (or was cut off)
    GONDERILEMEDI = "gonderilemedi"  # GİB could not be reached or did not answer: send the same document again
    REDDEDILDI = "reddedildi"  # GİB refused it (and changed nothing)
    ONAY_BEKLIYOR = "onay_bekliyor"  # GİB accepted it; the labels wait for approval (or their date)
    TAMAMLANDI = "tamamlandi"  # approved (opening) or done (closing, application)

    @property
    def label(self) -> str:
        return {
            "gonderiliyor": "GİB'e gönderiliyor",
            "gonderilemedi": "GİB'e gönderilemedi",
            "reddedildi": "GİB reddetti",
            "onay_bekliyor": "Onay Bekliyor",
            "tamamlandi": "Tamamlandı",
        }[self.value]

    @property
    def unresolved(self) -> bool:
        """Signed but not known to have reached GİB: only "Tekrar Gönder" (the same document) may follow."""
        return self in (RequestStatus.GONDERILIYOR, RequestStatus.GONDERILEMEDI)


class EFaturaApplication(Base):
    """The taxpayer's signed "GİB e-Fatura Başvuru Bilgileri" (Yararlanma Yöntemi: Özel Entegrasyon)."""

    __tablename__ = "efatura_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"), index=True)
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(250))
    tax_office: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    method: Mapped[str] = mapped_column(String(40))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.GONDERILIYOR)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    certificate_serial: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    gib_message: Mapped[str | None] = mapped_column(Text)

    @property
    def idempotency_key(self) -> str:
        return f"efatura-basvurusu-{self.submission_id}"


class ServiceRequest(Base):
    """One signed opening or closing of some of a product's labels, and GİB's answer."""

    __tablename__ = "service_request"
    __table_args__ = (Index("ix_service_request_taxpayer", "taxpayer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    # The confirmation form's one-time id: a second "Tamam" finds this row; GİB gets it as the Idempotency-Key.
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    action: Mapped[RequestAction] = mapped_column(_enum(RequestAction, 10))
    product: Mapped[str] = mapped_column(String(20))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus), default=RequestStatus.GONDERILIYOR)
    # Where the taxpayer comes from (SPEC C7), asked before a product's first activation.
    origin: Mapped[str | None] = mapped_column(String(20))
    activation_date: Mapped[date | None] = mapped_column(Date)
    document: Mapped[bytes] = mapped_column(LargeBinary)
    certificate_serial: Mapped[str] = mapped_column(String(64))
    # False: a product GİB has no service code for (e-Defter): kept here, active on its date.
    sent_to_gib: Mapped[bool] = mapped_column(default=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("efatura_application.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    gib_request_id: Mapped[str | None] = mapped_column(String(64))
    effective_at: Mapped[datetime | None]  # when GİB activates (or activated) the labels
    completed_at: Mapped[datetime | None]
    gib_message: Mapped[str | None] = mapped_column(Text)
    # Labels GİB closed on approval (GİB Portal, local integration): [{alias, role, document_type, …}].
    closed_elsewhere: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    checked_at: Mapped[datetime | None]  # the last time GİB was asked about the approval
    next_check_at: Mapped[datetime | None]  # when to ask again while it waits

    application: Mapped[EFaturaApplication | None] = relationship()

    @property
    def idempotency_key(self) -> str:
        return f"hizmet-talebi-{self.submission_id}"


class ServiceLabel(Base):
    """One label (etiket) of a product: e.g. e-Fatura PK urn:mail:defaultpk@firma.com.tr."""

    __tablename__ = "service_label"
    __table_args__ = (
        # The same alias of the same kind is live (not closed) only once per taxpayer.
        Index(
            "uq_service_label_live",
            "taxpayer_id",
            "kind",
            "alias",
            unique=True,
            sqlite_where=text("status != 'kapatildi'"),
            postgresql_where=text("status != 'kapatildi'"),
        ),
        Index("ix_service_label_taxpayer", "taxpayer_id", "product"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    product: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    alias: Mapped[str] = mapped_column(String(250))
    status: Mapped[LabelStatus] = mapped_column(_enum(LabelStatus), default=LabelStatus.KAPALI)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_at: Mapped[datetime | None]
    activation_date: Mapped[date | None] = mapped_column(Date)
    activated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    opening_request_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id", ondelete="RESTRICT"))
    closing_request_id: Mapped[int | None] = mapped_column(ForeignKey("service_request.id", ondelete="RESTRICT"))
    last_error: Mapped[str | None] = mapped_column(Text)  # GİB's (or the portal's) message of the last failed try

    opening_request: Mapped[ServiceRequest | None] = relationship(foreign_keys=[opening_request_id])
    closing_request: Mapped[ServiceRequest | None] = relationship(foreign_keys=[closing_request_id])

    @property
    def unresolved_request(self) -> ServiceRequest | None:
        """The opening or closing signed for this label that is not known to have reached GİB."""
        for request in (self.closing_request, self.opening_request):
            if request is not None and request.status.unresolved:
                return request
        return None


class UserListDownload(Base):
    """One download of GİB's registered-user list (PK and GB zips), kept in the file store."""

    __tablename__ = "user_list_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    downloaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    pk_filename: Mapped[str] = mapped_column(String(120))
    pk_sha256: Mapped[str] = mapped_column(String(64))
    pk_size: Mapped[int] = mapped_column(Integer)
    gb_filename: Mapped[str] = mapped_column(String(120))
    gb_sha256: Mapped[str] = mapped_column(String(64))
    gb_size: Mapped[int] = mapped_column(Integer)
    user_count: Mapped[int] = mapped_column(Integer, default=0)
    alias_count: Mapped[int] = mapped_column(Integer, default=0)


class RegisteredUserAlias(Base):
    """One alias of GİB's registered-user list, as of the newest download (replaced on each download)."""

    __tablename__ = "registered_user_alias"
    __table_args__ = (Index("ix_registered_user_alias_identifier", "identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    download_id: Mapped[int] = mapped_column(ForeignKey("user_list_download.id", ondelete="CASCADE"), index=True)
    identifier: Mapped[str] = mapped_column(String(11))
    title: Mapped[str] = mapped_column(String(250))
    search_title: Mapped[str] = mapped_column(String(250))  # lower-cased the Turkish way, for the title search
    user_type: Mapped[str] = mapped_column(String(10))
    account_type: Mapped[str] = mapped_column(String(20))
    first_creation_time: Mapped[datetime | None]
    document_type: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(2))
    alias: Mapped[str] = mapped_column(String(250))
    creation_time: Mapped[datetime | None]
    deletion_time: Mapped[datetime | None]
