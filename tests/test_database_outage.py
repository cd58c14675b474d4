"""Database down → a Turkish 503 page and htmx fragment, not gunicorn's bare English 500; back → pages work again
without restarting the portal; a connection closed at the end of a request does not spoil a finished page (issue 16).

PostgreSQL: a THROWAWAY server (Debian's initdb + pg_ctl, as the postgres user when run as root, TCP on a free
127.0.0.1 port, in a temp directory) that the tests stop and start — never the machine's server on 5432.
SQLite: the database's folder is moved away (an unmounted share) and the pool emptied, then moved back.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, select, text

from app.db import database, get_session
from app.migrate import upgrade
from app.models import Taxpayer
from app.signing.demo_pki import DemoPKI
from tests import databases
from tests.conftest import make_test_app

DOWN = "Veritabanına şu anda ulaşılamıyor; lütfen biraz sonra tekrar deneyiniz."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ThrowawayPostgres:
    bindir: Path
    base: Path
    port: int

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/portal"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], cwd=self.base, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "postgresql.log"),
                  "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@pytest.fixture(scope="module")
def throwaway_postgres() -> Iterator[ThrowawayPostgres]:
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        if databases.postgres_required():
            pytest.fail("PostgreSQL server programs (/usr/lib/postgresql/*/bin/initdb) are missing")
        pytest.skip("PostgreSQL server programs are not installed")
    base = Path(tempfile.mkdtemp(prefix="portal-outage-pg-"))
    base.chmod(0o755)  # the postgres user must reach its data directory inside
    server = ThrowawayPostgres(Path(initdb[-1]).parent, base, _free_port())
    server.data.mkdir(mode=0o700)
    log = base / "postgresql.log"
    log.touch()
    if os.geteuid() == 0:
        shutil.chown(server.data, "postgres")
        shutil.chown(log, "postgres")
    try:
        server._run(str(server.bindir / "initdb"), "-D", str(server.data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8")
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {server.port}\nunix_socket_directories = ''\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        server.start()
        admin = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/postgres",
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE portal"))
        admin.dispose()
        upgrade(server.url)
        yield server
    finally:
        if server.is_running():
            server.stop()
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Outage:
    """The portal on one backend, and a way to take its database away and bring it back."""

    app: Flask
    take_away: Callable[[], None]
    bring_back: Callable[[], None]


@pytest.fixture(params=["sqlite", "postgresql"])
def outage(request: pytest.FixtureRequest, tmp_path: Path, demo_pki: DemoPKI) -> Iterator[Outage]:
    overrides = {"PROPAGATE_EXCEPTIONS": False}  # answer as production does, instead of raising into the test
    if request.param == "postgresql":
        server: ThrowawayPostgres = request.getfixturevalue("throwaway_postgres")
        app = make_test_app(server.url, tmp_path / "instance", demo_pki, **overrides)
        yield Outage(app, server.stop, server.start)
        if not server.is_running():
            server.start()
    else:
        folder = tmp_path / "share"
        folder.mkdir()
        url = f"sqlite:///{folder / 'ebelge.sqlite3'}"
        upgrade(url)
        app = make_test_app(url, tmp_path / "instance", demo_pki, **overrides)
        engine = app.extensions["ebelge.db"].engine

        def take_away() -> None:
            folder.rename(tmp_path / "share-away")
            engine.dispose()  # open connections would keep the moved file; new ones cannot open it

        def bring_back() -> None:
            (tmp_path / "share-away").rename(folder)

        yield Outage(app, take_away, bring_back)
        if not folder.exists():
            bring_back()
    app.extensions["ebelge.db"].engine.dispose()


def _logged_in_client(app: Flask) -> FlaskClient:
    from tests.fixtures.persons import log_client_in, person_of

    client = app.test_client()
    with app.app_context():
        session = get_session()
        taxpayer = session.scalar(select(Taxpayer).where(Taxpayer.identifier == "4821307561"))
        if taxpayer is None:  # the throwaway PostgreSQL database serves the whole module
            taxpayer = Taxpayer(identifier="4821307561", unvan="ANADOLU TEKSTİL SANAYİ VE TİCARET A.Ş.")
            session.add(taxpayer)
            session.commit()
        person = person_of(session, taxpayer)
        log_client_in(app, client, person)
    return client


def _assert_turkish_503_page(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:300]
    assert DOWN in page and "<html" in page and "Internal Server Error" not in page
    assert response.headers["Retry-After"]


def _assert_turkish_503_fragment(response) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:300]
    assert DOWN in page and "<html" not in page
    assert response.headers["HX-Retarget"] == "#flash-area" and response.headers["HX-Reswap"] == "innerHTML"


HTMX = {"HX-Request": "true"}


def test_database_down_gives_the_turkish_page_and_fragment_then_recovers(outage: Outage, demo_pki) -> None:
    member = _logged_in_client(outage.app)
    visitor = outage.app.test_client()
    assert member.get("/hesabim").status_code == 200
    assert member.get("/FaturaIptal/talepler").status_code == 200

    outage.take_away()
    # Logged in: loading the person is the first query of every page.
    for path in ("/hesabim", "/FaturaIptal/talepler", "/faturalar/", "/edefter/", "/yok-boyle-bir-sayfa"):
        _assert_turkish_503_page(member.get(path))
        _assert_turkish_503_fragment(member.get(path, headers=HTMX))
    _assert_turkish_503_page(member.post("/edefter/subeler", data={"sube_kodu": "0002", "sube_adi": "İzmir"}))
    # Logged out: pages that need no database still answer; logging in needs it and says so.
    assert visitor.get("/").status_code == 200
    assert visitor.get("/giris/").status_code == 200
    token = demo_pki.token("anadolu")
    card = {"surucu": "SoftHSM", "kart": token.label, "sifre": token.pin}
    _assert_turkish_503_page(visitor.post("/giris/", data=card))
    visitor.get("/giris/")
    _assert_turkish_503_fragment(visitor.post("/giris/", data=card, headers=HTMX))

    outage.bring_back()  # the same app, no restart: the pool replaces the dead connections
    assert member.get("/hesabim").status_code == 200
    assert member.get("/FaturaIptal/talepler", headers=HTMX).status_code == 200
    assert member.post("/edefter/subeler", data={"sube_kodu": "0002", "sube_adi": "İzmir"}).status_code in (200, 303)


def test_a_connection_closed_at_the_end_of_a_request_does_not_spoil_the_page(outage: Outage) -> None:
    """The page is made; then the database connection dies before the session is closed (teardown)."""
    app = outage.app
    member = _logged_in_client(app)
    killed: list[bool] = []

    @app.after_request
    def close_the_connection_behind_sqlalchemys_back(response):  # type: ignore[no-untyped-def]
        session = g.get("db_session")
        if session is not None and session.in_transaction() and not killed:
            connection = session.connection()
            if connection.dialect.name == "postgresql":  # the server ends it, as a restart or an idle timeout does
                pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
                admin = create_engine(app.config["DATABASE_URL"], isolation_level="AUTOCOMMIT")
                with admin.connect() as other:
                    other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                admin.dispose()
            else:
                connection.connection.dbapi_connection.close()
            killed.append(True)
        return response

    response = member.get("/hesabim")
    assert killed and response.status_code == 200
    assert "4821307561" in response.get_data(as_text=True)  # the finished page, whole
    assert member.get("/hesabim").status_code == 200  # the next request gets a fresh connection
    with app.app_context():
        assert database().engine.pool.checkedout() == 0
