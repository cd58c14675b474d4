"""The deadline rules of Tebliğ Sıra No 5 (RG 08.11.2024), as GIB-FORMATS §9 gives them, without the database.

Monthly periods: the 14th (kurumlar vergisi mükellefleri) or the 10th (gelir vergisi mükellefleri) of the fourth
month after the period; December: 14 May / 10 April. Quarterly (geçici vergi dönemi): Q1 → June, Q2 → September,
Q3 → December, Q4 as December. A legal date on a weekend or a public holiday moves to the next working day (VUK
art. 18). GİB's extensions are announced, not computable: they come in as data and replace the legal date when
later. The secondary copy is due 15 days after the berat deadline, moved the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterable

SECONDARY_COPY_DAYS = 15

# Ulusal bayram ve genel tatiller that fall on the same day every year (2429 sayılı Kanun). The religious holidays
# (Ramazan and Kurban Bayramı) move each year: they are data (``PublicHoliday`` rows), never guessed here.
_FIXED_HOLIDAYS = (
    (1, 1, "Yılbaşı"),
    (4, 23, "Ulusal Egemenlik ve Çocuk Bayramı"),
    (5, 1, "Emek ve Dayanışma Günü"),
    (5, 19, "Atatürk'ü Anma, Gençlik ve Spor Bayramı"),
    (7, 15, "Demokrasi ve Millî Birlik Günü"),
    (8, 30, "Zafer Bayramı"),
    (10, 29, "Cumhuriyet Bayramı"),
)


@dataclass(frozen=True)
class Extension:
    """A deadline GİB moved by announcement (e.g. a VUK sirküleri), entered by an administrator."""

    new_deadline: date
    announcement: str


@dataclass(frozen=True)
class Deadline:
    period_start: date
    period_end: date
    legal_date: date  # what the Tebliğ says, before weekends and holidays
    due: date  # the last day the berats are accepted in time
    moved_because: str | None  # why ``due`` is later than the legal date (a weekend, a holiday, an extension)
    extension: Extension | None
    secondary_copy_due: date

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def fixed_holidays(year: int) -> dict[date, str]:
    return {date(year, month, day): name for month, day, name in _FIXED_HOLIDAYS}


def next_working_day(day: date, holiday_name: Callable[[date], str | None]) -> tuple[date, str | None]:
    """``day`` itself when it is a working day; else the next one, with the reason of the first move."""
    reason = None
    while True:
        name = holiday_name(day)
        if day.weekday() >= 5:
            name = "hafta sonu"
        if name is None:
            return day, reason
        reason = reason or f"{day.strftime('%d.%m.%Y')} {name}"
        day += timedelta(days=1)


def _month_after(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _legal_date(period_end: date, quarterly: bool, corporate: bool) -> date:
    day = 14 if corporate else 10
    if period_end.month == 12:  # December, and the fourth quarter, have their own date
        return date(period_end.year + 1, 5, 14) if corporate else date(period_end.year + 1, 4, 10)
    if quarterly:
        return date(period_end.year, period_end.month + 3, day)  # March → June, June → September, September → December
    year, month = _month_after(period_end.year, period_end.month, 4)
    return date(year, month, day)


def _period_bounds(year: int, month: int, quarterly: bool) -> tuple[date, date]:
    first_month = ((month - 1) // 3) * 3 + 1 if quarterly else month
    last_month = first_month + 2 if quarterly else month
    end_year, after = _month_after(year, last_month, 1)
    return date(year, first_month, 1), date(end_year, after, 1) - timedelta(days=1)


def berat_deadline(
    year: int,
    month: int,
    *,
    quarterly: bool,
    corporate: bool,
    holidays: Iterable[tuple[date, str]] = (),
    extension: Extension | None = None,
) -> Deadline:
    """The deadline of the period holding ``month`` of ``year`` (its quarter when ``quarterly``)."""
    start, end = _period_bounds(year, month, quarterly)
    legal = _legal_date(end, quarterly, corporate)
    known: dict[date, str] = {}
    for holiday_year in (legal.year, legal.year + 1):
        known.update(fixed_holidays(holiday_year))
    known.update(dict(holidays))
    due, moved = next_working_day(legal, known.get)
    if extension is not None and extension.new_deadline > due:
        due, moved = next_working_day(extension.new_deadline, known.get)
        moved = f"GİB duyurusu: {extension.announcement}" + (f" ({moved})" if moved else "")
    copy_due, _ = next_working_day(due + timedelta(days=SECONDARY_COPY_DAYS), known.get)
    return Deadline(start, end, legal, due, moved, extension, copy_due)
