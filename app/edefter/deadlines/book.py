"""The calendar read once for many deadlines: holidays and GİB's extensions in two queries, whatever the number of
periods or taxpayers. Every screen counts on it (Defter Dönemleri, the home pages, the daily warnings, the CLI), so
they all give the same date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.db import get_session
from app.edefter.deadlines.rules import Deadline, Extension, berat_deadline
from app.models import DeadlineExtension, ExtensionScope, PublicHoliday

# The latest a deadline falls after its period's start: December's (or Q4's) is due in May, and an extension or a
# run of holidays may add a few months on top.
_HORIZON = timedelta(days=600)


@dataclass(frozen=True)
class DeadlineBook:
    holidays: tuple[tuple[date, str], ...]
    extensions: dict[tuple[int, int, ExtensionScope], Extension]

    def deadline(self, year: int, month: int, *, quarterly: bool, scope: ExtensionScope) -> Deadline:
        """The deadline of the berat period holding (year, month), for a taxpayer of ``scope``."""
        last_month = ((month - 1) // 3) * 3 + 3 if quarterly else month
        found = [self.extensions[key] for key in ((year, last_month, scope), (year, last_month, ExtensionScope.ALL))
                 if key in self.extensions]
        extension = max(found, key=lambda item: item.new_deadline) if found else None  # the later of the two
        return berat_deadline(year, month, quarterly=quarterly, corporate=scope is ExtensionScope.CORPORATE,
                              holidays=self.holidays, extension=extension)


def load_book(first_period: date, last_period: date) -> DeadlineBook:
    """The calendar that the periods starting between the two dates are counted on."""
    session = get_session()
    holidays = tuple((day, name) for day, name in session.execute(
        select(PublicHoliday.day, PublicHoliday.name)
        .where(PublicHoliday.day.between(first_period, last_period + _HORIZON))))
    extensions: dict[tuple[int, int, ExtensionScope], Extension] = {}
    for row in session.scalars(select(DeadlineExtension).where(
            DeadlineExtension.period_year.between(first_period.year, last_period.year + 1))):
        extensions[(row.period_year, row.period_month, row.scope)] = Extension(row.new_deadline, row.announcement)
    return DeadlineBook(holidays, extensions)
