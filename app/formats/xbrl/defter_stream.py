"""Yevmiye and kebir parts written as canonical bytes, split by size, each part's digest known when it ends.

The one writer of yevmiye and kebir (the older ``etree.xmlfile`` writer, ``writer.py``, is gone). It renders each
madde (or kebir account) as one string of canonical XML (canonical.py), so it knows the madde's size before writing
it: a new part starts before a file would pass ``max_part_bytes``, and a madde is never split. The bytes after the XML
declaration are the part's inclusive C14N 1.0 form, so their SHA-256 is the ``Reference URI=""`` digest the
signer needs (the ds:Signature is appended before the root's end tag at signing, decision note 0110).

Element order and spelling are checked against GİB's XSD and schematron (tests/formats/test_xbrl_writer.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from app.formats.xbrl import namespaces as ns
from app.formats.xbrl.canonical import DECLARATION, HashingWriter, attribute, root_start, text
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
ROOT = "edefter:defter"
ROOT_END = f"</{ROOT}>".encode()
DEFAULT_MAX_PART_BYTES = 200 * 1024 * 1024  # GİB: a new part when a file would pass 200 MB
# The accounts whose movement a berat's tax detail reports (KDV and sales).
TAX_ACCOUNT_IDS = ("391", "191", "600", "601", "602")

# Opens the binary file of part number ``index`` (0, 1, …); the writer closes it when the part ends.
PartOpener = Callable[[int], AbstractContextManager[BinaryIO]]


@dataclass(frozen=True)
class WrittenPart:
    """One finished part: what the signer, the berat and the next part need."""

    index: int  # 0-based, the NNNNNN of the file name
    unique_id: str  # YEV/KEB + YYYYMM + 6 digits
    size: int  # bytes of the unsigned file
    digest: bytes  # SHA-256 of the canonical form (everything after the declaration)
    entry_count: int  # maddeler (yevmiye) or accounts (kebir)
    line_count: int
    first_entry_counter: int | None
    last_entry_counter: int | None
    first_line_number: int
    last_line_number: int
    total_debit: Decimal
    total_credit: Decimal
    tax_totals: dict[str, Decimal]  # "391D", "391C", … for the berat's tax detail


class _Facts:
    """Renders facts of one context as canonical strings."""

    def __init__(self, context_id: str) -> None:
        self.item_attributes = f' contextRef="{context_id}"'
        self.money_attributes = f' contextRef="{context_id}" decimals="INF" unitRef="try"'
        self.count_attributes = f' contextRef="{context_id}" decimals="INF" unitRef="countable"'

    def item(self, tag: str, value: str) -> str:
        return f"<{tag}{self.item_attributes}>{text(value)}</{tag}>"

    def optional(self, tag: str, value: str | date | None) -> str:
        if isinstance(value, date):
            return f"<{tag}{self.item_attributes}>{value.isoformat()}</{tag}>"
        return self.item(tag, value) if value else ""

    def money(self, tag: str, value: Decimal) -> str:
        return f"<{tag}{self.money_attributes}>{value:.2f}</{tag}>"

    def count(self, tag: str, value: int) -> str:
        return f"<{tag}{self.count_attributes}>{value}</{tag}>"


def unique_id(prefix: str, document: DocumentInfo) -> str:
    return f"{prefix}{document.period_start:%Y%m}{document.sequence:06d}"


def context_xml(company: CompanyInfo, document: DocumentInfo, context_id: str, segment: str = "") -> str:
    """xbrli:context (with an optional xbrli:segment inside the entity) and the two units."""
    segment_xml = f"<xbrli:segment>{segment}</xbrli:segment>" if segment else ""
    return (
        f'<xbrli:context id="{attribute(context_id)}"><xbrli:entity>'
        f'<xbrli:identifier scheme="{attribute(ns.GIB_IDENTIFIER_SCHEME)}">{text(company.tax_id)}</xbrli:identifier>'
        f"{segment_xml}</xbrli:entity><xbrli:period><xbrli:instant>{document.period_end.isoformat()}</xbrli:instant>"
        "</xbrli:period></xbrli:context>"
        '<xbrli:unit id="try"><xbrli:measure>iso4217:TRY</xbrli:measure></xbrli:unit>'
        '<xbrli:unit id="countable"><xbrli:measure>xbrli:pure</xbrli:measure></xbrli:unit>'
    )


def document_info_xml(facts: _Facts, document: DocumentInfo, entries_type: str, unique: str) -> str:
    return (
        "<gl-cor:documentInfo>"
        + facts.item("gl-cor:entriesType", entries_type)
        + facts.item("gl-cor:uniqueID", unique)
        + facts.item("gl-cor:language", "iso639:tr")
        + facts.optional("gl-cor:creationDate", document.creation_date)
        + facts.optional("gl-bus:creator", document.creator)
        + facts.optional("gl-cor:entriesComment", document.comment)
        + facts.optional("gl-cor:periodCoveredStart", document.period_start)
        + facts.optional("gl-cor:periodCoveredEnd", document.period_end)
        + facts.item("gl-bus:sourceApplication", document.source_application)
        + "</gl-cor:documentInfo>"
    )


def _organization_identifier(facts: _Facts, identifier: str, description: str) -> str:
    return (
        "<gl-bus:organizationIdentifiers>"
        + facts.item("gl-bus:organizationIdentifier", identifier)
        + facts.item("gl-bus:organizationDescription", description)
        + "</gl-bus:organizationIdentifiers>"
    )


def entity_information_xml(facts: _Facts, company: CompanyInfo) -> str:
    address = company.address
    parts = [
        "<gl-cor:entityInformation><gl-bus:entityPhoneNumber>",
        facts.item("gl-bus:phoneNumber", company.phone),
        "</gl-bus:entityPhoneNumber><gl-bus:entityEmailAddressStructure>",
        facts.item("gl-bus:entityEmailAddress", company.email),
        "</gl-bus:entityEmailAddressStructure>",
        _organization_identifier(facts, company.name, "Adı Soyadı" if company.is_person else "Kurum Unvanı"),
    ]
    if company.branch is not None:
        parts.append(_organization_identifier(facts, company.branch.code, "Şube No"))
        parts.append(_organization_identifier(facts, company.branch.name, "Şube Adı"))
    parts += [
        "<gl-bus:organizationAddress>",
        facts.item("gl-bus:organizationBuildingNumber", address.building_number),
        facts.item("gl-bus:organizationAddressStreet", address.street),
        facts.item("gl-bus:organizationAddressCity", address.city),
        facts.item("gl-bus:organizationAddressZipOrPostalCode", address.postal_code),
        facts.item("gl-bus:organizationAddressCountry", address.country),
        "</gl-bus:organizationAddress><gl-bus:entityWebSite>",
        facts.item("gl-bus:webSiteURL", company.website),
        "</gl-bus:entityWebSite>",
        facts.item("gl-bus:businessDescription", company.nace_code),
        facts.optional("gl-bus:fiscalYearStart", company.fiscal_year_start),
        facts.optional("gl-bus:fiscalYearEnd", company.fiscal_year_end),
    ]
    for accountant in company.accountants:
        parts += [
            "<gl-bus:accountantInformation>",
            facts.item("gl-bus:accountantName", accountant.name),
            facts.item("gl-bus:accountantEngagementTypeDescription", accountant.engagement_type_description),
            "</gl-bus:accountantInformation>",
        ]
    parts.append("</gl-cor:entityInformation>")
    return "".join(parts)


def document_head(root: str, company: CompanyInfo, document: DocumentInfo, context_id: str, entries_type: str,
                  unique: str, segment: str = "") -> str:
    """Everything from the root's start tag to the end of entityInformation (accountingEntries left open)."""
    facts = _Facts(context_id)
    return (
        root_start(root)
        + "<xbrli:xbrl>"
        + f'<link:schemaRef xlink:href="{attribute(SCHEMA_HREF)}" xlink:type="simple"></link:schemaRef>'
        + context_xml(company, document, context_id, segment)
        + "<gl-cor:accountingEntries>"
        + document_info_xml(facts, document, entries_type, unique)
        + entity_information_xml(facts, company)
        + "\n"
    )


DOCUMENT_TAIL = "</gl-cor:accountingEntries></xbrli:xbrl>"


def _account_xml(facts: _Facts, main_id: str, main_description: str, sub_id: str | None,
                 sub_description: str | None) -> str:
    sub = ""
    if sub_id is not None:
        sub = (
            "<gl-cor:accountSub>"
            + facts.item("gl-cor:accountSubDescription", sub_description or "")
            + facts.item("gl-cor:accountSubID", sub_id)
            + "</gl-cor:accountSub>"
        )
    return (
        "<gl-cor:account>"
        + facts.item("gl-cor:accountMainID", main_id)
        + facts.item("gl-cor:accountMainDescription", main_description)
        + sub
        + "</gl-cor:account>"
    )


def _journal_line_xml(facts: _Facts, line: EntryLine, entry: JournalEntry, day: str, line_number: int) -> str:
    return (
        "<gl-cor:entryDetail>"
        + facts.item("gl-cor:lineNumber", str(line_number))
        + facts.count("gl-cor:lineNumberCounter", entry.counter)
        + _account_xml(facts, line.account_main_id, line.account_main_description, line.account_sub_id,
                       line.account_sub_description)
        + facts.money("gl-cor:amount", line.amount)
        + facts.item("gl-cor:debitCreditCode", line.side)
        + f"<gl-cor:postingDate{facts.item_attributes}>{day}</gl-cor:postingDate>"
        + facts.optional("gl-cor:documentType", line.document_type)
        + facts.optional("gl-cor:documentTypeDescription", line.document_type_description)
        + facts.optional("gl-cor:documentNumber", line.document_number)
        + facts.item("gl-cor:documentReference", entry.number_text)
        + facts.optional("gl-cor:documentDate", line.document_date)
        + facts.optional("gl-bus:paymentMethod", line.payment_method)
        + facts.optional("gl-cor:detailComment", line.comment)
        + "</gl-cor:entryDetail>"
    )


def journal_entry_xml(facts: _Facts, entry: JournalEntry, first_line_number: int) -> tuple[str, Decimal]:
    total = sum((line.amount for line in entry.lines if line.side == "D"), Decimal(0))
    day = entry.date.isoformat()
    parts = [
        "<gl-cor:entryHeader>",
        facts.item("gl-cor:enteredBy", entry.entered_by),
        f"<gl-cor:enteredDate{facts.item_attributes}>{day}</gl-cor:enteredDate>",
        facts.item("gl-cor:entryNumber", entry.number_text),
        facts.item("gl-cor:entryComment", entry.comment),
        facts.money("gl-bus:totalDebit", total),
        facts.money("gl-bus:totalCredit", total),
        facts.count("gl-cor:entryNumberCounter", entry.counter),
    ]
    for offset, line in enumerate(entry.lines):
        parts.append(_journal_line_xml(facts, line, entry, day, first_line_number + offset))
    parts.append("</gl-cor:entryHeader>\n")
    return "".join(parts), total


class _PartWriter:
    """Writes one part after another into files from ``open_part``; starts a new part when the next chunk
    (one madde, one kebir account) would push the file over ``max_part_bytes``."""

    def __init__(self, open_part: PartOpener, max_part_bytes: int, head: Callable[[int], str], prefix: str,
                 document: DocumentInfo) -> None:
        self._open_part = open_part
        self._max = max_part_bytes
        self._head = head
        self._prefix = prefix
        self._document = document
        self._tail = (DOCUMENT_TAIL + f"</{ROOT}>").encode()
        self.parts: list[WrittenPart] = []
        self._streamed_bytes = 0
        self._streamed_lines = 0
        self._context: AbstractContextManager[BinaryIO] | None = None
        self._sink: HashingWriter | None = None
        self._reset_counts(1)

    def _reset_counts(self, next_line: int) -> None:
        self.entries = 0
        self.lines = 0
        self.first_counter: int | None = None
        self.last_counter: int | None = None
        self.first_line = next_line
        self.debit = Decimal(0)
        self.credit = Decimal(0)
        self.tax: dict[str, Decimal] = {}

    def _open(self) -> HashingWriter:
        index = len(self.parts)
        self._context = self._open_part(index)
        sink = HashingWriter(self._context.__enter__())
        sink.write(DECLARATION)
        sink.start_hashing()
        sink.write(self._head(index).encode())
        self._sink = sink
        return sink

    def write_chunk(self, chunk: bytes, *, lines: int, counter: int | None, debit: Decimal, credit: Decimal,
                    tax: dict[str, Decimal] | None = None) -> None:
        sink = self._sink or self._open()
        if self.entries and sink.size + len(chunk) + len(self._tail) > self._max:
            next_line = self.first_line + self.lines
            self.close()
            self._reset_counts(next_line)
            sink = self._open()
        sink.write(chunk)
        self.entries += 1
        self.lines += lines
        if counter is not None:
            self.first_counter = counter if self.first_counter is None else self.first_counter
            self.last_counter = counter
        self.debit += debit
        self.credit += credit
        for key, amount in (tax or {}).items():
            self.tax[key] = self.tax.get(key, Decimal(0)) + amount

    def bytes_per_line(self) -> float:
        return self._streamed_bytes / self._streamed_lines if self._streamed_lines else 0.0

    def write_stream(self, chunks: Iterable[bytes], estimate: int, count: "_Count", *, debit: Decimal,
                     credit: Decimal, tax: dict[str, Decimal] | None = None) -> None:
        """Like write_chunk for one entry too big to hold: a new part first when ``estimate`` would not fit."""
        sink = self._sink or self._open()
        if self.entries and sink.size + estimate + len(self._tail) > self._max:
            next_line = self.first_line + self.lines
            self.close()
            self._reset_counts(next_line)
            sink = self._open()
        before = sink.size
        for chunk in chunks:
            sink.write(chunk)
        self._streamed_bytes += sink.size - before
        self._streamed_lines += count.value
        self.entries += 1
        self.lines += count.value
        self.debit += debit
        self.credit += credit
        for key, amount in (tax or {}).items():
            self.tax[key] = self.tax.get(key, Decimal(0)) + amount

    def close(self) -> None:
        """End the open part (or write one empty part when nothing was written at all)."""
        sink = self._sink or (self._open() if not self.parts else None)
        if sink is None or self._context is None:
            return
        sink.write(self._tail)
        self._context.__exit__(None, None, None)
        index = len(self.parts)
        self.parts.append(WrittenPart(
            index=index,
            unique_id=unique_id(self._prefix, replace(self._document, sequence=index + 1)),
            size=sink.size,
            digest=sink.digest(),
            entry_count=self.entries,
            line_count=self.lines,
            first_entry_counter=self.first_counter,
            last_entry_counter=self.last_counter,
            first_line_number=self.first_line,
            last_line_number=self.first_line + self.lines - 1,
            total_debit=self.debit,
            total_credit=self.credit,
            tax_totals=dict(self.tax),
        ))
        self._sink = None
        self._context = None

    def abort(self) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)
            self._context = None
            self._sink = None


def _head_for(company: CompanyInfo, document: DocumentInfo, context_id: str, entries_type: str,
              prefix: str) -> Callable[[int], str]:
    check_company(company)
    check_document(document)

    def head(index: int) -> str:
        part_document = replace(document, sequence=index + 1)
        return document_head(ROOT, company, part_document, context_id, entries_type, unique_id(prefix, part_document))

    return head


def write_yevmiye_parts(
    open_part: PartOpener,
    company: CompanyInfo,
    document: DocumentInfo,
    entries: Iterable[JournalEntry],
    *,
    first_entry_counter: int,
    first_line_number: int = 1,
    max_part_bytes: int = DEFAULT_MAX_PART_BYTES,
    progress: Callable[[int], None] | None = None,
) -> list[WrittenPart]:
    """Write the period's yevmiye into as many parts as its size needs; numbering runs on across parts.

    ``entries`` must come in date order and carry consecutive counters from ``first_entry_counter``.
    Raises LedgerWriteError (Turkish) on a broken rule; the files written so far must then be discarded.
    ``progress`` is called with the number of maddeler written, every 1000 maddeler.
    """
    facts = _Facts(ns.JOURNAL_CONTEXT)
    writer = _PartWriter(open_part, max_part_bytes, _head_for(company, document, ns.JOURNAL_CONTEXT, "journal", "YEV"),
                         "YEV", document)
    writer.first_line = first_line_number
    expected = first_entry_counter
    line_number = first_line_number
    previous_date: date | None = None
    written = 0
    try:
        for entry in entries:
            if entry.counter != expected:
                raise LedgerWriteError(
                    f"Yevmiye madde numaraları kesintisiz olmalıdır: {expected} beklenirken {entry.counter} geldi.")
            if previous_date is not None and entry.date < previous_date:
                raise LedgerWriteError(f"{entry.counter} numaralı madde tarih sırasına uymuyor.")
            check_journal_entry(entry, document)
            chunk, total = journal_entry_xml(facts, entry, line_number)
            tax: dict[str, Decimal] = {}
            for line in entry.lines:
                if line.account_main_id in TAX_ACCOUNT_IDS:
                    key = line.account_main_id + line.side
                    tax[key] = tax.get(key, Decimal(0)) + line.amount
            writer.write_chunk(chunk.encode(), lines=len(entry.lines), counter=entry.counter, debit=total, credit=total,
                               tax=tax)
            line_number += len(entry.lines)
            expected += 1
            previous_date = entry.date
            written += 1
            if progress is not None and written % 1000 == 0:
                progress(written)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return writer.parts


def _ledger_line_xml(facts: _Facts, account_xml: str, line: LedgerLine, line_number: int) -> str:
    return (
        "<gl-cor:entryDetail>"
        + facts.item("gl-cor:lineNumber", str(line_number))
        + facts.count("gl-cor:lineNumberCounter", line.entry_counter)
        + account_xml
        + facts.money("gl-cor:amount", line.amount)
        + facts.item("gl-cor:debitCreditCode", line.side)
        + f"<gl-cor:postingDate{facts.item_attributes}>{line.date.isoformat()}</gl-cor:postingDate>"
        + facts.item("gl-cor:documentReference", line.entry_number)
        + facts.optional("gl-cor:detailComment", line.comment)
        + "</gl-cor:entryDetail>"
    )


class _Count:
    value = 0


def ledger_account_chunks(facts: _Facts, account: LedgerAccount, document: DocumentInfo, first_line_number: int,
                          count: _Count) -> Iterator[str]:
    """One kebir entryHeader (header totals are the net balance), streamed in pieces of a few hundred lines;
    ``count.value`` holds how many lines it had once the generator ends."""
    where = f"{account.main_id} hesabı"
    check_account(account.main_id, account.sub_id, where)
    net = account.debit_sum - account.credit_sum
    account_xml = _account_xml(facts, account.main_id, account.main_description, account.sub_id,
                               account.sub_description)
    parts = [
        "<gl-cor:entryHeader>",
        facts.money("gl-bus:totalDebit", max(net, Decimal(0))),
        facts.money("gl-bus:totalCredit", max(-net, Decimal(0))),
    ]
    debit = credit = Decimal(0)
    previous_counter = 0
    line_number = first_line_number
    for line in account.lines:
        check_amount(line.amount, where)
        check_in_period(line.date, document, where)
        if line.side not in ("D", "C"):
            raise LedgerWriteError(f"{where}: borç/alacak kodu D ya da C olmalıdır.")
        if line.entry_counter < previous_counter:
            raise LedgerWriteError(f"{where}: satırlar yevmiye madde numarası sırasında olmalıdır.")
        previous_counter = line.entry_counter
        parts.append(_ledger_line_xml(facts, account_xml, line, line_number))
        line_number += 1
        if line.side == "D":
            debit += line.amount
        else:
            credit += line.amount
        if len(parts) >= 512:
            yield "".join(parts)
            parts = []
    if line_number == first_line_number:
        raise LedgerWriteError(f"{where}: kebirde satırı olmayan hesap yazılamaz.")
    if (debit, credit) != (account.debit_sum, account.credit_sum):
        raise LedgerWriteError(f"{where}: satır toplamları verilen borç/alacak toplamlarıyla uyuşmuyor.")
    parts.append("</gl-cor:entryHeader>\n")
    count.value = line_number - first_line_number
    yield "".join(parts)


def ledger_account_xml(facts: _Facts, account: LedgerAccount, document: DocumentInfo,
                       first_line_number: int) -> tuple[str, int]:
    """One kebir entryHeader as one string, and how many lines it holds (small accounts, tests)."""
    count = _Count()
    text = "".join(ledger_account_chunks(facts, account, document, first_line_number, count))
    return text, count.value


def write_kebir_parts(
    open_part: PartOpener,
    company: CompanyInfo,
    document: DocumentInfo,
    accounts: Iterable[LedgerAccount],
    *,
    first_line_number: int = 1,
    max_part_bytes: int = DEFAULT_MAX_PART_BYTES,
) -> list[WrittenPart]:
    """Write the kebir: one entryHeader per (account, sub-account), sorted; parts end between accounts.

    An account is held as one string while it is written (its lines are streamed from ``account.lines``);
    one account larger than a part makes a part larger than ``max_part_bytes`` (decision note 0111).
    """
    facts = _Facts(ns.LEDGER_CONTEXT)
    writer = _PartWriter(open_part, max_part_bytes, _head_for(company, document, ns.LEDGER_CONTEXT, "ledger", "KEB"),
                         "KEB", document)
    writer.first_line = first_line_number
    previous_key: tuple[str, str] | None = None
    line_number = first_line_number
    try:
        for account in accounts:
            key = (account.main_id, account.sub_id or "")
            if previous_key is not None and key <= previous_key:
                raise LedgerWriteError(
                    f"{account.main_id} hesabı: kebirde hesaplar koda göre sıralı ve tekil olmalıdır.")
            previous_key = key
            tax = ({account.main_id + "D": account.debit_sum, account.main_id + "C": account.credit_sum}
                   if account.main_id in TAX_ACCOUNT_IDS else None)
            count = _Count()
            # An account is streamed into its part (a ledger account can hold a million lines); whether it still
            # fits is judged before, from its line count and the bytes per line written so far.
            estimate = int((account.line_count or 0) * writer.bytes_per_line() * 1.02) + 1024
            writer.write_stream((chunk.encode() for chunk in ledger_account_chunks(facts, account, document,
                                                                                 line_number, count)),
                                estimate, count, debit=account.debit_sum, credit=account.credit_sum, tax=tax)
            line_number += count.value
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return writer.parts


def iter_chunks(stream: BinaryIO, size: int = 1024 * 1024) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk
