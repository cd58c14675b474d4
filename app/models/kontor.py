"""Kontör (SPEC C9): a taxpayer's quota packages and every movement on them.

A package holds units ("adet": one per stored document) or megabytes ("mb": storage by size) from its start to its
expiry date. ``remaining`` only ever goes down by a spend (``app.kontor.spending``) or the daily write-off; the
movement rows say why, each with the package it touched (and, for a spend, the stored document).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


def _enum(enum_class: type[enum.Enum], length: int = 16) -> Enum:
    return Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class KontorUnit(enum.Enum):
    ADET = "adet"  # one unit per stored document
    MB = "mb"  # the document's size in MB, rounded up

    @property
    def label(self) -> str:
        return "Adet" if self is KontorUnit.ADET else "MB"


class MovementKind(enum.Enum):
    YUKLEME = "yukleme"
    KULLANIM = "kullanim"
    IADE = "iade"
    SURESI_DOLDU = "suresi_doldu"

    @property
    def label(self) -> str:
        return {"yukleme": "Yükleme", "kullanim": "Kullanım", "iade": "İade", "suresi_doldu": "Süresi Doldu"}[self.value]

    @property
    def sign(self) -> int:
        """+1 for what adds to the balance, -1 for what takes from it."""
        return 1 if self in (MovementKind.YUKLEME, MovementKind.IADE) else -1


class KontorPackage(Base):
    """One package: the yearly bank package, or one bought later."""

    __tablename__ = "kontor_package"
    __table_args__ = (
        CheckConstraint("remaining >= 0", name="remaining_not_negative"),
        CheckConstraint("remaining <= quantity", name="remaining_within_quantity"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_kontor_package_spending", "taxpayer_id", "unit", "expires_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[KontorUnit] = mapped_column(_enum(KontorUnit, 8))
    quantity: Mapped[int] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)  # the last day it can be spent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    written_off_at: Mapped[datetime | None]  # the daily job wrote its rest off

    def usable_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.expires_on and self.written_off_at is None


class KontorMovement(Base):
    """Yükleme, Kullanım (with the document), İade or Süresi Doldu: ``amount`` is always positive."""

    __tablename__ = "kontor_movement"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_kontor_movement_taxpayer", "taxpayer_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="RESTRICT"))
    package_id: Mapped[int] = mapped_column(ForeignKey("kontor_package.id", ondelete="RESTRICT"), index=True)
    kind: Mapped[MovementKind] = mapped_column(_enum(MovementKind, 16))
    unit: Mapped[KontorUnit] = mapped_column(_enum(KontorUnit, 8))
    amount: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("archived_document.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(String(250), default="")
