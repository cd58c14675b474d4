"""Streaming writer of e-Defter yevmiye (journal) and kebir (ledger) documents.

Written element by element with lxml's incremental ``etree.xmlfile``: nothing but the current madde is
held in memory, so a defter of any size is produced in bounded memory. Every fact is spelt the way GİB's
schematron compares text (amounts ``100.00``, dates ``YYYY-MM-DD``, ``decimals="INF"``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from lxml import etree

from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.model import CompanyInfo, DocumentInfo, EntryLine, JournalEntry, LedgerAccount, LedgerLine
from app.formats.xbrl.rules import (
    LedgerWriteError,
    check_account,
    check_amount,
    check_company,
    check_document,
    check_in_period,
    check_journal_entry,
)

SCHEMA_HREF = "../xsd/2006-10-25/plt/case-c-b/gl-plt-2006-10-25.xsd"
MONEY_UNIT = "try"
COUNT_UNIT = "countable"

Target = str | Path | BinaryIO


@dataclass(frozen=True)
class WriteResult:
    """What a finished defter holds: enough to continue numbering in the next part or period."""

    entry_count: int
    first_entry_counter: int | None
    last_entry_counter: int | None
    last_line_number: int  # 0 when nothing was written and numbering started at 1
    total_debit: Decimal
    total_credit: Decimal


class _FactWriter:
    """Writes XBRL facts into an open ``xmlfile`` with the one context and the two units."""

    def __init__(self, xf: etree._IncrementalFileWriter, context_id: str) -> None:
        self._xf = xf
        self._item = {"contextRef": context_id}
        self._money = {"contextRef": context_id, "unitRef": MONEY_UNIT, "decimals": "INF"}
        self._count = {"contextRef": context_id, "unitRef": COUNT_UNIT, "decimals": "INF"}

    def item(self, tag: str, text: str) -> None:
        with self._xf.element(tag, self._item):
            self._xf.write(text)

    def date(self, tag: str, value: date) -> None:
        self.item(tag, value.isoformat())

    def optional(self, tag: str, value: str | date | None) -> None:
        """Write the fact only when there is something to say (GİB refuses empty optional facts)."""
        if isinstance(value, date):
            self.date(tag, value)
        elif value:
            self.item(tag, value)

    def money(self, tag: str, value: Decimal) -> None:
        with self._xf.element(tag, self._money):
            self._xf.write(f"{value:.2f}")

    def count(self, tag: str, value: int) -> None:
        with self._xf.element(tag, self._count):
            self._xf.write(str(value))

    def group(self, tag: str) -> AbstractContextManager[object]:
        """A tuple (XBRL's word): an element holding facts, with no context of its own."""
        return self._xf.element(tag)

    def newline(self) -> None:
        self._xf.write("\n")


@contextmanager
def _open_target(target: Target) -> Iterator[BinaryIO]:
    if isinstance(target, (str, Path)):
        with open(target, "wb") as handle:
            yield handle
    else:
        yield target


@contextmanager
def _defter(
    target: Target,
    company: CompanyInfo,
    document: DocumentInfo,
    *,
    entries_type: str,
    signature_placeholder_id: str | None,
) -> Iterator[_FactWriter]:
    """Write the envelope, context, units, documentInfo and entityInformation; yield for the entries."""
    check_company(company)
    check_document(document)
    context_id = ns.JOURNAL_CONTEXT if entries_type == "journal" else ns.LEDGER_CONTEXT
    with _open_target(target) as handle, etree.xmlfile(handle, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(ns.DEFTER, nsmap=ns.NSMAP):
            with xf.element(ns.xbrli("xbrl")):
                schema_ref = {f"{{{ns.XLINK}}}type": "simple", f"{{{ns.XLINK}}}href": SCHEMA_HREF}
                with xf.element(f"{{{ns.LINK}}}schemaRef", schema_ref):
                    pass
                _write_context_and_units(xf, company, document, context_id)
                facts = _FactWriter(xf, context_id)
                with facts.group(ns.cor("accountingEntries")):
                    _write_document_info(facts, document, entries_type)
                    _write_entity_information(facts, company)
                    facts.newline()
                    yield facts
            if signature_placeholder_id is not None:
                # Filled by app.signing (signxml replaces an empty ds:Signature in place).
                with xf.element(ns.SIGNATURE, Id=signature_placeholder_id):
                    pass


def _write_context_and_units(
    xf: etree._IncrementalFileWriter, company: CompanyInfo, document: DocumentInfo, context_id: str
) -> None:
    with xf.element(ns.xbrli("context"), id=context_id):
        with xf.element(ns.xbrli("entity")):
            with xf.element(ns.xbrli("identifier"), scheme=ns.GIB_IDENTIFIER_SCHEME):
                xf.write(company.tax_id)
        with xf.element(ns.xbrli("period")):
            with xf.element(ns.xbrli("instant")):
                xf.write(document.period_end.isoformat())
    for unit_id, measure in ((MONEY_UNIT, "iso4217:TRY"), (COUNT_UNIT, "xbrli:pure")):
        with xf.element(ns.xbrli("unit"), id=unit_id):
            with xf.element(ns.xbrli("measure")):
                xf.write(measure)


def unique_id(prefix: str, document: DocumentInfo) -> str:
    """YEV/KEB + YYYYMM of the period + six-digit part sequence: 15 characters, as GİB checks."""
    return f"{prefix}{document.period_start:%Y%m}{document.sequence:06d}"


def _write_document_info(facts: _FactWriter, document: DocumentInfo, entries_type: str) -> None:
    with facts.group(ns.cor("documentInfo")):
        facts.item(ns.cor("entriesType"), entries_type)
        facts.item(ns.cor("uniqueID"), unique_id("YEV" if entries_type == "journal" else "KEB", document))
        facts.item(ns.cor("language"), "iso639:tr")
        facts.date(ns.cor("creationDate"), document.creation_date)
        facts.optional(ns.bus("creator"), document.creator)
        facts.optional(ns.cor("entriesComment"), document.comment)
        facts.date(ns.cor("periodCoveredStart"), document.period_start)
        facts.date(ns.cor("periodCoveredEnd"), document.period_end)
        facts.item(ns.bus("sourceApplication"), document.source_application)


def _write_organization_identifier(facts: _FactWriter, identifier: str, description: str) -> None:
    with facts.group(ns.bus("organizationIdentifiers")):
        facts.item(ns.bus("organizationIdentifier"), identifier)
        facts.item(ns.bus("organizationDescription"), description)


def _write_entity_information(facts: _FactWriter, company: CompanyInfo) -> None:
    with facts.group(ns.cor("entityInformation")):
        with facts.group(ns.bus("entityPhoneNumber")):
            facts.item(ns.bus("phoneNumber"), company.phone)
        with facts.group(ns.bus("entityEmailAddressStructure")):
            facts.item(ns.bus("entityEmailAddress"), company.email)
        _write_organization_identifier(facts, company.name, "Adı Soyadı" if company.is_person else "Kurum Unvanı")
        if company.branch is not None:
            _write_organization_identifier(facts, company.branch.code, "Şube No")
            _write_organization_identifier(facts, company.branch.name, "Şube Adı")
        address = company.address
        with facts.group(ns.bus("organizationAddress")):
            facts.item(ns.bus("organizationBuildingNumber"), address.building_number)
            facts.item(ns.bus("organizationAddressStreet"), address.street)
            facts.item(ns.bus("organizationAddressCity"), address.city)
            facts.item(ns.bus("organizationAddressZipOrPostalCode"), address.postal_code)
            facts.item(ns.bus("organizationAddressCountry"), address.country)
        with facts.group(ns.bus("entityWebSite")):
            facts.item(ns.bus("webSiteURL"), company.website)
        facts.item(ns.bus("businessDescription"), company.nace_code)
        facts.date(ns.bus("fiscalYearStart"), company.fiscal_year_start)
        facts.date(ns.bus("fiscalYearEnd"), company.fiscal_year_end)
        for accountant in company.accountants:
            with facts.group(ns.bus("accountantInformation")):
                facts.item(ns.bus("accountantName"), accountant.name)
                facts.item(ns.bus("accountantEngagementTypeDescription"), accountant.engagement_type_description)


def _write_account(
    facts: _FactWriter, main_id: str, main_description: str, sub_id: str | None, sub_description: str | None
) -> None:
    with facts.group(ns.cor("account")):
        facts.item(ns.cor("accountMainID"), main_id)
        facts.item(ns.cor("accountMainDescription"), main_description)
        if sub_id is not None:
            with facts.group(ns.cor("accountSub")):
                facts.item(ns.cor("accountSubDescription"), sub_description or "")
                facts.item(ns.cor("accountSubID"), sub_id)


def _write_journal_line(
    facts: _FactWriter, line: EntryLine, entry: JournalEntry, line_number: int
) -> None:
    with facts.group(ns.cor("entryDetail")):
        facts.item(ns.cor("lineNumber"), str(line_number))
        facts.count(ns.cor("lineNumberCounter"), entry.counter)
        _write_account(
            facts, line.account_main_id, line.account_main_description, line.account_sub_id, line.account_sub_description
        )
        facts.money(ns.cor("amount"), line.amount)
        facts.item(ns.cor("debitCreditCode"), line.side)
        facts.date(ns.cor("postingDate"), entry.date)
        facts.optional(ns.cor("documentType"), line.document_type)
        facts.optional(ns.cor("documentTypeDescription"), line.document_type_description)
        facts.optional(ns.cor("documentNumber"), line.document_number)
        facts.item(ns.cor("documentReference"), entry.number_text)
        facts.optional(ns.cor("documentDate"), line.document_date)
        facts.optional(ns.bus("paymentMethod"), line.payment_method)
        facts.optional(ns.cor("detailComment"), line.comment)


def _write_journal_entry(facts: _FactWriter, entry: JournalEntry, first_line_number: int) -> Decimal:
    total = sum((line.amount for line in entry.lines if line.side == "D"), Decimal(0))
    with facts.group(ns.cor("entryHeader")):
        facts.item(ns.cor("enteredBy"), entry.entered_by)
        facts.date(ns.cor("enteredDate"), entry.date)
        facts.item(ns.cor("entryNumber"), entry.number_text)
        facts.item(ns.cor("entryComment"), entry.comment)
        facts.money(ns.bus("totalDebit"), total)
        facts.money(ns.bus("totalCredit"), total)
        facts.count(ns.cor("entryNumberCounter"), entry.counter)
        for offset, line in enumerate(entry.lines):
            _write_journal_line(facts, line, entry, first_line_number + offset)
    facts.newline()
    return total


def write_yevmiye(
    target: Target,
    company: CompanyInfo,
    document: DocumentInfo,
    entries: Iterable[JournalEntry],
    *,
    first_entry_counter: int | None = None,
    first_line_number: int = 1,
    signature_placeholder_id: str | None = None,
) -> WriteResult:
    """Write a yevmiye defteri (part) to ``target`` (a path or a binary file), streaming ``entries``.

    ``first_entry_counter``: the madde number the first entry must carry (continuing the previous part
    or period); each next entry must be +1. ``first_line_number``: the first gl-cor:lineNumber; lines are
    numbered consecutively through the file. ``signature_placeholder_id``: write an empty
    ``ds:Signature Id=…`` after ``xbrli:xbrl`` for the signer to fill; None writes no signature element.
    Raises :class:`LedgerWriteError` (Turkish message) when an input breaks a GİB rule; a file written
    up to that point is incomplete and must be discarded.
    """
    expected = first_entry_counter
    first: int | None = None
    last: int | None = None
    count = 0
    line_number = first_line_number
    total = Decimal(0)
    previous_date: date | None = None
    with _defter(
        target, company, document, entries_type="journal", signature_placeholder_id=signature_placeholder_id
    ) as facts:
        for entry in entries:
            if expected is not None and entry.counter != expected:
                raise LedgerWriteError(
                    f"Yevmiye madde numaraları kesintisiz olmalıdır: {expected} beklenirken {entry.counter} geldi."
                )
            if previous_date is not None and entry.date < previous_date:
                raise LedgerWriteError(f"{entry.counter} numaralı madde tarih sırasına uymuyor.")
            check_journal_entry(entry, document)
            total += _write_journal_entry(facts, entry, line_number)
            line_number += len(entry.lines)
            first = entry.counter if first is None else first
            last = entry.counter
            expected = entry.counter + 1
            previous_date = entry.date
            count += 1
    return WriteResult(count, first, last, line_number - 1, total, total)


def _write_ledger_account(
    facts: _FactWriter, account: LedgerAccount, document: DocumentInfo, first_line_number: int
) -> int:
    """Write one kebir entryHeader; return how many lines it held."""
    where = f"{account.main_id} hesabı"
    check_account(account.main_id, account.sub_id, where)
    net = account.debit_sum - account.credit_sum
    debit_sum = credit_sum = Decimal(0)
    line_number = first_line_number
    previous_counter = 0
    with facts.group(ns.cor("entryHeader")):
        # GİB wants the account's net balance here: one of the two totals is zero.
        facts.money(ns.bus("totalDebit"), max(net, Decimal(0)))
        facts.money(ns.bus("totalCredit"), max(-net, Decimal(0)))
        for line in account.lines:
            _check_ledger_line(line, document, where, previous_counter)
            previous_counter = line.entry_counter
            _write_ledger_line(facts, account, line, line_number)
            line_number += 1
            if line.side == "D":
                debit_sum += line.amount
            else:
                credit_sum += line.amount
    if line_number == first_line_number:
        raise LedgerWriteError(f"{where}: kebirde satırı olmayan hesap yazılamaz.")
    if (debit_sum, credit_sum) != (account.debit_sum, account.credit_sum):
        raise LedgerWriteError(f"{where}: satır toplamları verilen borç/alacak toplamlarıyla uyuşmuyor.")
    facts.newline()
    return line_number - first_line_number


def _check_ledger_line(line: LedgerLine, document: DocumentInfo, where: str, previous_counter: int) -> None:
    check_amount(line.amount, where)
    check_in_period(line.date, document, where)
    if line.side not in ("D", "C"):
        raise LedgerWriteError(f"{where}: borç/alacak kodu D ya da C olmalıdır.")
    if line.entry_counter < previous_counter:
        raise LedgerWriteError(f"{where}: satırlar yevmiye madde numarası sırasında olmalıdır.")


def _write_ledger_line(facts: _FactWriter, account: LedgerAccount, line: LedgerLine, line_number: int) -> None:
    with facts.group(ns.cor("entryDetail")):
        facts.item(ns.cor("lineNumber"), str(line_number))
        facts.count(ns.cor("lineNumberCounter"), line.entry_counter)
        _write_account(facts, account.main_id, account.main_description, account.sub_id, account.sub_description)
        facts.money(ns.cor("amount"), line.amount)
        facts.item(ns.cor("debitCreditCode"), line.side)
        facts.date(ns.cor("postingDate"), line.date)
        facts.item(ns.cor("documentReference"), line.entry_number)
        facts.optional(ns.cor("detailComment"), line.comment)


def write_kebir(
    target: Target,
    company: CompanyInfo,
    document: DocumentInfo,
    accounts: Iterable[LedgerAccount],
    *,
    first_line_number: int = 1,
    signature_placeholder_id: str | None = None,
) -> WriteResult:
    """Write a kebir (büyük defter) part: one entryHeader per account, accounts sorted by code.

    Each account's lines are streamed once. Raises :class:`LedgerWriteError` on a broken rule (unsorted
    accounts, sums that do not match the lines, amounts or dates GİB refuses).
    """
    previous_key: tuple[str, str] | None = None
    count = 0
    line_number = first_line_number
    debit = credit = Decimal(0)
    with _defter(
        target, company, document, entries_type="ledger", signature_placeholder_id=signature_placeholder_id
    ) as facts:
        for account in accounts:
            key = (account.main_id, account.sub_id or "")
            if previous_key is not None and key <= previous_key:
                raise LedgerWriteError(f"{account.main_id} hesabı: kebirde hesaplar koda göre sıralı ve tekil olmalıdır.")
            previous_key = key
            line_number += _write_ledger_account(facts, account, document, line_number)
            debit += account.debit_sum
            credit += account.credit_sum
            count += 1
    return WriteResult(count, None, None, line_number - 1, debit, credit)
