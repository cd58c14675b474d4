"""The calendar the deadlines are counted on: public holidays that move each year, and GİB's deadline extensions.

Both are data an administrator enters from official announcements (Diyanet's bayram dates, GİB's VUK sirküleri);
the fixed national holidays are in ``app.edefter.deadlines.rules``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.edefter import _enum


class PublicHoliday(Base):
    """A whole day off that is not in the fixed list (Ramazan Bayramı, Kurban Bayramı, a declared holiday)."""

    __tablename__ = "public_holiday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExtensionScope(enum.Enum):
    """Whose berats an extension covers: GİB sometimes extends only for one kind of taxpayer."""

    ALL = "hepsi"
    CORPORATE = "kurum"  # kurumlar vergisi mükellefleri
    PERSON = "sahis"  # gelir vergisi mükellefleri

    @property
    def label(self) -> str:
        return {"hepsi": "Tüm mükellefler", "kurum": "Kurumlar vergisi mükellefleri",
                "sahis": "Gelir vergisi mükellefleri"}[self.value]


class DeadlineExtension(Base):
    """GİB moved the berat deadline of the periods ending in (year, month) to ``new_deadline``."""

    __tablename__ = "deadline_extension"
    __table_args__ = (UniqueConstraint("period_year", "period_month", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_year: Mapped[int] = mapped_column(Integer)
    period_month: Mapped[int] = mapped_column(Integer)  # the month the period ends in (a quarter's last month)
    scope: Mapped[ExtensionScope] = mapped_column(_enum(ExtensionScope, 8))
    new_deadline: Mapped[date] = mapped_column(Date)
    announcement: Mapped[str] = mapped_column(String(200))  # e.g. "VUK-189/2025-3 sayılı duyuru"
    entered_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
