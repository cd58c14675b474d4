"""GİB's state in the simulator: taxpayers, e-Fatura applications, label requests, aliases, berats.

Times are UTC. Pending activations are not rows that change later: an alias carries the moment it
becomes active (`created_at`, possibly in the future) and, once closed, the moment it stops
(`deleted_at`), so every reader derives "Onay Bekliyor" / "Hizmet Aktifleştirilmiştir" from the clock.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.gib.simulator.db import TABLE_PREFIX, SimulatorBase, UTCDateTime


class Taxpayer(SimulatorBase):
    __tablename__ = f"{TABLE_PREFIX}taxpayers"

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(11), unique=True)
    title: Mapped[str] = mapped_column(String(250))
    user_type: Mapped[str] = mapped_column(String(4), default="OZEL")  # OZEL | KAMU
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())

    application: Mapped[EFaturaApplication | None] = relationship(back_populates="taxpayer")
    aliases: Mapped[list[Alias]] = relationship(back_populates="taxpayer", order_by="Alias.id")


class EFaturaApplication(SimulatorBase):
    """A signed 'GİB e-Fatura Başvuru Bilgileri' form; one per taxpayer."""

    __tablename__ = f"{TABLE_PREFIX}efatura_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey(Taxpayer.id), unique=True)
    method: Mapped[str] = mapped_column(String(40))
    tax_office: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signer_serial: Mapped[str] = mapped_column(String(80))
    signed_document: Mapped[bytes] = mapped_column(LargeBinary)

    taxpayer: Mapped[Taxpayer] = relationship(back_populates="application")


class LabelRequest(SimulatorBase):
    """A signed request to open (ProcessUserAccount) or close (CancelUserAccount) labels."""

    __tablename__ = f"{TABLE_PREFIX}label_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey(Taxpayer.id), index=True)
    action: Mapped[str] = mapped_column(String(5))  # open | close
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    activation_date: Mapped[date | None] = mapped_column(Date)
    effective_at: Mapped[datetime] = mapped_column(UTCDateTime())
    signer_serial: Mapped[str] = mapped_column(String(80))
    signed_document: Mapped[bytes] = mapped_column(LargeBinary)

    taxpayer: Mapped[Taxpayer] = relationship()
    aliases: Mapped[list[Alias]] = relationship(
        back_populates="opening_request", foreign_keys="Alias.opening_request_id", order_by="Alias.id"
    )


class Alias(SimulatorBase):
    """A label (etiket) of a taxpayer for one document type and role."""

    __tablename__ = f"{TABLE_PREFIX}aliases"
    __table_args__ = (
        # The same VKN + alias + document type can be live only once (GIB-FORMATS §3).
        Index(
            f"uq_{TABLE_PREFIX}aliases_live",
            "taxpayer_id",
            "document_type",
            "name",
            unique=True,
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey(Taxpayer.id), index=True)
    document_type: Mapped[str] = mapped_column(String(20))  # Invoice | DespatchAdvice
    role: Mapped[str] = mapped_column(String(2))  # GB | PK
    name: Mapped[str] = mapped_column(String(250))
    account_type: Mapped[str] = mapped_column(String(20))  # GIBPORTAL | ENTEGRASYON | OZELENTEGRASYON
    integrator: Mapped[str] = mapped_column(String(120), default="")
    option_code: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opening_request_id: Mapped[str | None] = mapped_column(ForeignKey(LabelRequest.id))
    closing_request_id: Mapped[str | None] = mapped_column(ForeignKey(LabelRequest.id))

    taxpayer: Mapped[Taxpayer] = relationship(back_populates="aliases")
    opening_request: Mapped[LabelRequest | None] = relationship(
        back_populates="aliases", foreign_keys=[opening_request_id]
    )

    def is_active(self, now: datetime) -> bool:
        return self.created_at <= now and (self.deleted_at is None or self.deleted_at > now)


class Berat(SimulatorBase):
    """A yevmiye or kebir berat GİB approved, with the sealed copy it returned."""

    __tablename__ = f"{TABLE_PREFIX}berats"
    __table_args__ = (UniqueConstraint("taxpayer_id", "period", "kind", "part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey(Taxpayer.id), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    kind: Mapped[str] = mapped_column(String(2))  # YB | KB
    part: Mapped[int] = mapped_column(Integer)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime())
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    signer_serial: Mapped[str] = mapped_column(String(80))
    submitted_berat: Mapped[bytes] = mapped_column(LargeBinary)
    approved_berat: Mapped[bytes] = mapped_column(LargeBinary)

    taxpayer: Mapped[Taxpayer] = relationship()


class IdempotentResponse(SimulatorBase):
    """The answer given to a state-changing call, replayed when the same Idempotency-Key comes again."""

    __tablename__ = f"{TABLE_PREFIX}idempotent_responses"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DefterReport(SimulatorBase):
    """A defter raporu (DR) GİB received: one per taxpayer, period and branch."""

    __tablename__ = f"{TABLE_PREFIX}defter_reports"
    __table_args__ = (UniqueConstraint("taxpayer_id", "period", "branch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey(Taxpayer.id), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    branch: Mapped[str] = mapped_column(String(4), default="")
    filename: Mapped[str] = mapped_column(String(80), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    acceptance_id: Mapped[str] = mapped_column(String(36))
    signer_serial: Mapped[str] = mapped_column(String(80))
    document: Mapped[bytes] = mapped_column(LargeBinary)

    taxpayer: Mapped[Taxpayer] = relationship()
