"""Made-up company settings and yevmiye entries for demos, tests and the benchmark.

``sample_entries`` yields as many balanced maddeler as asked, spread over the period's days, so a file
of any size can be written without holding it; ``write_yevmiye_file``/``write_kebir_file`` write it as one
part with the portal's own streaming writer (``defter_stream.py``), to a path or a binary buffer.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from app.formats.xbrl.defter_stream import PartOpener, WrittenPart, write_kebir_parts, write_yevmiye_parts
from app.formats.xbrl.model import (
    Accountant,
    Address,
    Branch,
    CompanyInfo,
    DocumentInfo,
    EntryLine,
    JournalEntry,
    LedgerAccount,
)

SAMPLE_VKN = "9000068418"  # GİB's test VKN (check digit valid)


def sample_company(tax_id: str = SAMPLE_VKN, *, branch: Branch | None = None, year: int = 2024) -> CompanyInfo:
    return CompanyInfo(
        tax_id=tax_id,
        name="Örnek Ticaret A.Ş." if len(tax_id) == 10 else "Ayşe Yılmaz",
        address=Address("12", "Atatürk Caddesi", "İzmir", "35210"),
        phone="+90 232 000 00 00",
        email="muhasebe@ornek.com.tr",
        website="https://www.ornek.com.tr",
        nace_code="46.90.04",
        fiscal_year_start=date(year, 1, 1),
        fiscal_year_end=date(year, 12, 31),
        accountants=(Accountant("Mehmet Demir", "SMMM Sözleşmesi"),),
        branch=branch,
    )


def sample_document(year: int = 2024, month: int = 3, *, sequence: int = 1) -> DocumentInfo:
    start = date(year, month, 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return DocumentInfo(start, end, end + timedelta(days=10), sequence=sequence)


# A sale on account with VAT: three lines, balanced, with an invoice reference.
_SALE_LINES = (
    ("120", "ALICILAR", "120.001", "Müşteri A", Decimal("1180.00"), "D"),
    ("600", "YURT İÇİ SATIŞLAR", None, None, Decimal("1000.00"), "C"),
    ("391", "HESAPLANAN KDV", None, None, Decimal("180.00"), "C"),
)


def _sale_lines(counter: int, day: date) -> tuple[EntryLine, ...]:
    invoice = f"ORN2024{counter:09d}"
    return tuple(
        EntryLine(
            account_main_id=main_id,
            account_main_description=main_name,
            amount=amount,
            side=side,  # type: ignore[arg-type]
            account_sub_id=sub_id,
            account_sub_description=sub_name,
            document_type="invoice",
            document_number=invoice,
            document_date=day,
            payment_method="Açık hesap",
        )
        for main_id, main_name, sub_id, sub_name, amount, side in _SALE_LINES
    )


def sample_entries(document: DocumentInfo, count: int, *, first_counter: int = 1) -> Iterator[JournalEntry]:
    """``count`` consecutive maddeler from ``first_counter``, dated in order through the period."""
    days = (document.period_end - document.period_start).days + 1
    for index in range(count):
        counter = first_counter + index
        day = document.period_start + timedelta(days=index * days // max(count, 1))
        yield JournalEntry(
            counter=counter,
            date=day,
            entered_by="Muhasebe Servisi",
            comment=f"{counter} numaralı satış faturası",
            lines=_sale_lines(counter, day),
            entry_number=f"F{counter:08d}",
        )


def entries_for_size(target_bytes: int) -> int:
    """Roughly how many sample maddeler make a file of ``target_bytes`` (measured: ~4.35 KB each)."""
    return max(1, target_bytes // 4350)


def _one_part(target: str | Path | BinaryIO) -> PartOpener:
    """An opener for the streaming writer that allows exactly one part: ``target`` itself."""

    @contextmanager
    def open_part(index: int) -> Iterator[BinaryIO]:
        if index:
            raise RuntimeError("one part only: the writer was asked for a second part")
        if isinstance(target, (str, Path)):
            with open(target, "wb") as handle:
                yield handle
        else:
            yield target  # a buffer the caller owns: left open

    return open_part


def write_yevmiye_file(target: str | Path | BinaryIO, company: CompanyInfo, document: DocumentInfo,
                       entries: Iterable[JournalEntry], *, first_entry_counter: int = 1,
                       first_line_number: int = 1) -> WrittenPart:
    """A whole yevmiye as one unsigned part (never split by size), written by the portal's streaming writer."""
    [part] = write_yevmiye_parts(_one_part(target), company, document, entries,
                                 first_entry_counter=first_entry_counter, first_line_number=first_line_number,
                                 max_part_bytes=sys.maxsize)
    return part


def write_kebir_file(target: str | Path | BinaryIO, company: CompanyInfo, document: DocumentInfo,
                     accounts: Iterable[LedgerAccount], *, first_line_number: int = 1) -> WrittenPart:
    """A whole kebir as one unsigned part, written by the portal's streaming writer."""
    [part] = write_kebir_parts(_one_part(target), company, document, accounts, first_line_number=first_line_number,
                               max_part_bytes=sys.maxsize)
    return part
