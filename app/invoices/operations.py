"""Faturalar operations: read an uploaded UBL-TR file and import its invoices.

The import is one transaction: every invoice that passes the rules is added, the audit entry is
written with the counts, and it commits; an invoice already stored is reported, not an error, so
the same upload twice changes nothing the second time. Each invoice's origin is proven first, outside
the transaction (its seller's signature, decision note 0053); party names come from the portal's
taxpayers, and from the file only for a party the portal does not know.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO, Iterator, TypeVar

from sqlalchemy import insert, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from app.cards import trust_anchors
from app.db import get_session
from app.formats.safe_xml import format_size
from app.formats.ubl import InvoiceData, UploadResult, read_invoice_upload
from app.formats.ubl.upload import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FILES, DEFAULT_MAX_TOTAL_BYTES
from app.formatting import local_today
from app.invoices.origin import OriginProof, prove_origin, unsigned_accepted
from app.invoices.report import IMPORT_AUDIT_ACTION, ImportReport, Refusal
from app.invoices.rules import (
    InvoiceRefused,
    check_invoice,
    ettn_taken_message,
    fit_name,
    number_taken_message,
    unsigned_copy_message,
)
from app.models import Invoice, InvoiceOrigin, Taxpayer
from app.unit_of_work import release_reads, unit_of_work

log = logging.getLogger(__name__)

_LOOKUP_CHUNK = 500  # invoices per lookup statement
_PartyNumber = tuple[str, str]  # (sender identifier, invoice number): unique in the invoice table
_T = TypeVar("_T")


@dataclass(frozen=True)
class _Stored:
    """An invoice row already there under a candidate's ETTN or number."""

    id: int
    key: _PartyNumber
    origin: InvoiceOrigin
    uploaded_by: int | None


@dataclass(frozen=True)
class _Candidate:
    """An invoice that passed the rules and proved its origin: what the transaction may store."""

    file_name: str
    invoice: InvoiceData
    proof: OriginProof


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
    """Store the upload's invoices that name ``taxpayer`` as a party and prove their origin; commit only when
    something was worth it."""
    release_reads()  # verifying many signatures takes a while: hold no database snapshot meanwhile
    report, candidates = _checked(taxpayer, upload, filename)
    try:
        return _import_once(taxpayer, report, candidates)
    except IntegrityError:
        # Another upload stored one of these invoices between our lookup and our insert: look again.
        log.info("Fatura yüklemesi eşzamanlı bir yükleme ile çakıştı; yeniden deneniyor.")
        return _import_once(taxpayer, report, candidates)


def _checked(taxpayer: Taxpayer, upload: UploadResult, filename: str) -> tuple[ImportReport, list[_Candidate]]:
    """The rules and the origin proof of every invoice, before any transaction: refusals and candidates."""
    report = ImportReport(filename, refusals=[Refusal(f.filename, f.message) for f in upload.rejected])
    anchors = trust_anchors()
    accept_unsigned = unsigned_accepted()
    candidates: list[_Candidate] = []
    for file in upload.accepted:
        for invoice, document in file.signed_documents():
            try:
                check_invoice(taxpayer.identifier, invoice)
                proof = prove_origin(invoice, document, anchors, accept_unsigned=accept_unsigned)
            except InvoiceRefused as refused:
                report.refusals.append(Refusal(file.filename, refused.message, invoice.number))
                continue
            candidates.append(_Candidate(file.filename, invoice, proof))
    return report, candidates


def _import_once(taxpayer: Taxpayer, report: ImportReport, candidates: list[_Candidate]) -> ImportReport:
    # A write unit from the first lookup: SQLite's write lock is held from there (decision note 0002).
    with unit_of_work() as work:
        report = report.fresh_copy()  # the checks' refusals; a retry after a lost race starts from them again
        new_rows, proven_now = _sorted_upload(taxpayer, report, candidates)
        if new_rows:
            work.session.execute(insert(Invoice), new_rows)  # one executemany, whatever the count
        for invoice_id, values in proven_now:
            work.session.execute(update(Invoice).where(Invoice.id == invoice_id).values(**values))
        if report.stored_anything:
            summary = report.summary()
            event = work.record(IMPORT_AUDIT_ACTION, taxpayer_id=taxpayer.id, object_type="fatura_yukleme",
                                **summary.to_details())
    if report.stored_anything:
        report.audit_id = event.id
        log.info("Fatura yüklemesi: mükellef %s, %s", taxpayer.id, summary.text)
    return report


def _sorted_upload(taxpayer: Taxpayer, report: ImportReport,
                   candidates: list[_Candidate]) -> tuple[list[dict[str, object]], list[tuple[int, dict[str, object]]]]:
    """What the upload does: fills the report (new, already stored, refused); returns the rows to insert and
    the unsigned rows a signed copy now proves (id, new values)."""
    invoices = [candidate.invoice for candidate in candidates]
    by_ettn, by_number = _stored(invoices)
    names = _registry_names(invoices)
    new_rows: list[dict[str, object]] = []
    proven_now: list[tuple[int, dict[str, object]]] = []
    for candidate in candidates:
        invoice, file_name = candidate.invoice, candidate.file_name
        key = (invoice.sender.identifier, invoice.number)
        known = by_ettn.get(invoice.ettn)
        if known is not None:
            if known.key != key:
                report.refusals.append(Refusal(file_name, ettn_taken_message(invoice), invoice.number))
            elif known.origin is not InvoiceOrigin.UPLOADER_ONLY or (
                    candidate.proof.origin is InvoiceOrigin.UPLOADER_ONLY and known.uploaded_by == taxpayer.id):
                report.already_registered.append(invoice.number)
            elif candidate.proof.origin is InvoiceOrigin.UPLOADER_ONLY:
                report.refusals.append(Refusal(file_name, unsigned_copy_message(invoice), invoice.number))
            else:  # the seller's signature now proves an invoice that was only its uploader's
                proven_now.append((known.id, _invoice_values(invoice, candidate.proof, taxpayer, names)))
                by_ettn[invoice.ettn] = _Stored(known.id, key, InvoiceOrigin.SIGNED, taxpayer.id)
                report.imported.append(invoice.number)
            continue
        if key in by_number:
            report.refusals.append(Refusal(file_name, number_taken_message(invoice), invoice.number))
            continue
        new_rows.append(_invoice_values(invoice, candidate.proof, taxpayer, names))
        # a repeat later in the same upload is "zaten kayıtlı"
        by_ettn[invoice.ettn] = _Stored(0, key, candidate.proof.origin, taxpayer.id)
        by_number[key] = invoice.ettn
        report.imported.append(invoice.number)
        if candidate.proof.origin is InvoiceOrigin.UPLOADER_ONLY:
            report.uploader_only.append(invoice.number)
    return new_rows, proven_now


def _invoice_values(invoice: InvoiceData, proof: OriginProof, uploader: Taxpayer,
                    names: dict[str, str]) -> dict[str, object]:
    sender_name = names.get(invoice.sender.identifier)
    receiver_name = names.get(invoice.receiver.identifier)
    return {
        "ettn": invoice.ettn,
        "number": invoice.number,
        "profile_id": invoice.profile_id,
        "type_code": invoice.invoice_type_code,
        "issue_date": invoice.issue_date,
        "sender_identifier": invoice.sender.identifier,
        # The portal's taxpayer registry names a party it knows; the file only names one it does not.
        "sender_name": sender_name or fit_name(invoice.sender.name),
        "sender_name_from_file": sender_name is None,
        "receiver_identifier": invoice.receiver.identifier,
        "receiver_name": receiver_name or fit_name(invoice.receiver.name),
        "receiver_name_from_file": receiver_name is None,
        "payable_amount": invoice.payable_amount,
        "currency": invoice.currency,
        # GİB delivers to the buyer's mailbox within minutes: the 8-day window counts from the issue date
        # (decision note 0051).
        "delivered_on": invoice.issue_date,
        "origin": proof.origin,
        "origin_certificate_serial": proof.certificate_serial,
        "uploaded_by_taxpayer_id": uploader.id,
    }


def _registry_names(invoices: list[InvoiceData]) -> dict[str, str]:
    """The unvan of every party the portal knows, by VKN/TCKN."""
    identifiers = sorted({party.identifier for invoice in invoices for party in (invoice.sender, invoice.receiver)})
    names: dict[str, str] = {}
    for chunk in _chunks(identifiers):
        names.update(get_session().execute(
            select(Taxpayer.identifier, Taxpayer.unvan).where(Taxpayer.identifier.in_(chunk))).all())
    return {identifier: fit_name(name) for identifier, name in names.items()}


def _chunks(values: list[_T], size: int = _LOOKUP_CHUNK) -> Iterator[list[_T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _stored(invoices: list[InvoiceData]) -> tuple[dict[str, _Stored], dict[_PartyNumber, str]]:
    """Invoices already stored under these ETTNs or numbers: ETTN -> the row, and (sender, number) -> ETTN.

    One statement reads both keys of an invoice, so an import committed meanwhile is seen by both or by
    neither (two statements under READ COMMITTED could each see a different state).
    """
    by_ettn: dict[str, _Stored] = {}
    by_number: dict[_PartyNumber, str] = {}
    for chunk in _chunks(invoices):
        rows = get_session().execute(
            select(Invoice.id, Invoice.ettn, Invoice.sender_identifier, Invoice.number, Invoice.origin,
                   Invoice.uploaded_by_taxpayer_id).where(
                or_(
                    Invoice.ettn.in_([invoice.ettn for invoice in chunk]),
                    tuple_(Invoice.sender_identifier, Invoice.number).in_(
                        [(invoice.sender.identifier, invoice.number) for invoice in chunk]
                    ),
                )
            )
        )
        for invoice_id, ettn, sender, number, origin, uploaded_by in rows:
            by_ettn[ettn] = _Stored(invoice_id, (sender, number), origin, uploaded_by)
            by_number[(sender, number)] = ettn
    return by_ettn, by_number
