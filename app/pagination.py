"""One page of a list query: two queries (count + rows), whatever the page size.

A window count (``count(*) OVER ()``) would save a round trip but makes the database build every
matching row, joins included, before LIMIT: 17x slower on a year of a busy taxpayer's requests
(bench/bench_iptal_lists.py). The separate count is answered from the list's partial index.
"""

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
    session = get_session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    number = min(max(1, number), max(1, -(-total // size)))
    items = session.scalars(query.limit(size).offset((number - 1) * size)).unique().all()
    return Page(items, number, size, total)
