"""Shared fixtures: the app on SQLite and PostgreSQL, per-test rollback, clients, a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.db import Database
from app.migrate import upgrade
from app.models import Person, Taxpayer
from app.signing.demo_pki import DemoPKI
from tests import databases

pytest_plugins = ["tests.fixtures.browser", "tests.fixtures.pkcs11", "tests.fixtures.gib", "tests.fixtures.portal"]

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head by the real migrations, one per backend for the session."""
    if request.param == "sqlite":
        url = databases.sqlite_url(tmp_path_factory.mktemp("db"))
        upgrade(url)
        yield url
        return
    databases.skip_or_fail_without_postgres()
    url = databases.create_postgres_database()
    try:
        upgrade(url)
        yield url
    finally:
        databases.drop_postgres_database(url)


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each backend, for tests that run the migrations themselves."""
    if request.param == "sqlite":
        yield databases.sqlite_url(tmp_path)
        return
    databases.skip_or_fail_without_postgres()
    url = databases.create_postgres_database()
    yield url
    databases.drop_postgres_database(url)


def make_test_app(database_url: str, instance_path: Path, pki: DemoPKI | None = None, **overrides: object) -> Flask:
    # View tests post forms without tokens; test_csrf.py and the browser tests turn CSRF back on.
    settings: dict[str, object] = {
        "MODE": "test",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_path),
        "WTF_CSRF_ENABLED": False,
        # Never the demo's simulator on :8089: tests that talk to GİB start their own and say so.
        "GIB_URL": "http://127.0.0.1:9",
        "JOBS_URL": "immediate",  # jobs run inside the request; tests/jobs start real workers themselves
    }
    if pki is not None:
        settings.update(SOFTHSM2_CONF=str(pki.softhsm_conf), TRUST_ANCHORS=str(pki.ca_cert_path))
    settings.update(overrides)
    return create_app(settings)


@pytest.fixture
def app(database_url: str, tmp_path: Path, demo_pki: DemoPKI) -> Iterator[Flask]:
    """The portal (demo tokens as its cards) whose sessions join one outer transaction, rolled back after the test."""
    yield from rolled_back(make_test_app(database_url, tmp_path / "instance", demo_pki))


def rolled_back(app: Flask) -> Iterator[Flask]:
    """``app`` with every session joining one outer transaction, rolled back when the generator is closed."""
    db: Database = app.extensions["ebelge.db"]
    connection = db.engine.connect()
    outer = connection.begin()
    db.sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    # No app context stays pushed: each test request gets its own (and its own g and session).
    yield app
    outer.rollback()
    connection.close()
    db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Session]:
    """A session on the test's connection: it sees what the views commit, and they see its commits."""
    session = app.extensions["ebelge.db"].sessions()
    yield session
    session.close()


@pytest.fixture
def taxpayer_factory(db_session: Session) -> Callable[..., Taxpayer]:
    from app.identifiers import make_vkn

    counter = iter(range(100_000_000, 999_999_999))

    def make(identifier: str | None = None, unvan: str = "TEST TİCARET A.Ş.") -> Taxpayer:
        taxpayer = Taxpayer(identifier=identifier or make_vkn(str(next(counter))), unvan=unvan)
        db_session.add(taxpayer)
        db_session.flush()
        return taxpayer

    return make


@pytest.fixture
def login_as(app: Flask, client: FlaskClient, db_session: Session) -> Callable[[Taxpayer | Person], Person]:
    """Log the test client in as a person: given a taxpayer, the holder of its own card (it acts for that taxpayer
    alone unless someone authorised them); given a Person, that person."""
    from tests.fixtures.persons import log_client_in, person_of

    def login(who: Taxpayer | Person) -> Person:
        person = person_of(db_session, who)
        log_client_in(app, client, person)
        return person

    return login
