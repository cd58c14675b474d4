"""What a taxpayer's home page says about its berats: the nearest (or overdue) deadline and the open warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.edefter.deadlines.calendar import DueBerat, nearest_berats
from app.edefter.deadlines.warnings import OpenWarning, open_warnings, warning_days
from app.models import Taxpayer


@dataclass(frozen=True)
class DeadlineSummary:
    berat: DueBerat | None
    warnings: list[OpenWarning]
    today: date
    warning_days: int

    @property
    def near(self) -> bool:
        return self.days_left is not None and self.days_left <= self.warning_days

    @property
    def days_left(self) -> int | None:
        return self.berat.days_left(self.today) if self.berat is not None else None


def summary_of(taxpayer: Taxpayer, today: date) -> DeadlineSummary | None:
    """None for a taxpayer not on e-Defter (no Firma Ayarları, nothing raised)."""
    berat = nearest_berats([taxpayer], today).get(taxpayer.id)
    warnings = open_warnings([taxpayer.id], today).get(taxpayer.id, [])
    if berat is None and not warnings:
        return None
    return DeadlineSummary(berat, warnings, today, warning_days())
