"""Berat deadline warnings (SPEC D11): a taxpayer's berat period whose deadline is near or past, not approved yet.

The daily job raises one row per taxpayer, berat period and level (near, then past); the unique key makes a second
run, or a second worker, raise nothing new. A row is closed when its period is approved, when the next level
replaces it, or when an extension moves the deadline away; the screens also hide it at once when the period is
approved or the deadline moved away, and show the deadline as it is now (they do not wait for the next run).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.models.edefter import _enum


class WarningLevel(enum.Enum):
    NEAR = "yaklasti"  # PORTAL_BERAT_WARNING_DAYS or fewer days left, the last day included
    PAST = "gecti"  # the last day has passed

    @property
    def label(self) -> str:
        return "Berat yükleme süresi yaklaştı" if self is WarningLevel.NEAR else "Berat yükleme süresi geçti"


class DeadlineWarning(Base):
    """The berat period ending in (period_year, period_month) of a taxpayer reached ``level``."""

    __tablename__ = "deadline_warning"
    __table_args__ = (
        UniqueConstraint("taxpayer_id", "period_year", "period_month", "level"),
        Index("ix_deadline_warning_open", "taxpayer_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    taxpayer_id: Mapped[int] = mapped_column(ForeignKey("taxpayer.id", ondelete="CASCADE"))
    period_year: Mapped[int] = mapped_column(Integer)
    period_month: Mapped[int] = mapped_column(Integer)  # the berat period's last month (a quarter's third)
    period_label: Mapped[str] = mapped_column(String(20))  # "03/2026" or "01–03/2026"
    level: Mapped[WarningLevel] = mapped_column(_enum(WarningLevel, 10))
    due: Mapped[date] = mapped_column(Date)  # the deadline when raised (moved by weekends, holidays, extensions)
    raised_on: Mapped[date] = mapped_column(Date)  # the portal's day (Istanbul) of the run that raised it
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()

    def days_left(self, today: date) -> int:
        return (self.due - today).days
