"""Reads of the e-Defter company records, each scoped to one taxpayer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.db import get_session
from app.models import AccountingContract, EdefterBranch, EdefterSettings, Taxpayer, YevmiyeVerification


@dataclass(frozen=True)
class FiscalPeriod:
    start: date
    end: date

    def overlaps(self, start: date, end: date) -> bool:
        return start <= self.end and end >= self.start


def settings_of(taxpayer: Taxpayer) -> EdefterSettings | None:
    return get_session().scalar(select(EdefterSettings).where(EdefterSettings.taxpayer_id == taxpayer.id))


def current_fiscal_period(taxpayer: Taxpayer, today: date) -> FiscalPeriod:
    """The hesap dönemi of the settings; the calendar year while there are no settings."""
    settings = settings_of(taxpayer)
    if settings is None:
        return FiscalPeriod(date(today.year, 1, 1), date(today.year, 12, 31))
    return FiscalPeriod(settings.fiscal_year_start, settings.fiscal_year_end)


def contracts_of(taxpayer: Taxpayer) -> list[AccountingContract]:
    query = select(AccountingContract).where(AccountingContract.taxpayer_id == taxpayer.id)
    return list(get_session().scalars(query.order_by(AccountingContract.id)))


def contract_of(taxpayer: Taxpayer, contract_id: int, *, for_update: bool = False) -> AccountingContract | None:
    query = select(AccountingContract).where(
        AccountingContract.id == contract_id, AccountingContract.taxpayer_id == taxpayer.id
    )
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return get_session().scalar(query)


def branches_of(taxpayer: Taxpayer) -> list[EdefterBranch]:
    query = select(EdefterBranch).where(EdefterBranch.taxpayer_id == taxpayer.id)
    return list(get_session().scalars(query.order_by(EdefterBranch.code)))


def branch_of(taxpayer: Taxpayer, branch_id: int, *, for_update: bool = False) -> EdefterBranch | None:
    query = select(EdefterBranch).where(EdefterBranch.id == branch_id, EdefterBranch.taxpayer_id == taxpayer.id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return get_session().scalar(query)


def branch_has_ledgers(branch: EdefterBranch) -> bool:
    """A branch "has ledgers" once a yevmiye of it is on record (decision 0061)."""
    query = select(YevmiyeVerification.id).where(
        YevmiyeVerification.taxpayer_id == branch.taxpayer_id, YevmiyeVerification.branch_id == branch.id
    )
    return get_session().scalar(query.limit(1)) is not None


def branched_ledger_periods(taxpayer: Taxpayer, period: FiscalPeriod) -> list[YevmiyeVerification]:
    """The branch yevmiye records whose month lies in the given hesap dönemi."""
    query = select(YevmiyeVerification).where(
        YevmiyeVerification.taxpayer_id == taxpayer.id,
        YevmiyeVerification.branch_id.is_not(None),
        YevmiyeVerification.period_start <= period.end,
        YevmiyeVerification.period_end >= period.start,
    )
    return list(get_session().scalars(query.order_by(YevmiyeVerification.period_end)))


def verifications_of(taxpayer: Taxpayer) -> list[YevmiyeVerification]:
    """Every verification of the taxpayer, newest period first (then newest upload)."""
    query = select(YevmiyeVerification).where(YevmiyeVerification.taxpayer_id == taxpayer.id)
    return list(get_session().scalars(
        query.order_by(YevmiyeVerification.period_end.desc(), YevmiyeVerification.id.desc())
    ))


def verification_of(taxpayer: Taxpayer, verification_id: int) -> YevmiyeVerification | None:
    return get_session().scalar(
        select(YevmiyeVerification).where(
            YevmiyeVerification.id == verification_id, YevmiyeVerification.taxpayer_id == taxpayer.id
        )
    )
