"""Berat deadline warnings (SPEC D11): raised once a day by the job ``berat_suresi_uyarilari`` (or ``flask takvim
uyarilar``), shown on Defter Dönemleri, the taxpayer's home page and the office home until the period is approved.

A berat period gets a "near" warning when PORTAL_BERAT_WARNING_DAYS or fewer days are left (the last day
included), then a "past" one. The unique key (taxpayer, period, level) and a lock on the taxpayer's row make a
second run, or a second worker running at the same time, raise nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app import clock
from app.db import get_session, utcnow
from app.edefter.deadlines.book import DeadlineBook, load_book
from app.edefter.deadlines.calendar import scope_of
from app.edefter.deadlines.periods import (
    all_months_in,
    approved_months,
    berat_period_label,
    ended_berat_periods,
    is_quarterly,
    ledgers_of,
    settings_of,
)
from app.edefter.deadlines.rules import Deadline
from app.models import EdefterSettings, Taxpayer
from app.models.deadline_warning import DeadlineWarning, WarningLevel
from app.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

BATCH = 200  # taxpayers read together: a fixed number of queries per batch, not per taxpayer
RAISED, CLOSED, REOPENED = "berat_suresi_uyarisi", "berat_suresi_uyarisi_kapandi", "berat_suresi_uyarisi_yeniden"


def warning_days() -> int:
    return max(0, int(current_app.config["BERAT_WARNING_DAYS"]))


def level_of(deadline: Deadline, today: date, days: int) -> WarningLevel | None:
    left = deadline.days_left(today)
    if left < 0:
        return WarningLevel.PAST
    return WarningLevel.NEAR if left <= days else None


@dataclass(frozen=True)
class Wanted:
    """What today's run finds for one berat period that has ended and is not approved."""

    year: int
    last_month: int
    label: str
    deadline: Deadline
    level: WarningLevel | None


@dataclass
class RunResult:
    raised: int = 0
    closed: int = 0
    reopened: int = 0
    taxpayers: int = 0


def raise_daily_warnings(today: date | None = None) -> RunResult:
    """Raise the warnings of every taxpayer on e-Defter for ``today`` (the portal's day); idempotent."""
    today = today or clock.today()
    days = warning_days()
    result = RunResult()
    ids = list(get_session().scalars(select(EdefterSettings.taxpayer_id).order_by(EdefterSettings.taxpayer_id)))
    for start in range(0, len(ids), BATCH):
        _run_batch(ids[start:start + BATCH], today, days, result)
    log.info("Berat süresi uyarıları (%s): %s yeni, %s kapandı, %s yeniden açıldı", today.isoformat(), result.raised,
             result.closed, result.reopened)
    return result


def _run_batch(ids: list[int], today: date, days: int, result: RunResult) -> None:
    session = get_session()
    taxpayers = {t.id: t for t in session.scalars(select(Taxpayer).where(Taxpayer.id.in_(ids)))}
    settings = settings_of(ids)
    ledgers = ledgers_of(ids)
    approved = approved_months(ids, today.year - 3)
    book = load_book(date(today.year - 2, 1, 1), today)
    existing: dict[int, list[DeadlineWarning]] = {taxpayer_id: [] for taxpayer_id in ids}
    for row in session.scalars(select(DeadlineWarning).where(DeadlineWarning.taxpayer_id.in_(ids))):
        existing[row.taxpayer_id].append(row)
    # Decide for the whole batch before writing: each unit of work begins with a rollback that expires every
    # loaded object, and reading them afterwards would cost queries per taxpayer and per warning row.
    plans = []
    for taxpayer_id in ids:
        wanted, approved_periods = _wanted(taxpayers[taxpayer_id], settings[taxpayer_id], ledgers[taxpayer_id],
                                           approved, book, today, days, existing[taxpayer_id])
        if _changes(existing[taxpayer_id], wanted, approved_periods):
            plans.append((taxpayer_id, wanted, approved_periods))
        result.taxpayers += 1
    for taxpayer_id, wanted, approved_periods in plans:
        _apply(taxpayer_id, wanted, approved_periods, today, result)
    session.rollback()  # end the batch's read transaction: the next batch reads fresh rows


def _wanted(taxpayer: Taxpayer, settings: EdefterSettings, ledgers: list[tuple[str, str]],
            approved: set[tuple[int, str, int, int]], book: DeadlineBook, today: date, days: int,
            existing: list[DeadlineWarning]) -> tuple[dict[tuple[int, int], Wanted], set[tuple[int, int]]]:
    quarterly = is_quarterly(settings)
    scope = scope_of(taxpayer)
    wanted: dict[tuple[int, int], Wanted] = {}
    for year, last_month in ended_berat_periods(settings.first_use_date, quarterly, today):
        if all_months_in(taxpayer.id, ledgers, year, last_month, quarterly, approved):
            continue
        deadline = book.deadline(year, last_month, quarterly=quarterly, scope=scope)
        wanted[(year, last_month)] = Wanted(year, last_month, berat_period_label(year, last_month, quarterly),
                                            deadline, level_of(deadline, today, days))
    approved_periods = {(row.period_year, row.period_month) for row in existing
                        if all_months_in(taxpayer.id, ledgers, row.period_year, row.period_month, quarterly, approved)}
    return wanted, approved_periods


def _decisions(rows: list[DeadlineWarning], wanted: dict[tuple[int, int], Wanted],
               approved_periods: set[tuple[int, int]]) -> tuple[list[Wanted], list[DeadlineWarning],
                                                                list[DeadlineWarning]]:
    """(warnings to raise, rows to reopen, rows to close) for one taxpayer."""
    by_key = {(row.period_year, row.period_month, row.level): row for row in rows}
    to_raise, to_reopen, to_close = [], [], []
    for key, item in wanted.items():
        if item.level is None:
            continue
        row = by_key.get((*key, item.level))
        if row is None:
            to_raise.append(item)
        elif row.closed_at is not None:
            to_reopen.append(row)
    for row in rows:
        if row.closed_at is not None:
            continue
        period = (row.period_year, row.period_month)
        if period in approved_periods:
            to_close.append(row)
        elif period in wanted and wanted[period].level is not row.level:
            to_close.append(row)  # replaced by "past", or an extension moved the deadline away
    return to_raise, to_reopen, to_close


def _changes(rows: list[DeadlineWarning], wanted: dict[tuple[int, int], Wanted],
             approved_periods: set[tuple[int, int]]) -> bool:
    return any(_decisions(rows, wanted, approved_periods))


def _apply(taxpayer_id: int, wanted: dict[tuple[int, int], Wanted], approved_periods: set[tuple[int, int]],
           today: date, result: RunResult) -> None:
    with unit_of_work() as work:
        # Another worker running the same job waits here until this one commits, then finds the rows made.
        work.session.execute(select(Taxpayer.id).where(Taxpayer.id == taxpayer_id).with_for_update())
        rows = list(work.session.scalars(select(DeadlineWarning).where(DeadlineWarning.taxpayer_id == taxpayer_id)))
        to_raise, to_reopen, to_close = _decisions(rows, wanted, approved_periods)
        now = utcnow()
        for item in to_raise:
            assert item.level is not None
            work.session.add(DeadlineWarning(
                taxpayer_id=taxpayer_id, period_year=item.year, period_month=item.last_month, period_label=item.label,
                level=item.level, due=item.deadline.due, raised_on=today, raised_at=now))
            work.record(RAISED, taxpayer_id=taxpayer_id, object_type="berat_donemi", object_id=item.label,
                        seviye=item.level.label, son_gun=item.deadline.due.isoformat())
        for row in to_reopen:
            current = wanted[(row.period_year, row.period_month)]
            row.closed_at, row.due, row.raised_on = None, current.deadline.due, today
            work.record(REOPENED, taxpayer_id=taxpayer_id, object_type="berat_donemi", object_id=row.period_label,
                        seviye=row.level.label, son_gun=row.due.isoformat())
        for row in to_close:
            approved = (row.period_year, row.period_month) in approved_periods
            row.closed_at = now
            work.record(CLOSED, taxpayer_id=taxpayer_id, object_type="berat_donemi", object_id=row.period_label,
                        seviye=row.level.label, neden="GİB onayladı" if approved else "süre değişti")
        work.session.flush()
    result.raised += len(to_raise)
    result.reopened += len(to_reopen)
    result.closed += len(to_close)


@dataclass(frozen=True)
class OpenWarning:
    """A warning as the screens show it."""

    taxpayer_id: int
    label: str
    level: WarningLevel
    due: date

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def open_warnings(taxpayer_ids: list[int], today: date) -> dict[int, list[OpenWarning]]:
    """Each taxpayer's open warnings, most urgent first, on today's calendar: a period GİB has approved since the
    last run is left out at once, and so is one whose deadline an extension entered since has moved out of reach;
    the date shown is the deadline as it is now. One line per period. Seven queries whatever the number."""
    if not taxpayer_ids:
        return {}
    session = get_session()
    rows = list(session.scalars(select(DeadlineWarning).where(DeadlineWarning.taxpayer_id.in_(taxpayer_ids),
                                                              DeadlineWarning.closed_at.is_(None))))
    if not rows:
        return {}
    settings = settings_of(taxpayer_ids)
    ledgers = ledgers_of(taxpayer_ids)
    first_year = min(row.period_year for row in rows)
    approved = approved_months(taxpayer_ids, first_year)
    scopes = {taxpayer.id: scope_of(taxpayer)
              for taxpayer in session.scalars(select(Taxpayer).where(Taxpayer.id.in_(taxpayer_ids)))}
    book = load_book(date(first_year, 1, 1), today)
    days = warning_days()
    shown: dict[tuple[int, int, int], OpenWarning] = {}
    for row in rows:
        own = settings.get(row.taxpayer_id)
        quarterly = own is not None and is_quarterly(own)
        key = (row.taxpayer_id, row.period_year, row.period_month)
        if key in shown or all_months_in(row.taxpayer_id, ledgers[row.taxpayer_id], row.period_year,
                                         row.period_month, quarterly, approved):
            continue
        deadline = book.deadline(row.period_year, row.period_month, quarterly=quarterly, scope=scopes[row.taxpayer_id])
        level = level_of(deadline, today, days)
        if level is not None:
            shown[key] = OpenWarning(row.taxpayer_id, row.period_label, level, deadline.due)
    found: dict[int, list[OpenWarning]] = {}
    for warning in sorted(shown.values(), key=lambda item: (item.due, item.label)):
        found.setdefault(warning.taxpayer_id, []).append(warning)
    return found
