"""The invoice list: the logged-in taxpayer's outgoing or incoming invoices, filtered and paginated.

Three queries per page whatever its size: the count, the rows, and the open cancellation requests
among the rows (for the Durum column).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Mapping

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from app.db import get_session
from app.formats.ubl import codes
from app.formatting import format_amount, local_today
from app.invoices.report import IMPORT_AUDIT_ACTION, ImportSummary
from app.iptal.rules import window_closes_on
from app.models import (AuditEvent, CancellationRequest, CancellationStatus, Invoice, InvoiceOrigin, RequestKind,
                        Taxpayer)
from app.models.invoice import PORTAL_CANCELLABLE_PROFILES, visible_to_taxpayer
from app.pagination import Page, paginate

SEARCH_MAX_LENGTH = 36  # an ETTN; nothing longer can match
_ETTN_CHARACTERS = frozenset("0123456789abcdef-")


class Direction(enum.Enum):
    GIDEN = "giden"  # the taxpayer is the sender
    GELEN = "gelen"  # the taxpayer is the receiver

    @property
    def label(self) -> str:
        return "Giden Faturalar" if self is Direction.GIDEN else "Gelen Faturalar"

    @property
    def counterparty_label(self) -> str:
        return "Alıcı" if self is Direction.GIDEN else "Gönderen"


@dataclass(frozen=True)
class InvoiceFilter:
    direction: Direction = Direction.GIDEN
    start: date | None = None
    end: date | None = None
    search: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> tuple["InvoiceFilter", str | None]:
        """The filter a query string asks for, and a message when part of it had to be ignored."""
        direction = Direction.GELEN if args.get("yon") == Direction.GELEN.value else Direction.GIDEN
        search = " ".join((args.get("ara") or "").split())[:SEARCH_MAX_LENGTH]
        try:
            start = date.fromisoformat(args["baslangic"]) if args.get("baslangic") else None
            end = date.fromisoformat(args["bitis"]) if args.get("bitis") else None
        except ValueError:
            return cls(direction, None, None, search), "Tarihler GG.AA.YYYY biçiminde olmalıdır; tarih süzgeci uygulanmadı."
        if start and end and start > end:
            return cls(direction, None, None, search), "Başlangıç tarihi bitiş tarihinden sonra olamaz; tarih süzgeci uygulanmadı."
        return cls(direction, start, end, search), None

    def query_args(self, **changes: object) -> dict[str, object]:
        """The query string of this filter (for tabs and page links), with ``changes`` applied."""
        args: dict[str, object] = {"yon": self.direction.value}
        if self.start:
            args["baslangic"] = self.start.isoformat()
        if self.end:
            args["bitis"] = self.end.isoformat()
        if self.search:
            args["ara"] = self.search
        args.update(changes)
        return {name: value for name, value in args.items() if value not in (None, "")}


@dataclass(frozen=True)
class InvoiceRow:
    invoice: Invoice
    direction: Direction
    has_open_request: bool

    @property
    def counterparty_identifier(self) -> str:
        return self.invoice.receiver_identifier if self.direction is Direction.GIDEN else self.invoice.sender_identifier

    @property
    def counterparty_name(self) -> str:
        return self.invoice.receiver_name if self.direction is Direction.GIDEN else self.invoice.sender_name

    @property
    def counterparty_name_from_file(self) -> bool:
        """The counterparty is unknown to the portal: its name is the file's ("dosyadaki unvan")."""
        invoice = self.invoice
        return invoice.receiver_name_from_file if self.direction is Direction.GIDEN else invoice.sender_name_from_file

    @property
    def status(self) -> str:
        if self.invoice.is_cancelled:
            return "İptal Edildi"
        if self.invoice.is_uploader_only:
            return InvoiceOrigin.UPLOADER_ONLY.label
        return "İptal Talebi Var" if self.has_open_request else "—"

    @property
    def can_request_cancellation(self) -> bool:
        """Whether the İptal Portalı would take a request for it today (either party may ask)."""
        invoice = self.invoice
        return (
            invoice.profile_id in PORTAL_CANCELLABLE_PROFILES
            and not invoice.is_uploader_only  # the other party never sees it, so it cannot decide (note 0053)
            and not invoice.is_cancelled
            and not self.has_open_request
            and local_today() <= window_closes_on(invoice)
        )

    def request_form_args(self) -> dict[str, str]:
        """The İptal Portalı request form's fields, filled in for this invoice."""
        role = "SATICI" if self.direction is Direction.GIDEN else "ALICI"
        return {"fatura_no": self.invoice.number, "tutar": format_amount(self.invoice.payable_amount), "islem_sahibi": role}


def _filtered(taxpayer: Taxpayer, invoice_filter: InvoiceFilter) -> Select:
    mine, theirs = (
        (Invoice.sender_identifier, Invoice.receiver_identifier)
        if invoice_filter.direction is Direction.GIDEN
        else (Invoice.receiver_identifier, Invoice.sender_identifier)
    )
    query = select(Invoice).where(mine == taxpayer.identifier, visible_to_taxpayer(taxpayer.id))
    if invoice_filter.start:
        query = query.where(Invoice.issue_date >= invoice_filter.start)
    if invoice_filter.end:
        query = query.where(Invoice.issue_date <= invoice_filter.end)
    if invoice_filter.search:
        query = query.where(_search_condition(invoice_filter.search, theirs))
    return query.order_by(Invoice.issue_date.desc(), Invoice.id.desc())


def _search_condition(term: str, counterparty: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    """What "Ara" looks for. A whole ETTN, Fatura No or VKN/TCKN is an indexed equality; anything else is
    a prefix of a number or an ETTN, read from the taxpayer's own invoices (decision note 0052)."""
    if codes.ETTN.fullmatch(term):
        return Invoice.ettn == term.lower()
    if codes.INVOICE_NUMBER.fullmatch(term.upper()):
        return Invoice.number == term.upper()
    if term.isdigit() and len(term) in (10, 11):
        return counterparty == term
    number_prefix = Invoice.number.startswith(term.upper(), autoescape=True)
    ettn_prefix = Invoice.ettn.startswith(term.lower(), autoescape=True)
    if not _ETTN_CHARACTERS.issuperset(term.lower()):
        return number_prefix
    return ettn_prefix if "-" in term else or_(number_prefix, ettn_prefix)


def _open_request_invoice_ids(invoice_ids: list[int]) -> set[int]:
    if not invoice_ids:
        return set()
    return set(
        get_session().scalars(
            select(CancellationRequest.invoice_id).where(
                CancellationRequest.invoice_id.in_(invoice_ids),
                CancellationRequest.status == CancellationStatus.PENDING,
                CancellationRequest.kind == RequestKind.IPTAL,  # an objection does not stand in a cancellation's way
            )
        )
    )


def invoice_list(taxpayer: Taxpayer, invoice_filter: InvoiceFilter, number: int) -> Page[InvoiceRow]:
    """One page of the taxpayer's invoices in the filter's direction, newest first."""
    page = paginate(_filtered(taxpayer, invoice_filter), number)
    open_ids = _open_request_invoice_ids([invoice.id for invoice in page.items])
    rows = [InvoiceRow(invoice, invoice_filter.direction, invoice.id in open_ids) for invoice in page.items]
    return Page(rows, page.number, page.size, page.total)


def import_summary(taxpayer: Taxpayer, audit_id: int) -> ImportSummary | None:
    """The result of one of this taxpayer's imports, as its audit entry recorded it; None for anyone else's."""
    event = get_session().scalar(
        select(AuditEvent).where(
            AuditEvent.id == audit_id, AuditEvent.taxpayer_id == taxpayer.id, AuditEvent.action == IMPORT_AUDIT_ACTION
        )
    )
    return None if event is None else ImportSummary.from_details(event.details)
