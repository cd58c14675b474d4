"""Job fixtures: in-process job kinds for immediate-mode tests, and portals for real worker processes
(``python -m app.jobs.worker``) on a real migrated database with a SQLite or Redis queue."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from flask import Flask

from app.identifiers import make_vkn
from app.jobs import JobKind
from app.migrate import upgrade
from app.models import Taxpayer
from tests import databases
from tests.jobs.workers import Portal


@pytest.fixture
def register_kind(app: Flask) -> Callable[..., JobKind]:
    """Add a job kind to the test app's engine (immediate mode: it runs inside the caller)."""

    def register(name: str, handler: Callable[..., Any], **options: Any) -> JobKind:
        kind = JobKind(name, handler, **options)
        app.extensions["ebelge.jobs"].kinds[name] = kind
        return kind

    return register


WORKER_BACKENDS = [
    pytest.param(("sqlite", "sqlite"), id="sqlite-db+sqlite-queue"),
    pytest.param(("postgresql", "redis"), id="postgresql-db+redis-queue"),
]


@pytest.fixture(params=WORKER_BACKENDS)
def portal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Portal]]:
    """A factory of a portal on a fresh migrated database and a queue of its own, for real workers."""
    from tests.conftest import make_test_app

    database, queue_backend = request.param
    if queue_backend == "redis":
        databases.skip_or_fail_without_redis()
    if database == "postgresql":
        databases.skip_or_fail_without_postgres()
        url = databases.create_postgres_database()
    else:
        url = databases.sqlite_url(tmp_path)
    upgrade(url)
    made: list[Portal] = []

    def make(**settings: Any) -> Portal:
        queue = f"ebelge-test-{uuid.uuid4().hex[:10]}"
        values: dict[str, Any] = {
            "JOBS_URL": databases.REDIS_URL if queue_backend == "redis" else "",
            "JOBS_QUEUE": queue,
            "JOBS_HEARTBEAT_SECONDS": 1,
            "JOBS_STALE_SECONDS": 30,
            "JOBS_RETRY_DELAY_SECONDS": 1,
            **settings,
        }
        instance = tmp_path / "instance"
        app = make_test_app(url, instance, **values)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        env.update({"PORTAL_MODE": "test", "PORTAL_DATABASE_URL": url, "PORTAL_INSTANCE_PATH": str(instance),
                    "PORTAL_GIB_URL": str(app.config["GIB_URL"]), "PYTHONUNBUFFERED": "1"})
        env.update({f"PORTAL_{name}": str(value) for name, value in values.items()})
        made.append(Portal(app, env, queue, tmp_path))
        return made[-1]

    yield make
    for running in made:
        for worker in running.workers:
            worker.stop()
        huey = running.app.extensions["ebelge.jobs"].huey
        if queue_backend == "redis":
            huey.storage.flush_all()
            huey.storage.conn.connection_pool.disconnect()
        else:
            huey.storage.close()
        running.app.extensions["ebelge.db"].engine.dispose()
    if database == "postgresql":
        databases.drop_postgres_database(url)


@pytest.fixture
def jobs_app_with(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """A test app with other job settings, rolled back after the test like the ``app`` fixture."""
    from sqlalchemy.orm import sessionmaker

    from tests.conftest import make_test_app

    opened: list[tuple[Flask, Any, Any]] = []

    def make(**settings: Any) -> Flask:
        app = make_test_app(database_url, tmp_path / f"instance-{len(opened)}", **settings)
        db = app.extensions["ebelge.db"]
        connection = db.engine.connect()
        outer = connection.begin()
        db.sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        opened.append((app, connection, outer))
        return app

    yield make
    for app, connection, outer in opened:
        outer.rollback()
        connection.close()
        app.extensions["ebelge.db"].engine.dispose()


@pytest.fixture
def taxpayer_factory_for() -> Callable[[Flask], Taxpayer]:
    def make(app: Flask) -> Taxpayer:
        with app.extensions["ebelge.db"].sessions() as session:
            taxpayer = Taxpayer(identifier=make_vkn(str(uuid.uuid4().int % 900_000_000 + 100_000_000)), unvan="KUYRUK A.Ş.")
            session.add(taxpayer)
            session.commit()
            session.expunge(taxpayer)
            return taxpayer

    return make
