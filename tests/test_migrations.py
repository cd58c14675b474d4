"""The real migrations run both ways on both databases and agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.db import Base, make_engine
from app.migrate import downgrade, upgrade


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_database_url):
    upgrade(empty_database_url)
    assert {"taxpayer", "audit_event"} <= table_names(empty_database_url)
    downgrade(empty_database_url, "base")
    assert table_names(empty_database_url) == set()
    upgrade(empty_database_url)
    assert set(Base.metadata.tables) <= table_names(empty_database_url)


def test_models_and_migrations_agree(empty_database_url):
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == [], f"models differ from migrations; run alembic revision --autogenerate: {differences}"
