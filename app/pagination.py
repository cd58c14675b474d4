"""One page of a list query in one round trip: the rows and, beside them, the total.

Not a window count (``count(*) OVER ()``): that makes the database build every matching row,
joins included, before LIMIT — 17x slower on a year of a busy taxpayer's requests
(bench/bench_iptal_lists.py). A scalar subquery is counted once, from the list's partial index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from sqlalchemy import Row, Select, func, select

from app.db import get_session

T = TypeVar("T")
PAGE_SIZE = 25
MAX_PAGE = 1_000_000  # a larger ?sayfa= shows the last page like any page past the end, without overflowing OFFSET


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _first_column(row: Row[Any]) -> Any:
    return row[0]


def paginate(
    query: Select,
    number: int,
    size: int = PAGE_SIZE,
    convert: Callable[[Row[Any]], T] = _first_column,
    count_of: Select | None = None,
) -> Page[T]:
    """Rows of page ``number`` (1-based) and the total, in one round trip.

    The total is an uncorrelated scalar subquery beside the rows: the database counts once (from
    the list's index) and returns the number with every row. Only a page past the end (a stale
    link) costs a second query, to show the last page instead. ``convert`` turns a result row
    (without the total) into an item; by default the row's first column, e.g. the ORM entity.
    ``count_of`` is a cheaper query with the same rows (no joins that only add columns), if any.
    """
    session = get_session()
    counted_rows = (query if count_of is None else count_of).order_by(None).subquery()
    counting = select(func.count()).select_from(counted_rows).scalar_subquery()
    counted = query.add_columns(counting.label("total_rows"))
    number = min(max(1, number), MAX_PAGE)
    rows = session.execute(counted.limit(size).offset((number - 1) * size)).all()
    if rows:
        return Page([convert(row) for row in rows], number, size, rows[0][-1])
    total = session.scalar(select(counting)) or 0
    if total == 0:
        return Page([], 1, size, 0)
    last = -(-total // size)
    rows = session.execute(counted.limit(size).offset((last - 1) * size)).all()
    return Page([convert(row) for row in rows], last, size, total)


def page_of_list(items: Sequence[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """One page of a list already in memory (a summary that must see every row to total and sort them); a page
    past the end shows the last one, as ``paginate`` does."""
    total = len(items)
    last = max(1, -(-total // size))
    number = min(max(1, number), last)
    return Page(items[(number - 1) * size:number * size], number, size, total)
