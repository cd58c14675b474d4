"""Shared fixtures: the app on SQLite and PostgreSQL, per-test rollback, clients, a browser."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.db import Database, get_session
from app.migrate import upgrade
from app.models import Taxpayer
from tests import databases

pytest_plugins = ["tests.fixtures.browser"]

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


def make_test_app(database_url: str, instance_path: Path, **overrides: object) -> Flask:
    settings = {"MODE": "test", "DATABASE_URL": database_url, "INSTANCE_PATH": str(instance_path)}
    settings.update(overrides)
    return create_app(settings)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The portal whose every session joins one outer transaction, rolled back after the test."""
    app = make_test_app(database_url, tmp_path / "instance")
    db: Database = app.extensions["ebelge.db"]
    connection = db.engine.connect()
    outer = connection.begin()
    db.sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    with app.app_context():
        yield app
    outer.rollback()
    connection.close()
    db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask) -> Session:
    """The same session the views use inside this app context."""
    return get_session()


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
def login_as(app: Flask, client: FlaskClient) -> Callable[[Taxpayer], None]:
    """Log the test client in as a taxpayer the way flask-login would (session + identifier)."""
    from flask_login.utils import _create_identifier

    def login(taxpayer: Taxpayer) -> None:
        with app.test_request_context(environ_base=client.environ_base):
            identifier = _create_identifier()
        with client.session_transaction() as session:
            session["_user_id"] = taxpayer.get_id()
            session["_fresh"] = True
            session["_id"] = identifier

    return login
