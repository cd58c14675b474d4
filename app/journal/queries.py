"""What the journal screen and the API read: a taxpayer's periods, a page of entries with their lines, totals,
the batches (who sent what when). Everything is read through the taxpayer: another taxpayer's rows are not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from sqlalchemy import Select, and_, exists, func, or_, select

from app.db import get_session
from app.journal.periods import find_period
from app.journal.rules import PeriodBounds
from app.models import ApiKey, JournalBatch, JournalEntry, JournalLine, JournalPeriod
from app.pagination import Page, paginate

ENTRY_PAGE_SIZE = 20
SEARCH_MAX = 50


@dataclass(frozen=True)
class EntryView:
    entry: JournalEntry
    lines: Sequence[JournalLine]

    @property
    def debit(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.side == "D"), Decimal(0))

    @property
    def credit(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.side == "C"), Decimal(0))


@dataclass(frozen=True)
class Totals:
    debit: Decimal
    credit: Decimal


def periods_of(taxpayer_id: int) -> list[JournalPeriod]:
    """The company ledger's periods, newest first (intake takes no branch ledgers yet: note 0100)."""
    return list(get_session().scalars(select(JournalPeriod).where(JournalPeriod.taxpayer_id == taxpayer_id,
                                                                  JournalPeriod.branch_code == "")
                                      .order_by(JournalPeriod.year.desc(), JournalPeriod.month.desc())))


def period_of(taxpayer_id: int, bounds: PeriodBounds) -> JournalPeriod | None:
    return find_period(taxpayer_id, bounds)


def period_by_id(taxpayer_id: int, period_id: int) -> JournalPeriod | None:
    """The taxpayer's period (the company's ledger); another taxpayer's is not found."""
    return get_session().scalars(select(JournalPeriod).where(
        JournalPeriod.id == period_id, JournalPeriod.taxpayer_id == taxpayer_id, JournalPeriod.branch_code == "")
        .execution_options(populate_existing=True)).one_or_none()


def _search(query: Select, text: str) -> Select:
    """Entry number (exact or beginning), an account code (main or sub, beginning), a document number (exact)."""
    text = " ".join(text.split())[:SEARCH_MAX]
    if not text:
        return query
    line_matches = exists().where(
        JournalLine.entry_id == JournalEntry.id,
        or_(JournalLine.account_main_id == text[:4], JournalLine.account_sub_id.startswith(text, autoescape=True),
            JournalLine.document_number == text),
    )
    return query.where(or_(JournalEntry.entry_number == text,
                           JournalEntry.entry_number.startswith(text, autoescape=True), line_matches))


def entries_page(period: JournalPeriod, number: int, search: str = "", size: int = ENTRY_PAGE_SIZE) -> Page[EntryView]:
    """A page of the period's entries in date order, each with its lines (two queries whatever the page size)."""
    query = _search(select(JournalEntry).where(JournalEntry.period_id == period.id), search)
    page = paginate(query.order_by(JournalEntry.entry_date, JournalEntry.id), number, size)
    lines = lines_of([entry.id for entry in page.items])
    views = [EntryView(entry, lines.get(entry.id, [])) for entry in page.items]
    return Page(views, page.number, page.size, page.total)


def lines_of(entry_ids: list[int]) -> dict[int, list[JournalLine]]:
    if not entry_ids:
        return {}
    found: dict[int, list[JournalLine]] = {}
    for line in get_session().scalars(select(JournalLine).where(JournalLine.entry_id.in_(entry_ids))
                                      .order_by(JournalLine.entry_id, JournalLine.line_no)):
        found.setdefault(line.entry_id, []).append(line)
    return found


def entry_of(period: JournalPeriod, entry_id: int) -> EntryView | None:
    entry = get_session().scalars(select(JournalEntry).where(JournalEntry.id == entry_id,
                                                             JournalEntry.period_id == period.id)).one_or_none()
    if entry is None:
        return None
    return EntryView(entry, lines_of([entry.id]).get(entry.id, []))


def totals_of(period: JournalPeriod) -> Totals:
    rows = dict(get_session().execute(
        select(JournalLine.side, func.coalesce(func.sum(JournalLine.amount), 0))
        .where(JournalLine.period_id == period.id).group_by(JournalLine.side)).all())
    cent = Decimal("0.01")
    return Totals(Decimal(rows.get("D", 0)).quantize(cent), Decimal(rows.get("C", 0)).quantize(cent))


@dataclass(frozen=True)
class BatchView:
    batch: JournalBatch
    key_name: str | None


def batches_of(period: JournalPeriod, limit: int = 50) -> list[BatchView]:
    rows = get_session().execute(
        select(JournalBatch, ApiKey.name).outerjoin(ApiKey, and_(ApiKey.id == JournalBatch.api_key_id))
        .where(JournalBatch.period_id == period.id)
        .order_by(JournalBatch.received_at.desc(), JournalBatch.id.desc()).limit(limit)).all()
    return [BatchView(batch, name) for batch, name in rows]


def date_span(period: JournalPeriod) -> tuple[date | None, date | None]:
    first, last = get_session().execute(select(func.min(JournalEntry.entry_date), func.max(JournalEntry.entry_date))
                                        .where(JournalEntry.period_id == period.id)).one()
    return first, last
