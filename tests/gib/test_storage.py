"""The simulator's own schema: migrations match the models, go down and up, and work on PostgreSQL too."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.gib.simulator.db import VERSION_TABLE, SimulatorBase, make_engine
from app.gib.simulator.migrate import alembic_config, upgrade_to_head
from app.signing.demo_pki import DemoPKI
from tests import databases
from tests.fixtures.gib import gib_seal_settings, new_key, sign_as
from tests.gib.documents import ANADOLU_VKN, GB, PK, application, berat, label_request


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'gib.sqlite3'}")
    upgrade_to_head(engine)

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        differences = compare_metadata(context, SimulatorBase.metadata)
    engine.dispose()

    assert differences == []


def test_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'gib.sqlite3'}")
    upgrade_to_head(engine)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert inspect(engine).get_table_names() == [VERSION_TABLE]

    upgrade_to_head(engine)
    assert "gibsim_aliases" in inspect(engine).get_table_names()
    engine.dispose()


@pytest.fixture
def postgres_url() -> str:
    databases.skip_or_fail_without_postgres()
    url = databases.create_postgres_database()
    yield url
    databases.drop_postgres_database(url)


def test_simulator_works_on_postgresql(gib_simulator_factory, demo_pki: DemoPKI, postgres_url: str) -> None:
    client = gib_simulator_factory(
        postgres_url, trust_anchors=demo_pki.trust_anchors(), seal=gib_seal_settings(demo_pki)
    ).client
    client.submit_efatura_application(sign_as(demo_pki, "anadolu", application()), idempotency_key=new_key())
    opening = sign_as(demo_pki, "anadolu", label_request(GB, PK))

    opened = client.open_labels(opening, idempotency_key="pg-1")
    assert client.open_labels(opening, idempotency_key="pg-1") == opened
    client.close_labels(sign_as(demo_pki, "anadolu", label_request(PK, action="close")), idempotency_key=new_key())
    assert client.open_labels(sign_as(demo_pki, "anadolu", label_request(PK)), idempotency_key=new_key()).is_active
    client.submit_berat(sign_as(demo_pki, "anadolu", berat(ANADOLU_VKN, "2024-01")), idempotency_key=new_key())

    user = client.registered_user(ANADOLU_VKN)
    assert user is not None and len(user.aliases) == 3 and len(user.active_aliases()) == 2
    assert client.period_berats(ANADOLU_VKN, "2024-01").yevmiye_sent
    assert b"<Identifier>4821307561</Identifier>" in client.user_list("PK").xml()
