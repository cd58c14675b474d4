"""The saved Firma/Sözleşme/Şube settings as the core writer's ``CompanyInfo`` (XBRL-GL entityInformation).

D5 (creating e-Defter) writes every defter from this; it refuses with a Turkish message naming the
screen to complete while something is missing (decision 0060).
"""

from __future__ import annotations

from app.edefter.company import queries
from app.edefter.company.contract_rules import IN_HOUSE_MARK, missing_bookkeeper
from app.edefter.company.operations import EdefterRefused
from app.formats.xbrl.model import Accountant, Address, Branch, CompanyInfo
from app.models import AccountingContract, Taxpayer


def accountant_of(contract: AccountingContract) -> Accountant:
    """accountantName = unvan + adı soyadı; the engagement description = the contract's facts, "-" in-house."""
    if contract.description == IN_HOUSE_MARK:
        description = IN_HOUSE_MARK
    else:
        signed_on = contract.contract_date.strftime("%d.%m.%Y") if contract.contract_date else ""
        description = (f"{contract.description}, {contract.contract_type}, {signed_on}, "
                       f"No: {contract.contract_number}")
    return Accountant(f"{contract.title} {contract.person_name}", description)


def company_info(taxpayer: Taxpayer, branch_code: str | None = None) -> CompanyInfo:
    """Everything ``write_yevmiye``/``write_kebir`` need about the company (and one of its branches).

    Raises EdefterRefused when the settings are not saved, no contract names who keeps the books, or
    ``branch_code`` is not one of the taxpayer's branches.
    """
    settings = queries.settings_of(taxpayer)
    if settings is None:
        raise EdefterRefused("e-Defter oluşturmadan önce Firma Ayarları'nı doldurup kaydediniz.")
    contracts = queries.contracts_of(taxpayer)
    if missing_bookkeeper(c.kind for c in contracts):
        raise EdefterRefused(
            "Sözleşme Ayarları'nda defteri tutan SM/SMMM ya da işletme bünyesindeki muhasebe yetkilisi tanımlı değil."
        )
    branch = None
    if branch_code is not None:
        found = next((b for b in queries.branches_of(taxpayer) if b.code == branch_code), None)
        if found is None:
            raise EdefterRefused(f"{branch_code} kodlu şube Şube Ayarları'nda tanımlı değil.")
        branch = Branch(found.code, found.name)
    return CompanyInfo(
        tax_id=taxpayer.identifier,
        name=settings.name,
        address=Address(settings.building_number, settings.street, settings.city, settings.postal_code,
                        settings.country),
        phone=settings.phone,
        email=settings.email,
        website=settings.website,
        nace_code=settings.nace_code,
        fiscal_year_start=settings.fiscal_year_start,
        fiscal_year_end=settings.fiscal_year_end,
        accountants=tuple(accountant_of(c) for c in contracts),
        branch=branch,
    )
