"""Database wiring: the declarative ``Base``, one engine per app, one session per request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from flask import Flask, current_app, g
from werkzeug.routing import IntegerConverter
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from app import clock

log = logging.getLogger(__name__)

# A PostgreSQL host that does not answer (not one that refuses) would otherwise hold a request for minutes.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 5

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so a naive value read from it is UTC by our own rule.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Zaman damgası saat dilimi olmadan kaydedilemez.")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def utcnow() -> datetime:
    """Now in UTC as the portal sees it: the training clock's offset applied (``app.clock``, note 0130)."""
    return clock.utcnow()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the settings each backend needs to behave like the other."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {}).update(check_same_thread=False, timeout=30)
        engine = create_engine(url, **kwargs)
        _make_sqlite_transactional(engine)
        return engine
    # pre-ping: a connection the server closed (restart, outage) is replaced at checkout, so the portal recovers
    # without a restart once PostgreSQL is back.
    kwargs.setdefault("pool_pre_ping", True)
    if url.startswith("postgresql") and "connect_timeout" not in make_url(url).query:
        kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", POSTGRES_CONNECT_TIMEOUT_SECONDS)
    return create_engine(url, **kwargs)


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, start transactions, so SAVEPOINT and locking work.

    pysqlite's own transaction handling delays BEGIN and breaks savepoints;
    SQLAlchemy's documented remedy is to switch it off and emit BEGIN ourselves.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A transaction opened by start_write() takes the write lock at once, so two
        # requests racing for the same row are serialised instead of failing at commit.
        immediate = connection.get_execution_options().get(WRITE_LOCK_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_LOCK_OPTION = "ebelge_write_lock"


def start_write(session: Session) -> None:
    """Begin the transaction an operation writes in, holding the write lock from its first statement.

    SQLite: BEGIN IMMEDIATE. PostgreSQL: a plain transaction; rows are locked with FOR UPDATE.
    Whatever read-only transaction the request had open is ended first (its objects are reloaded on
    access, so the operation checks its rules on fresh data). Never use a smart card inside this
    transaction: the card lock and the write lock must not be held together (decision note 0002).
    """
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={WRITE_LOCK_OPTION: True})


class RecordIdConverter(IntegerConverter):
    """``<int:…>`` in URLs: ids are INTEGER columns, so a number beyond them is a 404, not a database error."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = 2**31 - 1,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RecordIdConverter  # before the blueprints add their rules
    engine = make_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    app.extensions["ebelge.db"] = Database(engine, sessionmaker(engine, expire_on_commit=False))
    app.teardown_appcontext(_close_session)


def database() -> Database:
    return current_app.extensions["ebelge.db"]


def get_session() -> Session:
    """The session of the current request (or app context), opened on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    """End the request's session. Never raises: the page is finished by now, and a connection the server closed
    meanwhile (a restart, an outage, an idle timeout) must not turn it into a 500; the pool replaces it."""
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except Exception as exc:  # noqa: BLE001 - logged; the response is already made
        log.warning("veritabanı oturumu kapatılamadı (bağlantı kopmuş olabilir): %s", type(exc).__name__,
                    exc_info=not isinstance(exc, SQLAlchemyError))
        try:
            session.invalidate()  # drop the connection instead of returning it to the pool
        except Exception:  # noqa: BLE001
            pass
