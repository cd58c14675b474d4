"""Many rows into one table in one executemany, with less per-row work than SQLAlchemy's (decision note 0095).

An import inserts three rows a document (the document, its Kullanım movement, its verdict). SQLAlchemy's Core
executemany processes every row's parameters in Python (~13 µs a row, more than SQLite's insert itself). On SQLite
the statement is compiled once per call and the rows go to the driver's ``executemany`` as tuples, each value through
its column type's own bind processor (the enum check and its stored value, UTC timestamps, …) — the values the
driver receives are the ones SQLAlchemy would have sent. PostgreSQL keeps SQLAlchemy's path: its "insertmanyvalues"
already sends the rows in a few multi-row statements. A table whose omitted columns have Python-side defaults
also keeps it (those defaults are SQLAlchemy's to compute).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT every row (all with the same keys) into ``table`` inside the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    if dialect.name != "sqlite" or not compiled.positional or compiled.insert_prefetch \
            or list(compiled.positiontup or ()) != keys:
        session.execute(insert(table), rows)
        return
    getter = itemgetter(*keys)
    converting = [(index, process) for index, key in enumerate(keys)
                  if (process := table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    if len(keys) == 1:
        values: list[tuple] = [(getter(row),) for row in rows]
    else:
        values = [getter(row) for row in rows]
    if converting:
        for number, value in enumerate(values):
            changed = list(value)
            for index, process in converting:
                changed[index] = process(changed[index])
            values[number] = tuple(changed)
    connection.exec_driver_sql(compiled.string, values)
