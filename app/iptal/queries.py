"""The İptal Portalı's lists, each scoped to the logged-in taxpayer and a date range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Row, select

from app.formatting import ISTANBUL, local_today
from app.iptal.rules import label_of, objection_overdue, status_label
from app.models import CancellationRequest, CancellationStatus, Invoice, ObjectionMethod, RequestKind, Taxpayer
from app.pagination import Page, paginate

DEFAULT_DAYS = 10  # "Listede son 10 güne ait iptal talepleri listelenmiştir."


@dataclass(frozen=True)
class InvoiceCells:
    ettn: str
    number: str
    issue_date: date
    sender_identifier: str
    receiver_identifier: str


@dataclass(frozen=True)
class RequestRow:
    """One row of a list table: plain values, no ORM object (lists are read often and only shown)."""

    id: int
    amount: Decimal
    status: CancellationStatus
    requested_at: datetime
    decided_at: datetime | None
    kind: RequestKind
    objection_method: ObjectionMethod | None
    objection_document_number: str | None
    objection_document_date: date | None
    invoice: InvoiceCells

    @property
    def overdue(self) -> bool:
        return objection_overdue(self.kind, self.status, self.invoice)

    @property
    def status_label(self) -> str:
        return status_label(self.kind, self.status, self.invoice)


LIST_COLUMNS = (
    CancellationRequest.id,
    CancellationRequest.amount,
    CancellationRequest.status,
    CancellationRequest.requested_at,
    CancellationRequest.decided_at,
    CancellationRequest.kind,
    CancellationRequest.objection_method,
    CancellationRequest.objection_document_number,
    CancellationRequest.objection_document_date,
    Invoice.ettn,
    Invoice.number,
    Invoice.issue_date,
    Invoice.sender_identifier,
    Invoice.receiver_identifier,
)


def _request_row(row: Row) -> RequestRow:
    return RequestRow(*row[:9], InvoiceCells(*row[9:14]))


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    @classmethod
    def default(cls) -> "DateRange":
        today = local_today()
        return cls(today - timedelta(days=DEFAULT_DAYS), today)

    def bounds(self) -> tuple[datetime, datetime]:
        """UTC instants of the Istanbul days [start, end]."""
        return (
            datetime.combine(self.start, time.min, ISTANBUL),
            datetime.combine(self.end + timedelta(days=1), time.min, ISTANBUL),
        )


def _list_page(condition: ColumnElement[bool], period: DateRange, page: int, kind: RequestKind) -> Page[RequestRow]:
    """A page of one list: only the columns its table shows, newest first."""
    low, high = period.bounds()
    in_list = (condition, CancellationRequest.kind == kind, CancellationRequest.requested_at >= low,
               CancellationRequest.requested_at < high)
    query = (
        select(*LIST_COLUMNS)
        .join(Invoice, Invoice.id == CancellationRequest.invoice_id)
        .where(*in_list)
        .order_by(CancellationRequest.requested_at.desc(), CancellationRequest.id.desc())
    )
    # Counted from the list's partial index alone: the invoice join adds columns, not rows.
    return paginate(query, page, convert=_request_row, count_of=select(CancellationRequest.id).where(*in_list))


def requested_by(taxpayer: Taxpayer, period: DateRange, page: int,
                 kind: RequestKind = RequestKind.IPTAL) -> Page[RequestRow]:
    """İptal Edilmesini Talep Ettiğiniz Faturalar / İtiraz Ettiğiniz Faturalar (every status but withdrawn)."""
    return _list_page(
        (CancellationRequest.requester_taxpayer_id == taxpayer.id)
        & (CancellationRequest.status != CancellationStatus.DELETED),
        period,
        page,
        kind,
    )


def incoming_for(taxpayer: Taxpayer, period: DateRange, page: int,
                 kind: RequestKind = RequestKind.IPTAL) -> Page[RequestRow]:
    """Gelen Fatura İptal / İtiraz Talepleri: pending requests this taxpayer must answer."""
    return _list_page(
        (CancellationRequest.responder_identifier == taxpayer.identifier)
        & (CancellationRequest.status == CancellationStatus.PENDING),
        period,
        page,
        kind,
    )


def cancelled_by(taxpayer: Taxpayer, period: DateRange, page: int,
                 kind: RequestKind = RequestKind.IPTAL) -> Page[RequestRow]:
    """İptal Ettiğiniz Faturalar / İtirazını Kabul Ettiğiniz Faturalar: requests this taxpayer approved."""
    return _list_page(
        (CancellationRequest.decided_by_taxpayer_id == taxpayer.id)
        & (CancellationRequest.status == CancellationStatus.APPROVED),
        period,
        page,
        kind,
    )


def rejected_by(taxpayer: Taxpayer, period: DateRange, page: int,
                kind: RequestKind = RequestKind.IPTAL) -> Page[RequestRow]:
    """Reddettiğiniz Talepler: requests this taxpayer rejected (kept in its lists, as the approved ones are)."""
    return _list_page(
        (CancellationRequest.decided_by_taxpayer_id == taxpayer.id)
        & (CancellationRequest.status == CancellationStatus.REJECTED),
        period,
        page,
        kind,
    )


def requests_to_answer(taxpayer: Taxpayer, request_ids: list[int],
                       kind: RequestKind = RequestKind.IPTAL) -> tuple[list[CancellationRequest], list[str]]:
    """The chosen requests addressed to this taxpayer that still await its answer, and why each other one of
    them does not (answered already, in another tab or by a colleague): for the confirmation screen."""
    from app.db import get_session

    requests = get_session().scalars(
        select(CancellationRequest)
        .where(CancellationRequest.id.in_(request_ids), CancellationRequest.responder_identifier == taxpayer.identifier,
               CancellationRequest.kind == kind)
        .order_by(CancellationRequest.id)
    ).unique()
    pending, answered = [], []
    for request in requests:
        if request.status is CancellationStatus.PENDING:
            pending.append(request)
        else:
            answered.append(f"{request.invoice.number} numaralı faturanın {request.kind.value} talebi zaten "
                            f"'{label_of(request)}' durumunda; bu talep için yeniden onay ya da ret verilemez.")
    return pending, answered


def visible_request(taxpayer: Taxpayer, request_id: int) -> CancellationRequest | None:
    """A request either party may see (download its signed documents); None for anyone else."""
    from app.db import get_session

    return get_session().scalar(
        select(CancellationRequest).where(
            CancellationRequest.id == request_id,
            (CancellationRequest.requester_taxpayer_id == taxpayer.id)
            | (CancellationRequest.responder_identifier == taxpayer.identifier),
        )
    )


def invoice_of(taxpayer: Taxpayer, invoice_id: int) -> Invoice | None:
    """One invoice of which the taxpayer is a party; None for anyone else's."""
    from app.db import get_session

    invoice = get_session().get(Invoice, invoice_id)
    return invoice if invoice is not None and invoice.visible_to(taxpayer.id, taxpayer.identifier) else None


def own_pending(taxpayer: Taxpayer, request_ids: list[int], kind: RequestKind) -> list[CancellationRequest]:
    """The chosen requests this taxpayer made that are still pending: what "Seçilen Talepleri Sil" asks about."""
    from app.db import get_session

    chosen = get_session().scalars(
        select(CancellationRequest).where(
            CancellationRequest.id.in_(request_ids), CancellationRequest.requester_taxpayer_id == taxpayer.id,
            CancellationRequest.kind == kind, CancellationRequest.status == CancellationStatus.PENDING,
        ).order_by(CancellationRequest.id)
    ).unique()
    return [request for request in chosen if not objection_overdue(request.kind, request.status, request.invoice)]
