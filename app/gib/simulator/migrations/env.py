"""Alembic environment of the GİB simulator: its own metadata and its own version table."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from app.gib.simulator import models  # noqa: F401  (registers the tables on the metadata)
from app.gib.simulator.db import VERSION_TABLE, SimulatorBase, make_engine

target_metadata = SimulatorBase.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or os.environ["GIB_SIM_DATABASE_URL"]
    engine = make_engine(url)
    with engine.connect() as new_connection:
        _run(new_connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("GİB simülatörünün göçleri yalnızca bir veritabanına bağlanarak uygulanır.")
run_migrations_online()
