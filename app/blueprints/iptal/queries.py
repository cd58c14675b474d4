"""The İptal Portalı's lists, each scoped to the logged-in taxpayer and a date range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, load_only

from app.formatting import ISTANBUL, local_today
from app.models import CancellationRequest, CancellationStatus, Invoice, Taxpayer
from app.pagination import Page, paginate

DEFAULT_DAYS = 10
LIST_COLUMNS = (
    CancellationRequest.amount,
    CancellationRequest.status,
    CancellationRequest.requested_at,
    CancellationRequest.decided_at,
)
INVOICE_LIST_COLUMNS = (Invoice.ettn, Invoice.number, Invoice.issue_date, Invoice.sender_identifier, Invoice.receiver_identifier)  # "Listede son 10 güne ait iptal talepleri listelenmiştir."


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


def _in_range(query: Select, period: DateRange) -> Select:
    low, high = period.bounds()
    # Only what the table shows: the signed documents are downloaded one at a time.
    query = query.options(
        load_only(*LIST_COLUMNS),
        joinedload(CancellationRequest.invoice, innerjoin=True).load_only(*INVOICE_LIST_COLUMNS),
    )
    return query.where(CancellationRequest.requested_at >= low, CancellationRequest.requested_at < high).order_by(
        CancellationRequest.requested_at.desc(), CancellationRequest.id.desc()
    )


def requested_by(taxpayer: Taxpayer, period: DateRange, page: int) -> Page[CancellationRequest]:
    """İptal Edilmesini Talep Ettiğiniz Faturalar (every status but withdrawn)."""
    query = select(CancellationRequest).where(
        CancellationRequest.requester_taxpayer_id == taxpayer.id,
        CancellationRequest.status != CancellationStatus.DELETED,
    )
    return paginate(_in_range(query, period), page)


def incoming_for(taxpayer: Taxpayer, period: DateRange, page: int) -> Page[CancellationRequest]:
    """Gelen Fatura İptal Talepleri: pending requests this taxpayer must answer."""
    query = select(CancellationRequest).where(
        CancellationRequest.responder_identifier == taxpayer.identifier,
        CancellationRequest.status == CancellationStatus.PENDING,
    )
    return paginate(_in_range(query, period), page)


def cancelled_by(taxpayer: Taxpayer, period: DateRange, page: int) -> Page[CancellationRequest]:
    """İptal Ettiğiniz Faturalar: requests this taxpayer approved."""
    query = select(CancellationRequest).where(
        CancellationRequest.decided_by_taxpayer_id == taxpayer.id,
        CancellationRequest.status == CancellationStatus.APPROVED,
    )
    return paginate(_in_range(query, period), page)


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
