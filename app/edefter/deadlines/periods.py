"""A taxpayer's berat periods: the months each holds, its ledgers (the company's and its branches'), and whether
GİB has approved all of it. Read in grouped queries for many taxpayers at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.db import get_session
from app.models import BeratPeriod, EdefterBranch, EdefterSettings, JournalPeriod, JournalPeriodState

MAIN_LEDGER = ""  # JournalPeriod.branch_code of the company's own (unbranched) ledger


def is_quarterly(settings: EdefterSettings) -> bool:
    return settings.berat_period is BeratPeriod.UC_AYLIK


def last_month_of(month: int, quarterly: bool) -> int:
    """The month a berat period ends in: the month itself, or its quarter's third."""
    return ((month - 1) // 3) * 3 + 3 if quarterly else month


def months_of(year: int, last_month: int, quarterly: bool) -> list[tuple[int, int]]:
    return [(year, month) for month in range(last_month - 2, last_month + 1)] if quarterly else [(year, last_month)]


def berat_period_label(year: int, last_month: int, quarterly: bool) -> str:
    """"03/2026" for a month, "01–03/2026" for a quarter (as the office home names them)."""
    return f"{last_month - 2:02d}–{last_month:02d}/{year}" if quarterly else f"{last_month:02d}/{year}"


def ledgers_of(taxpayer_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(branch code, name) of every ledger of each taxpayer: the company's own first, then its branches."""
    found: dict[int, list[tuple[str, str]]] = {taxpayer_id: [(MAIN_LEDGER, "Merkez")] for taxpayer_id in taxpayer_ids}
    for taxpayer_id, code, name in get_session().execute(
            select(EdefterBranch.taxpayer_id, EdefterBranch.code, EdefterBranch.name)
            .where(EdefterBranch.taxpayer_id.in_(taxpayer_ids)).order_by(EdefterBranch.code)):
        found[taxpayer_id].append((code, name))
    return found


def months_in_states(taxpayer_ids: list[int], since_year: int,
                     states: tuple[JournalPeriodState, ...]) -> set[tuple[int, str, int, int]]:
    """(taxpayer, branch code, year, month) of every ledger month in one of ``states``, from ``since_year`` on."""
    return {(taxpayer_id, code, year, month) for taxpayer_id, code, year, month in get_session().execute(
        select(JournalPeriod.taxpayer_id, JournalPeriod.branch_code, JournalPeriod.year, JournalPeriod.month)
        .where(JournalPeriod.taxpayer_id.in_(taxpayer_ids), JournalPeriod.year >= since_year,
               JournalPeriod.state.in_(states)))}


def approved_months(taxpayer_ids: list[int], since_year: int) -> set[tuple[int, str, int, int]]:
    """The ledger months GİB approved (see ``months_in_states``)."""
    return months_in_states(taxpayer_ids, since_year, (JournalPeriodState.APPROVED,))


def all_months_in(taxpayer_id: int, ledgers: list[tuple[str, str]], year: int, last_month: int, quarterly: bool,
                  done: set[tuple[int, str, int, int]]) -> bool:
    """Every month of the berat period, of every ledger, is in ``done`` (approved, or sent, months)."""
    return all((taxpayer_id, code, y, m) in done
               for code, _ in ledgers for y, m in months_of(year, last_month, quarterly))


def ended_berat_periods(first_use: date, quarterly: bool, today: date, back_months: int = 13) -> list[tuple[int, int]]:
    """(year, last month) of the berat periods ended before today, from the e-Defter start, ``back_months`` back."""
    found = []
    year, month = today.year, today.month
    for _ in range(back_months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        if date(year, month, 1) < date(first_use.year, first_use.month, 1):
            break
        if not quarterly or month % 3 == 0:
            found.append((year, month))
    return found


def settings_of(taxpayer_ids: list[int]) -> dict[int, EdefterSettings]:
    return {row.taxpayer_id: row for row in get_session().scalars(
        select(EdefterSettings).where(EdefterSettings.taxpayer_id.in_(taxpayer_ids)))}

