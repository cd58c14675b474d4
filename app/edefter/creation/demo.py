"""Demo data for Defter Oluştur: Anadolu Tekstil's e-Defter settings, its SMMM contract and January's journal
(the first month of the fiscal year, so GİB needs no earlier berats): a period ready to create and sign.

Idempotent: a taxpayer that has settings, a contract or the period keeps what it has.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    AccountingContract,
    BeratPeriod,
    ContractKind,
    EdefterSettings,
    JournalBatch,
    JournalEntry,
    JournalLine,
    JournalPeriod,
    JournalSource,
    PeriodKind,
    Taxpayer,
)

ENTERED_BY = "Demo muhasebe"
ACCOUNTS = {
    "100": "KASA", "102": "BANKALAR", "120": "ALICILAR", "153": "TİCARİ MALLAR", "191": "İNDİRİLECEK KDV",
    "320": "SATICILAR", "391": "HESAPLANAN KDV", "600": "YURT İÇİ SATIŞLAR", "770": "GENEL YÖNETİM GİDERLERİ",
}
ENTRY_COUNT = 120


def _settings(taxpayer: Taxpayer, year: int) -> EdefterSettings:
    return EdefterSettings(
        taxpayer_id=taxpayer.id, period_kind=PeriodKind.TAKVIM, fiscal_year_start=date(year, 1, 1),
        fiscal_year_end=date(year, 12, 31), first_use_date=date(year, 1, 1), founded_on=date(2009, 5, 12),
        berat_period=BeratPeriod.AYLIK, split_size_mb=200, gib_application_done=True, compatible_software_set=True,
        name=taxpayer.unvan, building_number="12/A", street="Atatürk Caddesi", city="İzmir", postal_code="35210",
        country="Türkiye", phone="0232 123 45 67", email="muhasebe@anadolutekstil.com.tr",
        website="www.anadolutekstil.com.tr", nace_code="13.20", nace_description="Dokuma",
    )


def _contract(taxpayer: Taxpayer, year: int) -> AccountingContract:
    return AccountingContract(
        taxpayer_id=taxpayer.id, kind=ContractKind.SMMM, title="SMMM", person_name="Ayşe Yılmaz",
        description="Muhasebe ve mali müşavirlik hizmetleri", contract_type="Muhasebe Hizmet Sözleşmesi",
        contract_date=date(year - 1, 12, 15), contract_number=f"{year - 1}/118",
    )


def _lines(index: int) -> tuple[str, list[tuple[str, str, Decimal]]]:
    amount = Decimal(1500 + (index * 373) % 8500).quantize(Decimal("0.01"))
    vat = (amount * Decimal("0.20")).quantize(Decimal("0.01"))
    kind = index % 5
    if kind == 0:
        return "Satış faturası", [("120", "D", amount + vat), ("600", "C", amount), ("391", "C", vat)]
    if kind == 1:
        return "Alış faturası", [("153", "D", amount), ("191", "D", vat), ("320", "C", amount + vat)]
    if kind == 2:
        return "Tahsilat", [("102", "D", amount), ("120", "C", amount)]
    if kind == 3:
        return "Satıcıya ödeme", [("320", "D", amount), ("102", "C", amount)]
    return "Kırtasiye gideri", [("770", "D", amount), ("100", "C", amount)]


def _journal(session: Session, taxpayer: Taxpayer, year: int) -> JournalPeriod:
    entries = [_lines(index) for index in range(ENTRY_COUNT)]
    line_count = sum(len(lines) for _, lines in entries)
    period = JournalPeriod(taxpayer_id=taxpayer.id, branch_code="", year=year, month=1, entry_count=ENTRY_COUNT,
                           line_count=line_count)
    session.add(period)
    session.flush()
    batch = JournalBatch(period_id=period.id, source=JournalSource.CLI, actor=ENTERED_BY,
                         idempotency_key=f"demo-{taxpayer.identifier}-{year}-01", entry_count=ENTRY_COUNT,
                         line_count=line_count)
    session.add(batch)
    session.flush()
    for index, (comment, lines) in enumerate(entries):
        day = date(year, 1, 2) + timedelta(days=index * 29 // ENTRY_COUNT)
        entry = JournalEntry(period_id=period.id, batch_id=batch.id, entry_number=f"{index + 1:05d}", entry_date=day,
                             entered_by=ENTERED_BY, comment=comment)
        session.add(entry)
        session.flush()
        invoice = "fatura" in comment
        for line_no, (account, side, amount) in enumerate(lines, start=1):
            session.add(JournalLine(
                period_id=period.id, entry_id=entry.id, line_no=line_no, account_main_id=account,
                account_main_description=ACCOUNTS[account], amount=amount, side=side,
                document_type="invoice" if invoice else "other",
                document_type_description=None if invoice else comment,
                document_number=f"ANA{year}{index + 1:09d}" if invoice else f"DKN-{index + 1:05d}",
                document_date=day, payment_method="Açık hesap" if invoice else None, comment=None))
    return period


def load_demo_journal(session: Session, taxpayer: Taxpayer, year: int) -> Iterator[str]:
    """In the caller's unit of work: what is missing of the demo company's e-Defter, with a message each."""
    if session.scalar(select(EdefterSettings.id).where(EdefterSettings.taxpayer_id == taxpayer.id)) is None:
        session.add(_settings(taxpayer, year))
        yield f"{taxpayer.unvan}: e-Defter Firma Ayarları eklendi."
    if session.scalar(select(AccountingContract.id).where(AccountingContract.taxpayer_id == taxpayer.id)) is None:
        session.add(_contract(taxpayer, year))
        yield f"{taxpayer.unvan}: SMMM sözleşmesi eklendi."
    exists = session.scalar(select(JournalPeriod.id).where(
        JournalPeriod.taxpayer_id == taxpayer.id, JournalPeriod.branch_code == "", JournalPeriod.year == year,
        JournalPeriod.month == 1))
    if exists is None:
        _journal(session, taxpayer, year)
        yield f"{taxpayer.unvan}: {year}/01 dönemi için {ENTRY_COUNT} yevmiye maddesi eklendi (Defter Oluştur'a hazır)."
