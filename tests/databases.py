"""Test databases: a migrated SQLite file and a throw-away PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_required() -> bool:
    """In CI a missing PostgreSQL fails the run; on a newcomer's machine it skips visibly."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("PORTAL_REQUIRE_POSTGRES") == "1"


def postgres_unavailable_reason() -> str | None:
    engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except Exception as exc:  # any connection problem means "not here"
        return f"PostgreSQL {make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)} adresinde yok: {exc.__class__.__name__}"
    finally:
        engine.dispose()


def skip_or_fail_without_postgres() -> None:
    reason = postgres_unavailable_reason()
    if reason is None:
        return
    if postgres_required():
        pytest.fail(f"CI needs PostgreSQL and cannot reach it. {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def create_postgres_database() -> str:
    name = f"ebelge_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / f'ebelge-{uuid.uuid4().hex[:8]}.sqlite3'}"


REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_unavailable_reason() -> str | None:
    """None when the Redis server for the job-queue tests answers a PING."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
        return None
    except Exception as exc:  # any connection problem means "not here"
        where = urlsplit(REDIS_URL)
        return f"Redis {where.scheme}://{where.hostname}:{where.port or 6379} adresinde yok: {exc.__class__.__name__}"
    finally:
        client.close()


def skip_or_fail_without_redis() -> None:
    """Like PostgreSQL: CI (CI=true or PORTAL_REQUIRE_REDIS=1) fails without Redis; a laptop skips visibly."""
    reason = redis_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true" or os.environ.get("PORTAL_REQUIRE_REDIS") == "1":
        pytest.fail(f"CI needs Redis and cannot reach it. {reason}")
    pytest.skip(f"Redis tests skipped: {reason}")
