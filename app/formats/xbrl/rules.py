"""Checks GİB's e-Defter schematron makes on the writer's input, done before a byte is written.

Each check raises :class:`LedgerWriteError` with a Turkish message naming the field, so that a wrong
setting or entry is reported where it was typed instead of as a GİB rejection weeks later.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from app.formats.xbrl.model import (
    DOCUMENT_TYPES,
    DOCUMENT_TYPES_NEEDING_NUMBER,
    CompanyInfo,
    DocumentInfo,
    EntryLine,
    JournalEntry,
)

_TAX_ID = re.compile(r"[0-9]{10,11}")
_BRANCH_CODE = re.compile(r"[0-9]{4}")
_CENT = Decimal("0.01")


class LedgerWriteError(ValueError):
    """The input breaks a rule of GİB's e-Defter format; the message (Turkish) says which."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise LedgerWriteError(message)


def _filled(value: str | None) -> bool:
    return bool(value and value.strip())


def check_company(company: CompanyInfo) -> None:
    _require(_TAX_ID.fullmatch(company.tax_id) is not None, "VKN 10, TCKN 11 haneli bir sayı olmalıdır.")
    who = "Adı soyadı" if company.is_person else "Unvan"
    _require(len(company.name.strip()) >= 2, f"{who} en az iki karakter olmalıdır.")
    address = company.address
    for label, value in (
        ("Bina numarası", address.building_number),
        ("Cadde/sokak", address.street),
        ("İl", address.city),
        ("Posta kodu", address.postal_code),
        ("Ülke", address.country),
        ("Telefon", company.phone),
        ("E-posta", company.email),
        ("Web sitesi", company.website),
        ("İşletme faaliyet konusu (NACE kodu)", company.nace_code),
    ):
        _require(_filled(value), f"{label} boş olamaz.")
    _require(
        company.fiscal_year_end > company.fiscal_year_start,
        "Hesap döneminin bitişi başlangıcından sonra olmalıdır.",
    )
    _require(bool(company.accountants), "En az bir muhasebeci / sözleşme bilgisi gereklidir.")
    for accountant in company.accountants:
        _require(
            _filled(accountant.name) and _filled(accountant.engagement_type_description),
            "Sözleşme bilgisinde ad ve sözleşme açıklaması boş olamaz.",
        )
    if company.branch is not None:
        _require(_BRANCH_CODE.fullmatch(company.branch.code) is not None, "Şube kodu 4 haneli bir sayı olmalıdır.")
        _require(len(company.branch.name.strip()) >= 2, "Şube adı en az iki karakter olmalıdır.")


def check_document(document: DocumentInfo) -> None:
    start, end = document.period_start, document.period_end
    _require(
        (start.year, start.month) == (end.year, end.month) and start <= end,
        "Defter dönemi aynı ayın içinde başlayıp bitmelidir.",
    )
    _require(document.creation_date >= end, "Defterin oluşturma tarihi dönem sonundan önce olamaz.")
    _require(0 <= document.sequence <= 999_999, "Defter parça numarası 0 ile 999999 arasında olmalıdır.")
    _require(_filled(document.source_application), "Kaynak uygulama adı boş olamaz.")


def check_amount(amount: Decimal, where: str) -> None:
    _require(amount > 0, f"{where}: tutar sıfırdan büyük olmalıdır.")
    _require(amount == amount.quantize(_CENT), f"{where}: tutarda virgülden sonra en çok iki hane olabilir.")


def check_account(main_id: str, sub_id: str | None, where: str) -> None:
    _require(len(main_id) in (3, 4), f"{where}: ana hesap kodu 3 ya da 4 karakter olmalıdır.")
    _require(
        sub_id is None or sub_id.startswith(main_id),
        f"{where}: alt hesap kodu ana hesap koduyla başlamalıdır.",
    )


def check_in_period(day: date, document: DocumentInfo, where: str) -> None:
    _require(
        document.period_start <= day <= document.period_end,
        f"{where}: tarih defter döneminin ({document.period_start} – {document.period_end}) içinde olmalıdır.",
    )


def _check_line(line: EntryLine, where: str) -> None:
    check_account(line.account_main_id, line.account_sub_id, where)
    _require(_filled(line.account_main_description), f"{where}: ana hesap adı boş olamaz.")
    _require(
        line.account_sub_id is None or _filled(line.account_sub_description),
        f"{where}: alt hesap adı boş olamaz.",
    )
    check_amount(line.amount, where)
    _require(line.side in ("D", "C"), f"{where}: borç/alacak kodu D ya da C olmalıdır.")
    kind = line.document_type
    if kind is None:
        _require(
            line.document_number is None and line.document_date is None,
            f"{where}: belge numarası ya da tarihi varsa belge türü de yazılmalıdır.",
        )
        return
    _require(kind in DOCUMENT_TYPES, f"{where}: bilinmeyen belge türü {kind!r}.")
    if kind in DOCUMENT_TYPES_NEEDING_NUMBER:
        _require(
            _filled(line.document_number) and line.document_date is not None,
            f"{where}: {kind} türündeki belgenin numarası ve tarihi yazılmalıdır.",
        )
    if kind == "other":
        _require(_filled(line.document_type_description), f"{where}: 'other' belge türünün açıklaması yazılmalıdır.")


def check_journal_entry(entry: JournalEntry, document: DocumentInfo) -> None:
    where = f"{entry.counter} numaralı yevmiye maddesi"
    _require(_filled(entry.entered_by), f"{where}: kaydı giren boş olamaz.")
    _require(_filled(entry.comment), f"{where}: madde açıklaması boş olamaz.")
    check_in_period(entry.date, document, where)
    _require(len(entry.lines) >= 2, f"{where}: en az iki satır (borç ve alacak) olmalıdır.")
    for index, line in enumerate(entry.lines, start=1):
        _check_line(line, f"{where}, {index}. satır")
    debit = sum((line.amount for line in entry.lines if line.side == "D"), Decimal(0))
    credit = sum((line.amount for line in entry.lines if line.side == "C"), Decimal(0))
    _require(debit == credit, f"{where}: borç ({debit:.2f}) ve alacak ({credit:.2f}) toplamları eşit değil.")
