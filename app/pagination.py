"""One page of a list query: one query (rows + the total as a window count), whatever the page size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

from sqlalchemy import Select, func, select

from app.db import get_session

T = TypeVar("T")
PAGE_SIZE = 25


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


def paginate(query: Select, number: int, size: int = PAGE_SIZE) -> Page:
    """Rows of page ``number`` (1-based) and the total, in one round trip.

    The total comes from ``count(*) OVER ()`` beside each row. Only a page past the end (a stale
    link) costs a second query: the total, to show the last page instead.
    """
    session = get_session()
    number = max(1, number)
    counted = query.add_columns(func.count().over().label("total_rows"))
    rows = session.execute(counted.limit(size).offset((number - 1) * size)).all()
    if rows:
        return Page([row[0] for row in rows], number, size, rows[0][-1])
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if total == 0:
        return Page([], 1, size, 0)
    last = -(-total // size)
    rows = session.execute(counted.limit(size).offset((last - 1) * size)).all()
    return Page([row[0] for row in rows], last, size, total)
