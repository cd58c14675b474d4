"""A trainee's prepared records: invoices with its partner, e-Defter settings and contract, a month of journal.

Everything is derived from the class plan and "today" (the portal's clock at preparation), so a reset that deletes
the trainees' rows and calls ``fill`` again brings back the same records (same ETTNs, numbers, amounts, entries).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterator

from sqlalchemy.orm import Session

from app.models import (
    AccountingContract,
    BeratPeriod,
    ContractKind,
    EdefterSettings,
    Invoice,
    JournalBatch,
    JournalEntry,
    JournalLine,
    JournalPeriod,
    JournalSource,
    PeriodKind,
    Taxpayer,
)
from app.training.roster import TraineePlan

ETTN_NAMESPACE = uuid.UUID("0c6f3e8e-2f1b-4a63-9a0e-5b0f7f0d1e18")
PREPARED_BY = "Eğitim hazırlığı"

# (days before today, profile, what it is for on the handout)
INVOICE_SLOTS = (
    (0, "TEMELFATURA", "bugün kesildi: iptal talebi oluşturulabilir"),
    (3, "TEMELFATURA", "3 gün önce: 8 günlük süre içinde"),
    (12, "TEMELFATURA", "12 gün önce: 8 günlük süre geçmiş, iptal edilemez"),
    (2, "TICARIFATURA", "ticari fatura: yalnızca itiraz bildirilebilir"),
)

# A month of one small trading company: (account, description, side) lines per entry kind; amounts follow.
ACCOUNTS = {
    "100": "Kasa", "102": "Bankalar", "120": "Alıcılar", "153": "Ticari Mallar", "191": "İndirilecek KDV",
    "320": "Satıcılar", "391": "Hesaplanan KDV", "600": "Yurt İçi Satışlar", "770": "Genel Yönetim Giderleri",
}
VAT = Decimal("0.20")


def invoice_amount(plan: TraineePlan, slot: int) -> Decimal:
    return (Decimal(1000) + Decimal(plan.position * 137) + Decimal(slot * 2150) + Decimal("0.40") * slot
            + Decimal("0.80")).quantize(Decimal("0.01"))


def invoices(plan: TraineePlan, seller: Taxpayer, buyer: Taxpayer, today: date) -> Iterator[Invoice]:
    for slot, (days_ago, profile, _purpose) in enumerate(INVOICE_SLOTS):
        issued = today - timedelta(days=days_ago)
        number = f"{plan.invoice_prefix}{issued.year}{slot + 1:09d}"
        yield Invoice(
            ettn=str(uuid.uuid5(ETTN_NAMESPACE, f"{seller.identifier}/{number}")),
            number=number, profile_id=profile, type_code="SATIS", issue_date=issued,
            sender_identifier=seller.identifier, sender_name=seller.unvan,
            receiver_identifier=buyer.identifier, receiver_name=buyer.unvan,
            payable_amount=invoice_amount(plan, slot), currency="TRY", delivered_on=issued,
        )


def edefter_settings(plan: TraineePlan, taxpayer: Taxpayer, today: date) -> EdefterSettings:
    return EdefterSettings(
        taxpayer_id=taxpayer.id, period_kind=PeriodKind.TAKVIM,
        fiscal_year_start=date(today.year, 1, 1), fiscal_year_end=date(today.year, 12, 31),
        first_use_date=date(today.year, 1, 1), founded_on=date(2015, 3, 1) + timedelta(days=plan.position * 17),
        berat_period=BeratPeriod.AYLIK, split_size_mb=100, gib_application_done=True, compatible_software_set=True,
        name=taxpayer.unvan, building_number=str(10 + plan.position), street=plan.street, city=plan.city,
        postal_code=f"{plan.plate}100", country="Türkiye", phone=f"0{plan.plate[-1]}12 555 {plan.position:04d}",
        email=f"muhasebe{plan.position}@egitim.example.com.tr", website=f"www.kursiyer{plan.position}.example.com.tr",
        nace_code=plan.nace_code, nace_description=plan.nace_description,
    )


def contract(plan: TraineePlan, taxpayer: Taxpayer, today: date) -> AccountingContract:
    return AccountingContract(
        taxpayer_id=taxpayer.id, kind=ContractKind.SMMM, title="Yılmaz Mali Müşavirlik", person_name="Ayşe Yılmaz",
        description="Muhasebe ve mali müşavirlik hizmet sözleşmesi",
        contract_type="Serbest Muhasebeci Mali Müşavirlik Sözleşmesi", contract_date=date(today.year, 1, 2),
        contract_number=f"SZL-{today.year}-{plan.position:03d}",
    )


def journal_month(today: date) -> tuple[int, int]:
    """Last month: a whole month the class can create e-Defter for."""
    first = today.replace(day=1) - timedelta(days=1)
    return first.year, first.month


def _entries(plan: TraineePlan, year: int, month: int) -> Iterator[tuple[date, str, list[tuple[str, str, Decimal]]]]:
    """Ten balanced yevmiye maddeleri: sales, purchases, collections, payments and an expense."""
    base = Decimal(2000 + plan.position * 50)
    for index in range(10):
        day = date(year, month, min(2 + index * 2, 28))
        amount = (base + Decimal(index * 315)).quantize(Decimal("0.01"))
        vat = (amount * VAT).quantize(Decimal("0.01"))
        kind = index % 5
        if kind == 0:
            yield day, "Satış faturası", [("120", "D", amount + vat), ("600", "C", amount), ("391", "C", vat)]
        elif kind == 1:
            yield day, "Alış faturası", [("153", "D", amount), ("191", "D", vat), ("320", "C", amount + vat)]
        elif kind == 2:
            yield day, "Tahsilat", [("102", "D", amount), ("120", "C", amount)]
        elif kind == 3:
            yield day, "Ödeme", [("320", "D", amount), ("102", "C", amount)]
        else:
            yield day, "Kırtasiye gideri", [("770", "D", amount), ("100", "C", amount)]


def add_journal(session: Session, plan: TraineePlan, taxpayer: Taxpayer, today: date) -> None:
    year, month = journal_month(today)
    entries = list(_entries(plan, year, month))
    line_count = sum(len(lines) for _day, _comment, lines in entries)
    period = JournalPeriod(taxpayer_id=taxpayer.id, branch_code="", year=year, month=month,
                           entry_count=len(entries), line_count=line_count)
    session.add(period)
    session.flush()
    batch = JournalBatch(period_id=period.id, source=JournalSource.CLI, actor=PREPARED_BY,
                         idempotency_key=f"egitim-{taxpayer.identifier}-{year}-{month:02d}",
                         entry_count=len(entries), line_count=line_count)
    session.add(batch)
    session.flush()
    for number, (day, comment, lines) in enumerate(entries, start=1):
        entry = JournalEntry(period_id=period.id, batch_id=batch.id, entry_number=f"{number:04d}", entry_date=day,
                             entered_by=PREPARED_BY, comment=comment)
        session.add(entry)
        session.flush()
        for line_no, (account, side, amount) in enumerate(lines, start=1):
            session.add(JournalLine(period_id=period.id, entry_id=entry.id, line_no=line_no, account_main_id=account,
                                    account_main_description=ACCOUNTS[account], amount=amount, side=side,
                                    document_type="invoice" if "fatura" in comment else "other",
                                    document_type_description=None if "fatura" in comment else comment,
                                    document_number=f"{plan.invoice_prefix}{number:04d}", document_date=day,
                                    comment=comment))


def fill(session: Session, plans: list[TraineePlan], taxpayers: dict[int, Taxpayer], today: date) -> None:
    """Every trainee's records, in the caller's unit of work."""
    for plan in plans:
        seller, buyer = taxpayers[plan.position], taxpayers[plan.partner_position]
        session.add_all(list(invoices(plan, seller, buyer, today)))
        session.add(edefter_settings(plan, seller, today))
        session.add(contract(plan, seller, today))
        add_journal(session, plan, seller, today)
    session.flush()
