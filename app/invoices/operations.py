"""Faturalar operations: read an uploaded UBL-TR file and import its invoices.

The import is one transaction: every invoice that passes the rules is added, the audit entry is
written with the counts, and it commits; an invoice already stored is reported, not an error, so
the same upload twice changes nothing the second time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO, Iterator, TypeVar

from sqlalchemy import insert, or_, select, tuple_
from sqlalchemy.exc import IntegrityError

from app.db import get_session
from app.formats.safe_xml import format_size
from app.formats.ubl import InvoiceData, UploadResult, read_invoice_upload
from app.formats.ubl.upload import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_MAX_TOTAL_BYTES
from app.formatting import local_today
from app.invoices.report import IMPORT_AUDIT_ACTION, ImportReport, Refusal
from app.invoices.rules import InvoiceRefused, check_invoice, ettn_taken_message, fit_name, number_taken_message
from app.models import Invoice, Taxpayer
from app.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

_LOOKUP_CHUNK = 500  # invoices per lookup statement
_PartyNumber = tuple[str, str]  # (sender identifier, invoice number): unique in the invoice table
_T = TypeVar("_T")


@dataclass(frozen=True)
class UploadLimits:
    file_bytes: int = DEFAULT_MAX_FILE_BYTES
    total_bytes: int = DEFAULT_MAX_TOTAL_BYTES
    files: int = DEFAULT_MAX_FILES

    @property
    def text(self) -> str:
        return (f"Dosya başına en fazla {format_size(self.file_bytes)}; bir .zip dosyasında en fazla {self.files} "
                f"dosya ve açılmış hâliyle toplam {format_size(self.total_bytes)}.")


UPLOAD_LIMITS = UploadLimits()


def read_upload(filename: str, stream: BinaryIO) -> UploadResult:
    """The invoices of an uploaded .xml or .zip, within the upload bounds (raises UploadError)."""
    return read_invoice_upload(
        filename,
        stream,
        max_file_bytes=UPLOAD_LIMITS.file_bytes,
        max_total_bytes=UPLOAD_LIMITS.total_bytes,
        max_files=UPLOAD_LIMITS.files,
        today=local_today(),
    )


def import_invoices(taxpayer: Taxpayer, upload: UploadResult, filename: str = "") -> ImportReport:
    """Store the upload's invoices that name ``taxpayer`` as a party; commit only when something was worth it."""
    try:
        return _import_once(taxpayer, upload, filename)
    except IntegrityError:
        # Another upload stored one of these invoices between our lookup and our insert: look again.
        log.info("Fatura yüklemesi eşzamanlı bir yükleme ile çakıştı; yeniden deneniyor.")
        return _import_once(taxpayer, upload, filename)


def _import_once(taxpayer: Taxpayer, upload: UploadResult, filename: str) -> ImportReport:
    # A write unit from the first lookup: SQLite's write lock is held from there (decision note 0002).
    with unit_of_work() as work:
        report, new_rows = _sorted_upload(taxpayer, upload, filename)
        if new_rows:
            work.session.execute(insert(Invoice), new_rows)  # one executemany, whatever the count
        if report.stored_anything:
            summary = report.summary()
            event = work.record(IMPORT_AUDIT_ACTION, taxpayer_id=taxpayer.id, object_type="fatura_yukleme",
                                **summary.to_details())
    if report.stored_anything:
        report.audit_id = event.id
        log.info("Fatura yüklemesi: mükellef %s, %s", taxpayer.id, summary.text)
    return report


def _sorted_upload(taxpayer: Taxpayer, upload: UploadResult, filename: str) -> tuple[ImportReport, list[dict[str, object]]]:
    """What the upload does: its report (new, already stored, refused) and the rows of the new invoices."""
    report = ImportReport(filename, refusals=[Refusal(f.filename, f.message) for f in upload.rejected])
    candidates: list[tuple[str, InvoiceData]] = []
    for file in upload.accepted:
        for invoice in file.invoices:
            try:
                check_invoice(taxpayer.identifier, invoice)
            except InvoiceRefused as refused:
                report.refusals.append(Refusal(file.filename, refused.message, invoice.number))
                continue
            candidates.append((file.filename, invoice))

    by_ettn, by_number = _stored([invoice for _, invoice in candidates])
    new_rows: list[dict[str, object]] = []
    for file_name, invoice in candidates:
        key = (invoice.sender.identifier, invoice.number)
        known = by_ettn.get(invoice.ettn)
        if known is not None:
            if known == key:
                report.already_registered.append(invoice.number)
            else:
                report.refusals.append(Refusal(file_name, ettn_taken_message(invoice), invoice.number))
            continue
        if key in by_number:
            report.refusals.append(Refusal(file_name, number_taken_message(invoice), invoice.number))
            continue
        new_rows.append(_invoice_row(invoice))
        by_ettn[invoice.ettn] = key  # a repeat later in the same upload is "zaten kayıtlı"
        by_number[key] = invoice.ettn
        report.imported.append(invoice.number)
    return report, new_rows


def _invoice_row(invoice: InvoiceData) -> dict[str, object]:
    return {
        "ettn": invoice.ettn,
        "number": invoice.number,
        "profile_id": invoice.profile_id,
        "type_code": invoice.invoice_type_code,
        "issue_date": invoice.issue_date,
        "sender_identifier": invoice.sender.identifier,
        "sender_name": fit_name(invoice.sender.name),
        "receiver_identifier": invoice.receiver.identifier,
        "receiver_name": fit_name(invoice.receiver.name),
        "payable_amount": invoice.payable_amount,
        "currency": invoice.currency,
        # GİB delivers to the buyer's mailbox within minutes: the 8-day window counts from the issue date
        # (decision note 0051).
        "delivered_on": invoice.issue_date,
    }


def _chunks(values: list[_T], size: int = _LOOKUP_CHUNK) -> Iterator[list[_T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _stored(invoices: list[InvoiceData]) -> tuple[dict[str, _PartyNumber], dict[_PartyNumber, str]]:
    """Invoices already stored under these ETTNs or numbers: ETTN -> (sender, number) and back.

    One statement reads both keys of an invoice, so an import committed meanwhile is seen by both or by
    neither (two statements under READ COMMITTED could each see a different state).
    """
    by_ettn: dict[str, _PartyNumber] = {}
    by_number: dict[_PartyNumber, str] = {}
    for chunk in _chunks(invoices):
        rows = get_session().execute(
            select(Invoice.ettn, Invoice.sender_identifier, Invoice.number).where(
                or_(
                    Invoice.ettn.in_([invoice.ettn for invoice in chunk]),
                    tuple_(Invoice.sender_identifier, Invoice.number).in_(
                        [(invoice.sender.identifier, invoice.number) for invoice in chunk]
                    ),
                )
            )
        )
        for ettn, sender, number in rows:
            by_ettn[ettn] = (sender, number)
            by_number[(sender, number)] = ettn
    return by_ettn, by_number
