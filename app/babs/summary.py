"""The monthly sanal Ba/Bs of one taxpayer: per counterparty, the invoices that count and their total.

A line is reported when its total reaches the threshold (Ba/Bs forms: 5.000 TL, setting BABS_THRESHOLD_TL),
as the forms count it. Amounts are the invoices' payable amounts in TL (the portal keeps no VAT-exclusive
total; decision note 0122); an invoice in another currency is listed but left out of the totals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import ColumnElement, or_, select

from app.babs.outcome import Outcome, outcome_of
from app.db import get_session
from app.formatting import format_month, local_today
from app.models import (
    CancellationRequest,
    CancellationStatus,
    Invoice,
    InvoiceOrigin,
    PartyRole,
    RequestKind,
    Taxpayer,
)


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> "Month | None":
        """'2026-11' (the month input's value) or None for anything else."""
        try:
            year, month = (int(part) for part in (text or "").split("-"))
        except ValueError:
            return None
        return cls(year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None

    @classmethod
    def previous(cls, today: date) -> "Month":
        last = today.replace(day=1) - timedelta(days=1)
        return cls(last.year, last.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        return (self.first_day + timedelta(days=32)).replace(day=1)

    @property
    def value(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return format_month(self.year, self.month)


@dataclass(frozen=True)
class InvoiceLine:
    invoice: "InvoiceFacts"
    outcome: Outcome
    counts: bool  # on this taxpayer's form (Ba when buying, Bs when selling)

    @property
    def in_try(self) -> bool:
        return self.invoice.currency in ("TRY", "TL")


@dataclass(eq=False)
class CounterpartyLine:
    identifier: str
    name: str
    invoices: list[InvoiceLine] = field(default_factory=list)

    # Read once the line is complete (after monthly_summary built it), so computed once.
    @cached_property
    def counted(self) -> list[InvoiceLine]:
        return [line for line in self.invoices if line.counts and line.in_try]

    @property
    def count(self) -> int:
        return len(self.counted)

    @cached_property
    def total(self) -> Decimal:
        return sum((line.invoice.payable_amount for line in self.counted), Decimal("0.00"))


@dataclass(frozen=True)
class Form:
    """One form (Ba or Bs) of the month: the reported lines and those under the threshold."""

    name: str
    reported: list[CounterpartyLine]
    below: list[CounterpartyLine]


@dataclass(frozen=True)
class MonthlySummary:
    month: Month
    threshold: Decimal
    ba: Form
    bs: Form

    def groups(self) -> dict[str, tuple[Form, str, list[CounterpartyLine]]]:
        """The page's four tables by their address name: (form, heading, lines)."""
        return {f"{form.name.lower()}-{key}": (form, heading, lines)
                for form in (self.ba, self.bs)
                for key, heading, lines in (("bildirilecek", "Bildirilecek satırlar", form.reported),
                                            ("altinda", "Sınırın altında kalanlar", form.below))}


def threshold() -> Decimal:
    return Decimal(str(current_app.config["BABS_THRESHOLD_TL"]))


@dataclass(frozen=True)
class InvoiceFacts:
    """The columns of an invoice the forms need (no ORM object: a month of a busy taxpayer is thousands)."""

    id: int
    number: str
    issue_date: date
    sender_identifier: str
    sender_name: str
    receiver_identifier: str
    receiver_name: str
    payable_amount: Decimal
    currency: str
    cancelled_at: datetime | None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


@dataclass(frozen=True)
class RequestFacts:
    """What an outcome depends on; never the signed documents (kilobytes each)."""

    invoice_id: int
    kind: RequestKind
    status: CancellationStatus
    requester_role: PartyRole


def _month_of(taxpayer: Taxpayer, month: Month) -> tuple[ColumnElement[bool], ...]:
    # Unsigned uploads exist for their uploader only: GİB's system, and so the sanal forms, never saw them.
    return (or_(Invoice.sender_identifier == taxpayer.identifier, Invoice.receiver_identifier == taxpayer.identifier),
            Invoice.issue_date >= month.first_day, Invoice.issue_date < month.next_first_day,
            Invoice.origin != InvoiceOrigin.UPLOADER_ONLY)


def _invoices_of(taxpayer: Taxpayer, month: Month) -> list[InvoiceFacts]:
    columns = (Invoice.id, Invoice.number, Invoice.issue_date, Invoice.sender_identifier, Invoice.sender_name,
               Invoice.receiver_identifier, Invoice.receiver_name, Invoice.payable_amount, Invoice.currency,
               Invoice.cancelled_at)
    rows = get_session().execute(select(*columns).where(*_month_of(taxpayer, month))
                                 .order_by(Invoice.issue_date, Invoice.number))
    return [InvoiceFacts(*row) for row in rows]


_REQUEST_COLUMNS = (CancellationRequest.invoice_id, CancellationRequest.kind, CancellationRequest.status,
                    CancellationRequest.requester_role)


def _requests_of(taxpayer: Taxpayer, month: Month) -> dict[int, list[RequestFacts]]:
    """The requests on the month's invoices, in one query (by the invoice index)."""
    found: dict[int, list[RequestFacts]] = defaultdict(list)
    invoices = select(Invoice.id).where(*_month_of(taxpayer, month))
    for row in get_session().execute(select(*_REQUEST_COLUMNS).where(CancellationRequest.invoice_id.in_(invoices))):
        found[row[0]].append(RequestFacts(*row))
    return found


def _form(name: str, lines: dict[str, CounterpartyLine], limit: Decimal) -> Form:
    ordered = sorted(lines.values(), key=lambda line: (-line.total, line.identifier))
    return Form(name, [line for line in ordered if line.total >= limit],
                [line for line in ordered if line.total < limit])


def monthly_summary(taxpayer: Taxpayer, month: Month, today: date | None = None) -> MonthlySummary:
    today = today or local_today()
    invoices = _invoices_of(taxpayer, month)
    requests = _requests_of(taxpayer, month)
    buying: dict[str, CounterpartyLine] = {}
    selling: dict[str, CounterpartyLine] = {}
    for invoice in invoices:
        outcome = outcome_of(invoice, requests.get(invoice.id, []), today)
        if invoice.receiver_identifier == taxpayer.identifier:
            line = buying.setdefault(invoice.sender_identifier,
                                     CounterpartyLine(invoice.sender_identifier, invoice.sender_name))
            line.invoices.append(InvoiceLine(invoice, outcome, outcome.on_ba))
        if invoice.sender_identifier == taxpayer.identifier:
            line = selling.setdefault(invoice.receiver_identifier,
                                      CounterpartyLine(invoice.receiver_identifier, invoice.receiver_name))
            line.invoices.append(InvoiceLine(invoice, outcome, outcome.on_bs))
    limit = threshold()
    return MonthlySummary(month, limit, _form("Ba", buying, limit), _form("Bs", selling, limit))
