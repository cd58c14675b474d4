"""Reading a journal period for the writers: maddeler in date order, kebir accounts, the DR's movements.

Everything is streamed from the database (``yield_per``): a period of a million lines is never held.
Kebir lines come in one ordered query whose madde numbers are a window function over the period's maddeler,
so the ledger and the yevmiye agree on every ``entryNumberCounter`` without storing them (decision note 0111).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import groupby
from typing import Any

from sqlalchemy import String, func, literal, select
from sqlalchemy.orm import Session

from app.formats.xbrl.defter_raporu import AccountMovement
from app.formats.xbrl.model import EntryLine, JournalEntry, LedgerAccount, LedgerLine
from app.models import JournalEntry as EntryRow
from app.models import JournalLine

BATCH = 5000


def _ordered(session: Session, column: Any) -> Any:
    """Sort text by code point on every database (PostgreSQL's locale collation would differ from Python's)."""
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column


def _none_if_empty(value: str | None) -> str | None:
    return value if value else None


def journal_entries(session: Session, period_id: int, first_counter: int) -> Iterator[JournalEntry]:
    """The period's maddeler in ``(entry_date, id)`` order, numbered from ``first_counter``."""
    query = (
        select(EntryRow.id, EntryRow.entry_number, EntryRow.entry_date, EntryRow.entered_by, EntryRow.comment,
               JournalLine.account_main_id, JournalLine.account_main_description, JournalLine.account_sub_id,
               JournalLine.account_sub_description, JournalLine.amount, JournalLine.side, JournalLine.document_type,
               JournalLine.document_type_description, JournalLine.document_number, JournalLine.document_date,
               JournalLine.payment_method, JournalLine.comment)
        .join(JournalLine, JournalLine.entry_id == EntryRow.id)
        .where(EntryRow.period_id == period_id)
        .order_by(EntryRow.entry_date, EntryRow.id, JournalLine.line_no)
        .execution_options(yield_per=BATCH)
    )
    counter = first_counter
    for _, rows in groupby(session.execute(query), key=lambda row: row[0]):
        lines = []
        head = None
        for row in rows:
            head = row
            lines.append(EntryLine(
                account_main_id=row[5], account_main_description=row[6], account_sub_id=_none_if_empty(row[7]),
                account_sub_description=row[8], amount=Decimal(row[9]), side=row[10], document_type=row[11] or None,
                document_type_description=row[12] or None, document_number=row[13] or None, document_date=row[14],
                payment_method=row[15] or None, comment=row[16] or None,
            ))
        assert head is not None
        yield JournalEntry(counter=counter, date=head[2], entered_by=head[3], comment=head[4], lines=tuple(lines),
                           entry_number=head[1])
        counter += 1


def _account_sums(session: Session, period_id: int) -> list[tuple[str, str | None, str, str | None, Decimal, Decimal,
                                                                  int]]:
    sub = func.coalesce(JournalLine.account_sub_id, literal("", String))
    debit = func.sum(func.coalesce(JournalLine.amount, 0)).filter(JournalLine.side == "D")
    credit = func.sum(func.coalesce(JournalLine.amount, 0)).filter(JournalLine.side == "C")
    rows = session.execute(
        select(JournalLine.account_main_id, sub, func.max(JournalLine.account_main_description),
               func.max(JournalLine.account_sub_description), debit, credit, func.count())
        .where(JournalLine.period_id == period_id)
        .group_by(JournalLine.account_main_id, sub)
    ).all()
    result = [(r[0], r[1] or None, r[2], r[3], Decimal(r[4] or 0), Decimal(r[5] or 0), int(r[6])) for r in rows]
    return sorted(result, key=lambda r: (r[0], r[1] or ""))


def ledger_accounts(session: Session, period_id: int, first_counter: int) -> Iterator[LedgerAccount]:
    """One LedgerAccount per (main, sub) account, sorted by code; its lines stream from one ordered query."""
    ranked = (
        select(EntryRow.id, EntryRow.entry_number, EntryRow.entry_date,
               func.row_number().over(order_by=(EntryRow.entry_date, EntryRow.id)).label("rank"))
        .where(EntryRow.period_id == period_id)
        .subquery()
    )
    sub = func.coalesce(JournalLine.account_sub_id, literal("", String))
    query = (
        select(JournalLine.account_main_id, sub, ranked.c.rank, ranked.c.entry_number, ranked.c.entry_date,
               JournalLine.amount, JournalLine.side, JournalLine.comment)
        .join(ranked, ranked.c.id == JournalLine.entry_id)
        .where(JournalLine.period_id == period_id)
        .order_by(_ordered(session, JournalLine.account_main_id), _ordered(session, sub), ranked.c.rank,
                  JournalLine.line_no)
        .execution_options(yield_per=BATCH)
    )
    sums = _account_sums(session, period_id)
    rows = iter(session.execute(query))
    pending: list[Any] = []

    def lines_of(key: tuple[str, str]) -> Iterator[LedgerLine]:
        while True:
            row = pending.pop() if pending else next(rows, None)
            if row is None:
                return
            if (row[0], row[1]) != key:
                pending.append(row)
                return
            yield LedgerLine(entry_counter=first_counter + row[2] - 1, entry_number=row[3], date=row[4],
                             amount=Decimal(row[5]), side=row[6], comment=row[7] or None)

    for main_id, sub_id, main_description, sub_description, debit, credit, count in sums:
        yield LedgerAccount(main_id=main_id, main_description=main_description, debit_sum=debit, credit_sum=credit,
                            lines=lines_of((main_id, sub_id or "")), sub_id=sub_id, sub_description=sub_description,
                            line_count=count)


def movements(session: Session, period_id: int) -> list[AccountMovement]:
    """Every main account that moved in the period, with its debit/credit line counts and totals (the DR)."""
    rows = session.execute(
        select(JournalLine.account_main_id, func.max(JournalLine.account_main_description),
               func.count().filter(JournalLine.side == "D"), func.sum(JournalLine.amount).filter(JournalLine.side == "D"),
               func.count().filter(JournalLine.side == "C"), func.sum(JournalLine.amount).filter(JournalLine.side == "C"))
        .where(JournalLine.period_id == period_id)
        .group_by(JournalLine.account_main_id)
    ).all()
    return sorted((AccountMovement(r[0], r[1], int(r[2] or 0), Decimal(r[3] or 0), int(r[4] or 0), Decimal(r[5] or 0))
                   for r in rows), key=lambda m: m.main_id)


def movements_json(items: list[AccountMovement]) -> list[dict[str, Any]]:
    return [{"main_id": m.main_id, "description": m.description, "debit_count": m.debit_count,
             "debit_total": f"{m.debit_total:.2f}", "credit_count": m.credit_count,
             "credit_total": f"{m.credit_total:.2f}"} for m in items]


def movements_from_json(items: list[dict[str, Any]]) -> list[AccountMovement]:
    return [AccountMovement(i["main_id"], i["description"], int(i["debit_count"]), Decimal(i["debit_total"]),
                            int(i["credit_count"]), Decimal(i["credit_total"])) for i in items]


def period_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)
