"""e-Defter Firma İşlemleri operations (SPEC D1–D3): one unit of work and one audit entry each.

Changes to a taxpayer's contracts and branches first lock the taxpayer's row, so that two requests of
the same company (two tabs, two clerks) check the set rules one after the other on fresh data.
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import get_session, utcnow
from app.edefter.company import queries
from app.edefter.company.contract_rules import ContractInput, contract_set_problem
from app.edefter.company.settings_rules import SettingsInput
from app.formatting import local_today
from app.models import AccountingContract, EdefterBranch, EdefterSettings, Taxpayer
from app.refusals import Refused
from app.unit_of_work import unit_of_work


class EdefterRefused(Refused):
    """A rule says no; ``message`` is what the page shows."""


class RecordNotFound(LookupError):
    """No such record for this taxpayer (another taxpayer's id looks the same as a missing one)."""


def lock_taxpayer(taxpayer: Taxpayer) -> None:
    """Serialise this taxpayer's e-Defter changes inside the operation's write unit."""
    get_session().scalar(select(Taxpayer.id).where(Taxpayer.id == taxpayer.id).with_for_update())


# --- Firma Ayarları -------------------------------------------------------------------------------


def save_settings(taxpayer: Taxpayer, data: SettingsInput) -> EdefterSettings:
    """Create or replace the taxpayer's settings."""
    with unit_of_work() as work:
        lock_taxpayer(taxpayer)
        settings = queries.settings_of(taxpayer)
        created = settings is None
        if settings is None:
            settings = EdefterSettings(taxpayer_id=taxpayer.id)
            work.session.add(settings)
        for name, value in asdict(data).items():
            setattr(settings, name, value)
        settings.updated_at = utcnow()
        work.session.flush()
        work.record("edefter_firma_ayarlari_kaydedildi", taxpayer_id=taxpayer.id, object_type="edefter_ayarlari",
                    object_id=settings.id, ilk_kayit=created, nace=data.nace_code,
                    hesap_donemi=f"{data.fiscal_year_start.isoformat()}/{data.fiscal_year_end.isoformat()}")
    return settings


# --- Sözleşme Ayarları ----------------------------------------------------------------------------


def _check_contract_set(taxpayer: Taxpayer, data: ContractInput, replacing: int | None) -> None:
    kinds = [c.kind for c in queries.contracts_of(taxpayer) if c.id != replacing] + [data.kind]
    problem = contract_set_problem(kinds)
    if problem:
        raise EdefterRefused(problem)


def _apply_contract(contract: AccountingContract, data: ContractInput) -> None:
    contract.kind = data.kind
    contract.title = data.title
    contract.person_name = data.person_name
    contract.description = data.description
    contract.contract_type = data.contract_type
    contract.contract_date = data.contract_date
    contract.contract_number = data.contract_number
    contract.updated_at = utcnow()


def save_contract(taxpayer: Taxpayer, data: ContractInput, contract_id: int | None = None) -> AccountingContract:
    """Add a contract, or change the taxpayer's contract ``contract_id``."""
    with unit_of_work() as work:
        lock_taxpayer(taxpayer)
        if contract_id is None:
            contract = AccountingContract(taxpayer_id=taxpayer.id)
        else:
            found = queries.contract_of(taxpayer, contract_id, for_update=True)
            if found is None:
                raise RecordNotFound()
            contract = found
        _check_contract_set(taxpayer, data, contract_id)
        _apply_contract(contract, data)
        work.session.add(contract)
        work.session.flush()
        action = "edefter_sozlesme_eklendi" if contract_id is None else "edefter_sozlesme_degistirildi"
        work.record(action, taxpayer_id=taxpayer.id, object_type="edefter_sozlesme", object_id=contract.id,
                    tur=data.kind.value, adi_soyadi=data.person_name)
    return contract


def delete_contract(taxpayer: Taxpayer, contract_id: int) -> AccountingContract:
    with unit_of_work() as work:
        lock_taxpayer(taxpayer)
        contract = queries.contract_of(taxpayer, contract_id, for_update=True)
        if contract is None:
            raise RecordNotFound()
        work.session.delete(contract)
        work.record("edefter_sozlesme_silindi", taxpayer_id=taxpayer.id, object_type="edefter_sozlesme",
                    object_id=contract.id, tur=contract.kind.value, adi_soyadi=contract.person_name)
    return contract


# --- Şube Ayarları --------------------------------------------------------------------------------


def add_branch(taxpayer: Taxpayer, code: str, name: str) -> EdefterBranch:
    with unit_of_work() as work:
        lock_taxpayer(taxpayer)
        if any(branch.code == code for branch in queries.branches_of(taxpayer)):
            raise EdefterRefused(f"{code} kodlu şube zaten tanımlı.")
        branch = EdefterBranch(taxpayer_id=taxpayer.id, code=code, name=name)
        work.session.add(branch)
        try:
            work.session.flush()
        except IntegrityError:  # the same code added at the same moment elsewhere (unique constraint)
            raise EdefterRefused(f"{code} kodlu şube zaten tanımlı.") from None
        work.record("edefter_sube_eklendi", taxpayer_id=taxpayer.id, object_type="edefter_sube",
                    object_id=branch.id, sube=branch.display)
    return branch


def delete_branch(taxpayer: Taxpayer, branch_id: int) -> EdefterBranch:
    """Delete a branch that has no ledgers; the last branch stays while this period has branch ledgers."""
    with unit_of_work() as work:
        lock_taxpayer(taxpayer)
        branch = queries.branch_of(taxpayer, branch_id, for_update=True)
        if branch is None:
            raise RecordNotFound()
        _check_branch_can_go(taxpayer, branch)
        work.session.delete(branch)
        work.record("edefter_sube_silindi", taxpayer_id=taxpayer.id, object_type="edefter_sube",
                    object_id=branch.id, sube=branch.display)
    return branch


def _check_branch_can_go(taxpayer: Taxpayer, branch: EdefterBranch) -> None:
    if len(queries.branches_of(taxpayer)) == 1:
        period = queries.current_fiscal_period(taxpayer, local_today())
        ledgers = queries.branched_ledger_periods(taxpayer, period)
        if ledgers:
            raise EdefterRefused(
                f"Hesap dönemi ({period.start:%d.%m.%Y} – {period.end:%d.%m.%Y}) içinde şubeli yapıdan şubesiz yapıya "
                f"geçiş yapılamaz: bu dönemde {ledgers[-1].period_start:%m/%Y} ayına ait şube defteri var. "
                f"Son şube ({branch.display}) silinemez."
            )
    if queries.branch_has_ledgers(branch):
        raise EdefterRefused(f"{branch.display} şubesine ait defter (yevmiye kaydı) bulunduğu için şube silinemez.")
